package userpool

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/clientauth"
	"github.com/cognate-auth/cognate/internal/oauth"
	"github.com/cognate-auth/cognate/internal/requestctx"
	"github.com/cognate-auth/cognate/internal/signin"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/tokens"
	"github.com/cognate-auth/cognate/internal/triggers/events"
)

// ScopeAdmin is the scope user-pool API access tokens carry; it lets them
// call token-authenticated operations such as GetUser.
const ScopeAdmin = oauth.ScopeAdmin

// accessClaims are the claims of an access token, as Cognito issues them.
type accessClaims struct {
	Sub string `json:"sub"`
	// DeviceKey is the device the sign-in was bound to, when there is one.
	DeviceKey string   `json:"device_key,omitempty"`
	Groups    []string `json:"cognito:groups,omitempty"`
	Issuer    string   `json:"iss"`
	ClientID  string   `json:"client_id"`
	OriginJTI string   `json:"origin_jti"`
	EventID   string   `json:"event_id"`
	TokenUse  string   `json:"token_use"`
	Scope     string   `json:"scope"`
	AuthTime  int64    `json:"auth_time"`
	Exp       int64    `json:"exp"`
	Iat       int64    `json:"iat"`
	JTI       string   `json:"jti"`
	Username  string   `json:"username"`
}

// issueTokens records a new session for a sign-in, bound to a device when
// deviceKey is not "", and mints its tokens.
func (s *Service) issueTokens(ctx context.Context, p store.Pool, c store.Client, u store.User, authTime time.Time, origin, deviceKey string,
	ev tokenEvent) (signin.Tokens, error) {
	refresh := make([]byte, 48)
	if _, err := s.rand.Read(refresh); err != nil {
		return signin.Tokens{}, apierr.Internal(err)
	}
	refreshToken := base64.RawURLEncoding.EncodeToString(refresh)
	now := s.clock()
	sess := store.Session{
		ID: origin, PoolID: p.ID, ClientID: c.ID, Username: u.Username, Sub: u.Sub,
		RefreshTokenHash: hashToken(refreshToken), AuthTime: authTime, CreatedAt: now, DeviceKey: deviceKey,
		ExpiresAt: now.Add(validity(c.Settings.RefreshTokenValidity, c.Settings.TokenValidityUnits.RefreshToken)),
	}
	// The claims, and so the pre token generation trigger, come first: a
	// refusal leaves no session behind.
	claims, err := s.claims(ctx, p, c, u, sess, ev)
	if err != nil {
		return signin.Tokens{}, err
	}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		if errors.Is(err, store.ErrAlreadyExists) {
			return signin.Tokens{}, apierr.New(apierr.NotAuthorized, "Invalid session for the user.")
		}
		return signin.Tokens{}, apierr.Internal(err)
	}
	t, err := s.sign(ctx, p, claims)
	if err != nil {
		return signin.Tokens{}, err
	}
	t.RefreshToken = refreshToken
	return t, nil
}

func hashToken(t string) []byte {
	h := sha256.Sum256([]byte(t))
	return h[:]
}

// mintedClaims are the claims of a session's next ID and access tokens.
type mintedClaims struct {
	access    any // accessClaims, or a map once a pre token generation trigger changed them
	id        map[string]any
	accessTTL time.Duration
}

// claims builds the claims of a session's ID and access tokens, as the
// pool's pre token generation trigger, if any, changes them. It reads the
// user's groups: memberships change without the user, so every sign-in and
// refresh sees the current ones.
func (s *Service) claims(ctx context.Context, p store.Pool, c store.Client, u store.User, sess store.Session, ev tokenEvent) (mintedClaims, error) {
	groups, err := s.groupsOf(ctx, u)
	if err != nil {
		return mintedClaims{}, err
	}
	gc := claimsOf(groups)
	now := s.now()
	eventID := s.newUUID()
	accessTTL := validity(c.Settings.AccessTokenValidity, c.Settings.TokenValidityUnits.AccessToken)
	idTTL := validity(c.Settings.IDTokenValidity, c.Settings.TokenValidityUnits.IDToken)
	access := accessClaims{
		Sub: u.Sub, DeviceKey: sess.DeviceKey, Issuer: s.issuer(p.ID), ClientID: c.ID, OriginJTI: sess.ID, EventID: eventID,
		TokenUse: "access", Scope: ScopeAdmin, AuthTime: sess.AuthTime.Unix(),
		Exp: now.Add(accessTTL).Unix(), Iat: now.Unix(), JTI: s.newUUID(), Username: u.Username,
		Groups: gc.Groups,
	}
	id := map[string]any{
		"sub": u.Sub, "iss": access.Issuer, "cognito:username": u.Username, "origin_jti": sess.ID,
		"aud": c.ID, "event_id": eventID, "token_use": "id", "auth_time": access.AuthTime,
		"exp": now.Add(idTTL).Unix(), "iat": access.Iat, "jti": s.newUUID(),
	}
	readable := readableBy(c)
	for name, v := range u.Attributes {
		if strings.HasPrefix(name, devPrefix) || (readable != nil && !readable(name)) {
			continue
		}
		id[name] = claimValue(p, name, v)
	}
	if len(gc.Groups) > 0 {
		id["cognito:groups"] = gc.Groups
	}
	if len(gc.Roles) > 0 {
		id["cognito:roles"] = gc.Roles
	}
	if gc.PreferredRole != "" {
		id["cognito:preferred_role"] = gc.PreferredRole
	}
	m := mintedClaims{access: access, id: id, accessTTL: accessTTL}
	if err := s.preTokenGeneration(ctx, p, c, u, gc, ev, &m); err != nil {
		return mintedClaims{}, err
	}
	return m, nil
}

// sign signs the claims of an ID and an access token.
func (s *Service) sign(ctx context.Context, p store.Pool, m mintedClaims) (signin.Tokens, error) {
	accessToken, err := s.tokens.Sign(ctx, p.ID, m.access)
	if err != nil {
		return signin.Tokens{}, apierr.Internal(err)
	}
	idToken, err := s.tokens.Sign(ctx, p.ID, m.id)
	if err != nil {
		return signin.Tokens{}, apierr.Internal(err)
	}
	return signin.Tokens{AccessToken: accessToken, IDToken: idToken, ExpiresIn: int64(m.accessTTL / time.Second), TokenType: "Bearer"}, nil
}

// claimValue types an attribute for the ID token as Cognito does: Boolean
// attributes are JSON booleans and updated_at a number; the rest strings.
func claimValue(p store.Pool, name, v string) any {
	a, _ := findAttribute(p.Settings.Schema, name)
	switch {
	case a.DataType == TypeBoolean:
		return v == "true"
	case name == "updated_at":
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n
		}
	}
	return v
}

// refresh mints new ID and access tokens from a refresh token. checkSecret
// verifies the caller's client secret proof for the session's user;
// deviceKey is the DEVICE_KEY the caller sent ("" for none).
func (s *Service) refresh(ctx context.Context, c store.Client, p store.Pool, token, deviceKey string, clientMetadata map[string]string,
	checkSecret func(username, sub string) error) (signin.Tokens, error) {
	if token == "" {
		return signin.Tokens{}, apierr.New(apierr.InvalidParameter, "Missing required parameter REFRESH_TOKEN")
	}
	sess, u, err := s.store.GetSessionAndUserByRefreshToken(ctx, hashToken(token))
	if isNotFound(err) || (err == nil && (sess.ClientID != c.ID || sess.PoolID != p.ID)) {
		return signin.Tokens{}, apierr.New(apierr.NotAuthorized, "Invalid Refresh Token")
	}
	if err != nil {
		return signin.Tokens{}, apierr.Internal(err)
	}
	if err := checkSecret(sess.Username, sess.Sub); err != nil {
		return signin.Tokens{}, err
	}
	if !sess.RevokedAt.IsZero() {
		return signin.Tokens{}, apierr.New(apierr.NotAuthorized, "Refresh Token has been revoked")
	}
	if s.now().After(sess.ExpiresAt) {
		return signin.Tokens{}, apierr.New(apierr.NotAuthorized, "Refresh Token has expired")
	}
	if u.Sub == "" {
		return signin.Tokens{}, errUserNotFound
	}
	if !u.Enabled {
		return signin.Tokens{}, apierr.New(apierr.NotAuthorized, "User is disabled.")
	}
	if err := s.checkRefreshDevice(ctx, p, sess, deviceKey); err != nil {
		return signin.Tokens{}, err
	}
	// The trigger runs before the rotation, so that its refusal leaves
	// the refresh token as it was.
	claims, err := s.claims(ctx, p, c, u, sess, tokenEvent{Source: events.TokenGenerationRefreshTokens, ClientMetadata: clientMetadata})
	if err != nil {
		return signin.Tokens{}, err
	}
	next, err := s.rotateRefreshToken(ctx, c, sess, token)
	if err != nil {
		return signin.Tokens{}, err
	}
	t, err := s.sign(ctx, p, claims)
	if err != nil {
		return signin.Tokens{}, err
	}
	t.RefreshToken = next
	return t, nil
}

// checkRefreshDevice enforces, in a pool that tracks devices, that the
// refresh token of a sign-in bound to a device is used with that device's
// key, and only while the user keeps the device: as Cognito says, a
// refresh token tied to a device fails elsewhere, and forgetting the device
// ends it.
func (s *Service) checkRefreshDevice(ctx context.Context, p store.Pool, sess store.Session, deviceKey string) error {
	if sess.DeviceKey == "" || DeviceSettingsOf(p) == nil {
		return nil
	}
	invalid := apierr.New(apierr.NotAuthorized, "Invalid Refresh Token")
	if deviceKey != sess.DeviceKey {
		return invalid
	}
	d, err := s.store.GetDevice(ctx, p.ID, deviceKey)
	if isNotFound(err) || (err == nil && d.Sub != sess.Sub) {
		return invalid
	}
	if err != nil {
		return apierr.Internal(err)
	}
	return nil
}

var errRefreshReused = apierr.New(apierr.RefreshTokenReuse, "The refresh token was rotated and can no longer be used.")

// rotateRefreshToken, for a client that rotates refresh tokens, replaces
// the session's refresh token and returns the new one; otherwise it returns
// "". The token a rotation replaced still works for the client's retry
// grace period, and gives the same new token: rotated tokens are derived
// from the ones they replace (nextRefreshToken), so a retry on any replica
// gets the answer the first try got.
func (s *Service) rotateRefreshToken(ctx context.Context, c store.Client, sess store.Session, token string) (string, error) {
	h := hashToken(token)
	current := bytes.Equal(sess.RefreshTokenHash, h)
	if !c.Settings.RefreshTokenRotation {
		if !current {
			return "", errRefreshReused // rotated while the client rotated, then rotation was turned off
		}
		return "", nil
	}
	next := s.nextRefreshToken(token)
	nextHash := hashToken(next)
	if !current {
		if s.clock().After(sess.PrevValidUntil) || !bytes.Equal(sess.RefreshTokenHash, nextHash) {
			return "", errRefreshReused
		}
		return next, nil // a retry within the grace period
	}
	grace := time.Duration(c.Settings.RetryGracePeriodSeconds) * time.Second
	err := s.store.RotateRefreshToken(ctx, sess.ID, h, nextHash, s.clock().Add(grace))
	if isNotFound(err) {
		// Rotated meanwhile: by this very token (a concurrent retry), or not.
		cur, err := s.store.GetSession(ctx, sess.ID)
		if err == nil && bytes.Equal(cur.RefreshTokenHash, nextHash) && !s.clock().After(cur.PrevValidUntil) {
			return next, nil
		}
		return "", errRefreshReused
	}
	if err != nil {
		return "", apierr.Internal(err)
	}
	return next, nil
}

// nextRefreshToken is the refresh token that replaces token at rotation:
// unguessable without the master key, and the same on every replica.
func (s *Service) nextRefreshToken(token string) string {
	m := hmac.New(sha512.New384, s.rotateKey)
	m.Write([]byte(token))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// GetTokensFromRefreshToken mints new tokens from a refresh token; the
// client secret comes in the clear, deviceKey is the DeviceKey sent and
// clientMetadata the ClientMetadata, for the pre token generation trigger.
func (s *Service) GetTokensFromRefreshToken(ctx context.Context, clientID, clientSecret, token, deviceKey string, clientMetadata map[string]string) (signin.Tokens, error) {
	c, p, err := s.appClient(ctx, clientID)
	if err != nil {
		return signin.Tokens{}, err
	}
	if err := clientauth.CheckClientSecret(c, clientSecret); err != nil {
		return signin.Tokens{}, err
	}
	if !clientauth.FlowAllowed(c, clientauth.AllowRefreshToken) {
		return signin.Tokens{}, apierr.Newf(apierr.InvalidParameter, "%s flow not enabled for this client", signin.RefreshToken)
	}
	return s.refresh(ctx, c, p, token, deviceKey, clientMetadata, func(string, string) error { return nil })
}

// RevokeToken revokes a refresh token and every access token of its
// sign-in.
func (s *Service) RevokeToken(ctx context.Context, clientID, clientSecret, token string) error {
	c, _, err := s.appClient(ctx, clientID)
	if err != nil {
		return err
	}
	if err := clientauth.CheckClientSecret(c, clientSecret); err != nil {
		return err
	}
	if !c.Settings.EnableTokenRevocation {
		return apierr.New(apierr.UnsupportedOperation, "Token revocation is not enabled for this client.")
	}
	if strings.Count(token, ".") == 2 {
		return apierr.New(apierr.UnsupportedTokenType, "Only refresh tokens can be revoked.")
	}
	sess, err := s.store.GetSessionByRefreshToken(ctx, hashToken(token))
	// RFC 7009: an unknown token is already unusable. Another client's
	// token is answered alike, so that the answer does not tell a valid
	// token from a made-up one; it is not revoked.
	if isNotFound(err) || (err == nil && sess.ClientID != c.ID) {
		return nil
	}
	if err != nil {
		return apierr.Internal(err)
	}
	if err := s.store.RevokeSession(ctx, sess.ID, s.clock()); err != nil {
		return apierr.Internal(err)
	}
	return nil
}

// Caller is the user an access token authenticates.
type Caller struct {
	Pool store.Pool
	// Client is the app client the token was issued to.
	Client store.Client
	User   store.User
	Claims accessClaims
}

// Authenticate checks an access token: its signature and expiry, its
// issuer, that it is an access token with the user-pool API scope, that its
// sign-in was not revoked (on any replica: revocations live in the store),
// and that its user still exists and is enabled.
func (s *Service) Authenticate(ctx context.Context, token string) (Caller, error) {
	caller, err := s.authenticate(ctx, token)
	if err != nil {
		return Caller{}, err
	}
	p, err := s.store.GetPool(ctx, caller.Pool.ID)
	if err != nil {
		return Caller{}, storeErr(err, caller.Pool.ID)
	}
	caller.Pool = p
	return caller, nil
}

// authenticate is Authenticate without reading the pool: Caller.Pool holds
// only its ID. The operations that need no pool settings (GetUser,
// GlobalSignOut, DeleteUser) save a read this way. The pool exists: its
// sessions go with it, and the token's session was just read.
func (s *Service) authenticate(ctx context.Context, token string) (Caller, error) {
	invalid := apierr.New(apierr.NotAuthorized, "Invalid Access Token")
	poolID, ok := s.poolOfToken(token)
	if !ok {
		return Caller{}, invalid
	}
	var claims accessClaims
	if err := s.tokens.Verify(ctx, poolID, token, &claims); err != nil {
		if isExpired(err) {
			return Caller{}, apierr.New(apierr.NotAuthorized, "Access Token has expired")
		}
		return Caller{}, invalid
	}
	if claims.TokenUse != "access" || claims.Issuer != s.issuer(poolID) {
		return Caller{}, invalid
	}
	requestctx.SetResources(ctx, poolID, claims.ClientID) // for the request's log line
	if !strings.Contains(" "+claims.Scope+" ", " "+ScopeAdmin+" ") {
		return Caller{}, apierr.New(apierr.NotAuthorized, "Access Token does not have required scopes")
	}
	// The session (for revocation) and the user come in one read.
	sess, u, err := s.store.GetSessionAndUser(ctx, claims.OriginJTI)
	if isNotFound(err) || (err == nil && (!sess.RevokedAt.IsZero() || sess.Sub != claims.Sub || sess.PoolID != poolID)) {
		return Caller{}, apierr.New(apierr.NotAuthorized, "Access Token has been revoked")
	}
	if err != nil {
		return Caller{}, apierr.Internal(err)
	}
	if u.Sub == "" {
		return Caller{}, errUserNotFound
	}
	p := store.Pool{ID: poolID}
	if !u.Enabled {
		return Caller{}, apierr.New(apierr.NotAuthorized, "User is disabled.")
	}
	// The tokens of a deleted app client die with it.
	c, err := s.store.GetClient(ctx, claims.ClientID)
	if isNotFound(err) || (err == nil && c.PoolID != poolID) {
		return Caller{}, invalid
	}
	if err != nil {
		return Caller{}, apierr.Internal(err)
	}
	return Caller{Pool: p, Client: c, User: u, Claims: claims}, nil
}

// poolOfToken reads the pool id out of a JWT's issuer without verifying
// it; verification with that pool's keys follows. Whatever it returns comes
// from an unverified token, so it is strict: a token longer than
// tokens.MaxTokenBytes or not made of three segments is refused before any
// decoding, and an issuer that is not this server's for a well-formed pool
// id before anything looks for the pool.
func (s *Service) poolOfToken(token string) (string, bool) {
	if len(token) > tokens.MaxTokenBytes || strings.Count(token, ".") != 2 {
		return "", false
	}
	_, rest, _ := strings.Cut(token, ".")
	segment, _, _ := strings.Cut(rest, ".")
	payload, err := base64.RawURLEncoding.DecodeString(segment)
	if err != nil {
		return "", false
	}
	var c struct {
		Issuer string `json:"iss"`
	}
	if json.Unmarshal(payload, &c) != nil {
		return "", false
	}
	poolID := c.Issuer[strings.LastIndexByte(c.Issuer, '/')+1:]
	if !tokens.WellFormedPoolID(poolID) || c.Issuer != s.issuer(poolID) {
		return "", false
	}
	return strings.Clone(poolID), true
}

// GetUser returns the caller's username and attributes.
func (s *Service) GetUser(ctx context.Context, token string) (store.User, []Attribute, error) {
	caller, err := s.authenticate(ctx, token)
	if err != nil {
		return store.User{}, nil, err
	}
	return caller.User, attributeList(caller.User, readableBy(caller.Client)), nil
}

// GlobalSignOut revokes every sign-in of the caller.
func (s *Service) GlobalSignOut(ctx context.Context, token string) error {
	caller, err := s.authenticate(ctx, token)
	if err != nil {
		return err
	}
	if _, err := s.store.RevokeUserSessions(ctx, caller.Pool.ID, caller.User.Sub, s.clock()); err != nil {
		return apierr.Internal(err)
	}
	return nil
}

// DeleteUser deletes the caller.
func (s *Service) DeleteUser(ctx context.Context, token string) error {
	caller, err := s.authenticate(ctx, token)
	if err != nil {
		return err
	}
	err = s.store.DeleteUser(ctx, caller.Pool.ID, store.UserKey{Kind: store.KeySub, Value: caller.User.Sub})
	return storeUserErr(err)
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

func isAlreadyExists(err error) bool { return errors.Is(err, store.ErrAlreadyExists) }

func isExpired(err error) bool { return errors.Is(err, tokens.ErrExpiredToken) }
