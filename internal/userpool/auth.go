package userpool

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/clientauth"
	"github.com/cognate-auth/cognate/internal/srp"
	"github.com/cognate-auth/cognate/internal/store"
)

// Authentication flows (AuthFlow values).
const (
	AuthUserSRP          = "USER_SRP_AUTH"
	AuthUserPassword     = "USER_PASSWORD_AUTH"
	AuthAdminPassword    = "ADMIN_USER_PASSWORD_AUTH"
	AuthAdminNoSRP       = "ADMIN_NO_SRP_AUTH"
	AuthRefreshToken     = "REFRESH_TOKEN_AUTH"
	AuthRefreshTokenAlt  = "REFRESH_TOKEN"
	AuthUser             = "USER_AUTH"
	ChallengePassword    = "PASSWORD_VERIFIER"
	ChallengeNewPassword = "NEW_PASSWORD_REQUIRED"
)

// InitiateAuthInput is an InitiateAuth or AdminInitiateAuth request.
type InitiateAuthInput struct {
	// PoolID is set by AdminInitiateAuth, which may use the admin flows.
	PoolID   string
	Admin    bool
	ClientID string
	Flow     string
	Params   map[string]string
}

// AuthResult is either a challenge to answer or the tokens of a sign-in.
type AuthResult struct {
	ChallengeName       string
	ChallengeParameters map[string]string
	// AvailableChallenges are the first factors a SELECT_CHALLENGE offers.
	AvailableChallenges []string
	Session             string
	Tokens              *Tokens
}

// Tokens are the tokens of a successful sign-in.
type Tokens struct {
	AccessToken  string
	IDToken      string
	RefreshToken string // "" on refresh, which keeps the old one
	ExpiresIn    int64  // seconds the access token lives
	TokenType    string
	// NewDevice names the device a sign-in that presented none was bound
	// to, in a pool that tracks devices; nil otherwise.
	NewDevice *NewDeviceMetadata
}

// InitiateAuth starts a sign-in.
func (s *Service) InitiateAuth(ctx context.Context, in InitiateAuthInput) (AuthResult, error) {
	c, p, err := s.authClient(ctx, in.PoolID, in.ClientID)
	if err != nil {
		return AuthResult{}, err
	}
	switch in.Flow {
	case AuthUserSRP:
		if !clientauth.FlowAllowed(c, clientauth.AllowUserSRP) {
			return AuthResult{}, flowDisabled(in.Flow)
		}
		return s.startSRP(ctx, c, p, in.Params, nil)
	case AuthUserPassword:
		if in.Admin {
			return AuthResult{}, apierr.New(apierr.InvalidParameter, "Initiate Auth method not supported.")
		}
		if !clientauth.FlowAllowed(c, clientauth.AllowUserPassword) {
			return AuthResult{}, flowDisabled(in.Flow)
		}
		return s.passwordAuth(ctx, c, p, in.Params, nil)
	case AuthAdminPassword, AuthAdminNoSRP:
		if !in.Admin {
			return AuthResult{}, apierr.New(apierr.InvalidParameter, "Initiate Auth method not supported.")
		}
		if !clientauth.FlowAllowed(c, clientauth.AllowAdminPassword) {
			return AuthResult{}, apierr.New(apierr.InvalidParameter, "Auth flow not enabled for this client")
		}
		return s.passwordAuth(ctx, c, p, in.Params, nil)
	case AuthUser:
		if !clientauth.FlowAllowed(c, clientauth.AllowUserAuth) {
			return AuthResult{}, flowDisabled(in.Flow)
		}
		return s.userAuth(ctx, c, p, in.Params)
	case AuthRefreshToken, AuthRefreshTokenAlt:
		if !clientauth.FlowAllowed(c, clientauth.AllowRefreshToken) {
			return AuthResult{}, flowDisabled(in.Flow)
		}
		if c.Settings.RefreshTokenRotation {
			return AuthResult{}, apierr.New(apierr.InvalidParameter,
				"REFRESH_TOKEN_AUTH is not allowed when refresh token rotation is enabled; use GetTokensFromRefreshToken.")
		}
		t, err := s.refresh(ctx, c, p, in.Params["REFRESH_TOKEN"], in.Params["DEVICE_KEY"], func(username, sub string) error {
			return clientauth.CheckSecretHash(c, in.Params["SECRET_HASH"], username, sub)
		})
		if err != nil {
			return AuthResult{}, err
		}
		return AuthResult{Tokens: &t}, nil
	}
	return AuthResult{}, apierr.Newf(apierr.UnsupportedOperation, "The %s flow is not supported by Cognate yet.", in.Flow)
}

func flowDisabled(flow string) error {
	return apierr.Newf(apierr.InvalidParameter, "%s flow not enabled for this client", flow)
}

// authClient loads the client of a sign-in; for admin calls it must belong
// to the named pool.
func (s *Service) authClient(ctx context.Context, poolID, clientID string) (store.Client, store.Pool, error) {
	if poolID != "" {
		c, err := s.Client(ctx, poolID, clientID)
		if err != nil {
			return c, store.Pool{}, err
		}
		p, err := s.Pool(ctx, poolID)
		return c, p, err
	}
	return s.appClient(ctx, clientID)
}

func missing(param string) error {
	return apierr.Newf(apierr.InvalidParameter, "Missing required parameter %s", param)
}

var errBadCredentials = apierr.New(apierr.NotAuthorized, "Incorrect username or password.")

// signInUserOrDecoy finds the user a sign-in names and checks the
// client's SECRET_HASH against it. Under PreventUserExistenceErrors an
// unknown user is no error: decoy reports it, and the caller answers with
// a challenge that fails later, as for a wrong password.
func (s *Service) signInUserOrDecoy(ctx context.Context, c store.Client, p store.Pool, name, secretHash string) (u store.User, decoy bool, err error) {
	u, err = s.signInUser(ctx, c, p, name)
	decoy = apierr.HasCode(err, apierr.NotAuthorized) && u.Sub == ""
	if err != nil && !decoy {
		return u, false, err
	}
	return u, decoy, clientauth.CheckSecretHash(c, secretHash, name, u.Username)
}

// signInUser finds the user signing in. With PreventUserExistenceErrors an
// unknown user looks like a wrong password.
func (s *Service) signInUser(ctx context.Context, c store.Client, p store.Pool, name string) (store.User, error) {
	u, err := s.findUser(ctx, p, name)
	if apierr.HasCode(err, apierr.UserNotFound) && c.Settings.PreventUserExistenceErrors == "ENABLED" {
		return u, errBadCredentials
	}
	if err != nil {
		return u, err
	}
	if !u.Enabled {
		return u, apierr.New(apierr.NotAuthorized, "User is disabled.")
	}
	if s.now().Before(u.LockedUntil) {
		return u, apierr.New(apierr.NotAuthorized, "Password attempts exceeded")
	}
	return u, nil
}

// startSRP answers USER_SRP_AUTH with a PASSWORD_VERIFIER challenge. A
// sign-in that began earlier (USER_AUTH's SELECT_CHALLENGE) keeps its
// nonce; nil starts a new one.
func (s *Service) startSRP(ctx context.Context, c store.Client, p store.Pool, params map[string]string, nonce []byte) (AuthResult, error) {
	name := params["USERNAME"]
	if name == "" {
		return AuthResult{}, missing("USERNAME")
	}
	if params["SRP_A"] == "" {
		return AuthResult{}, missing("SRP_A")
	}
	a, err := srp.ParsePublic(params["SRP_A"])
	if err != nil {
		return AuthResult{}, apierr.New(apierr.InvalidParameter, "Invalid SRP_A.")
	}
	if err := clientauth.RequireSecretHash(c, params["SECRET_HASH"]); err != nil {
		return AuthResult{}, err
	}
	u, decoy, err := s.signInUserOrDecoy(ctx, c, p, name, params["SECRET_HASH"])
	if err != nil {
		return AuthResult{}, err
	}
	pw := u.Password
	if decoy {
		// An unknown user gets a challenge that looks like a real one (a
		// stable salt, a fresh B) and fails at the next step.
		pw = s.decoyVerifier(p.ID, name)
		u.Username = name
	} else if pw == nil {
		return AuthResult{}, errBadCredentials
	}
	ch, err := srp.NewChallenge(pw.Verifier)
	if err != nil {
		return AuthResult{}, apierr.Internal(err)
	}
	st := s.newState(stepSRP, p.ID, c.ID, c.Settings.AuthSessionValidity)
	st.Sub, st.Username, st.Typed, st.Device = u.Sub, u.Username, name, params["DEVICE_KEY"]
	st.A, st.SecretB, st.B = a, ch.Secret, ch.Public
	if nonce != nil {
		st.Nonce = nonce
	}
	return AuthResult{
		ChallengeName: ChallengePassword,
		ChallengeParameters: map[string]string{
			"SALT":            srp.HexInt(pw.Salt),
			"SECRET_BLOCK":    s.sealState(st),
			"SRP_B":           srp.HexInt(ch.Public),
			"USERNAME":        u.Username,
			"USER_ID_FOR_SRP": u.Username,
		},
	}, nil
}

// decoyVerifier derives a stable fake salt and verifier for a name that is
// not a user, so probing cannot tell unknown users apart.
func (s *Service) decoyVerifier(poolID, name string) *store.PasswordVerifier {
	m := hmac.New(sha256.New, s.decoyKey)
	m.Write([]byte(poolID + "\x00" + name))
	sum := m.Sum(nil)
	salt := sum[:srp.SaltSize]
	return &store.PasswordVerifier{Salt: salt, Verifier: srp.ComputeVerifier(poolName(poolID), name, base64.StdEncoding.EncodeToString(sum), salt)}
}

// RespondInput is a RespondToAuthChallenge or AdminRespondToAuthChallenge request.
type RespondInput struct {
	PoolID        string // set by the admin variant
	ClientID      string
	ChallengeName string
	Session       string
	Responses     map[string]string
}

// RespondToAuthChallenge answers a challenge.
func (s *Service) RespondToAuthChallenge(ctx context.Context, in RespondInput) (AuthResult, error) {
	c, p, err := s.authClient(ctx, in.PoolID, in.ClientID)
	if err != nil {
		return AuthResult{}, err
	}
	switch in.ChallengeName {
	case ChallengePassword:
		return s.verifySRP(ctx, c, p, in.Responses)
	case ChallengeNewPassword:
		return s.newPassword(ctx, c, p, in.Session, in.Responses)
	case ChallengeSMSMFA, ChallengeTOTPMFA, ChallengeEmailOTP, ChallengeSMSOTP:
		return s.answerMFA(ctx, c, p, in)
	case ChallengeSelect:
		return s.selectChallenge(ctx, c, p, in, in.Responses["ANSWER"])
	case FactorPassword, FactorPasswordSRP:
		return s.selectChallenge(ctx, c, p, in, in.ChallengeName)
	case ChallengeSelectMFA:
		return s.selectMFA(ctx, c, p, in)
	case ChallengeMFASetup:
		return s.answerMFASetup(ctx, c, p, in)
	case ChallengeDeviceSRP:
		return s.answerDeviceSRP(ctx, c, p, in)
	case ChallengeDevicePassword:
		return s.answerDevicePassword(ctx, c, p, in)
	}
	return AuthResult{}, apierr.Newf(apierr.InvalidParameter, "The %s challenge is not supported by Cognate yet.", in.ChallengeName)
}

// verifySRP checks the PASSWORD_VERIFIER answer.
func (s *Service) verifySRP(ctx context.Context, c store.Client, p store.Pool, r map[string]string) (AuthResult, error) {
	for _, k := range []string{"USERNAME", "PASSWORD_CLAIM_SECRET_BLOCK", "PASSWORD_CLAIM_SIGNATURE", "TIMESTAMP"} {
		if r[k] == "" {
			return AuthResult{}, missing(k)
		}
	}
	st, err := s.openState(r["PASSWORD_CLAIM_SECRET_BLOCK"], stepSRP, c.ID)
	if err != nil {
		return AuthResult{}, err
	}
	if st.PoolID != p.ID {
		return AuthResult{}, errInvalidSession
	}
	if name := r["USERNAME"]; name != st.Username && normalise(p, name) != normalise(p, st.Typed) {
		return AuthResult{}, apierr.New(apierr.NotAuthorized, "Incorrect username or password.")
	}
	if err := clientauth.CheckSecretHash(c, r["SECRET_HASH"], r["USERNAME"], st.Username, st.Typed); err != nil {
		return AuthResult{}, err
	}
	if _, err := srp.CheckTimestamp(r["TIMESTAMP"], s.now()); errors.Is(err, srp.ErrTimestampFormat) {
		return AuthResult{}, apierr.New(apierr.InvalidParameter, "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.")
	} else if err != nil {
		return AuthResult{}, errBadCredentials
	}
	if st.Sub == "" {
		return AuthResult{}, errBadCredentials
	}
	u, err := s.userBySub(ctx, p, st.Sub)
	if err != nil {
		return AuthResult{}, err
	}
	// openState decoded the same string, so this cannot fail.
	block, _ := base64.StdEncoding.DecodeString(r["PASSWORD_CLAIM_SECRET_BLOCK"])
	ok := u.Password != nil && srp.VerifyClaim(srp.Claim{
		PoolName: poolName(p.ID), UserID: u.Username,
		Verifier: u.Password.Verifier, ClientPublic: st.A, ServerSecret: st.SecretB, ServerPublic: st.B,
		SecretBlock: block, Timestamp: r["TIMESTAMP"], Signature: r["PASSWORD_CLAIM_SIGNATURE"],
	})
	// Amazon-cognito-identity-js sends DEVICE_KEY only here.
	return s.afterPassword(ctx, c, p, u, ok, st.Nonce, st.Typed, cmp.Or(r["DEVICE_KEY"], st.Device))
}

// passwordAuth runs USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH, and
// the PASSWORD factor of USER_AUTH. A sign-in that began earlier keeps its
// nonce; nil starts a new one.
func (s *Service) passwordAuth(ctx context.Context, c store.Client, p store.Pool, params map[string]string, nonce []byte) (AuthResult, error) {
	name, password := params["USERNAME"], params["PASSWORD"]
	if name == "" {
		return AuthResult{}, missing("USERNAME")
	}
	if password == "" {
		return AuthResult{}, missing("PASSWORD")
	}
	if err := clientauth.RequireSecretHash(c, params["SECRET_HASH"]); err != nil {
		return AuthResult{}, err
	}
	u, err := s.signInUser(ctx, c, p, name)
	if err != nil {
		return AuthResult{}, err
	}
	if err := clientauth.CheckSecretHash(c, params["SECRET_HASH"], name, u.Username); err != nil {
		return AuthResult{}, err
	}
	if nonce == nil {
		nonce = make([]byte, 16)
		if _, err := s.rand.Read(nonce); err != nil {
			return AuthResult{}, apierr.Internal(err)
		}
	}
	return s.afterPassword(ctx, c, p, u, passwordMatches(p.ID, u, password), nonce, name, params["DEVICE_KEY"])
}

// Lock-out after repeated wrong passwords, as Cognito does: from the fifth
// failure on, sign-in is refused for a time that doubles with each further
// failure, up to about 15 minutes.
const (
	lockoutThreshold = 5
	lockoutMax       = 15 * time.Minute
)

// afterPassword finishes a sign-in once the password was checked: it counts
// failures, then applies the user's status, the device the sign-in
// presented (deviceKey, "" for none) and the MFA they call for. typed is
// the name the user signed in with.
func (s *Service) afterPassword(ctx context.Context, c store.Client, p store.Pool, u store.User, ok bool, nonce []byte, typed, deviceKey string) (AuthResult, error) {
	if !ok {
		_, err := s.updateUser(ctx, p, u, func(u *store.User) error {
			u.FailedSignIns++
			if n := u.FailedSignIns - lockoutThreshold; n >= 0 {
				u.LockedUntil = s.clock().Add(min(time.Second<<min(n, 20), lockoutMax))
			}
			return nil
		})
		if err != nil {
			return AuthResult{}, err
		}
		return AuthResult{}, errBadCredentials
	}
	if u.FailedSignIns > 0 {
		var err error
		if u, err = s.updateUser(ctx, p, u, func(u *store.User) error {
			u.FailedSignIns, u.LockedUntil = 0, time.Time{}
			return nil
		}); err != nil {
			return AuthResult{}, err
		}
	}
	switch u.Status {
	case store.StatusUnconfirmed:
		return AuthResult{}, apierr.New(apierr.UserNotConfirmed, "User is not confirmed.")
	case store.StatusResetRequired:
		return AuthResult{}, apierr.New(apierr.PasswordResetRequired, "Password reset required for the user")
	}
	dev, err := s.signInDevice(ctx, p, u, deviceKey)
	if err != nil {
		return AuthResult{}, err
	}
	if u.Status == store.StatusForceChangePassword {
		if !u.PasswordExpiresAt.IsZero() && s.now().After(u.PasswordExpiresAt) {
			return AuthResult{}, apierr.New(apierr.NotAuthorized, "Temporary password has expired and must be reset by an administrator.")
		}
		return s.newPasswordChallenge(p, c, u, nonce, typed, deviceKeyOf(dev)), nil
	}
	return s.finishSignIn(ctx, c, p, u, nonce, typed, dev)
}

// newPasswordChallenge asks a user with a temporary password for a new one.
// The sign-in keeps its nonce and device, for the MFA and the device
// authentication that may follow.
func (s *Service) newPasswordChallenge(p store.Pool, c store.Client, u store.User, nonce []byte, typed, deviceKey string) AuthResult {
	st := s.newState(stepNewPassword, p.ID, c.ID, c.Settings.AuthSessionValidity)
	st.Sub, st.Username, st.Typed, st.Nonce, st.Device = u.Sub, u.Username, typed, nonce, deviceKey
	attrs := map[string]string{}
	for _, a := range attributeList(u, readableBy(c)) {
		if a.Name != "sub" && a.Name != "email_verified" && a.Name != "phone_number_verified" {
			attrs[a.Name] = a.Value
		}
	}
	var required []string
	for _, a := range p.Settings.Schema {
		if a.Required && a.Name != "sub" && u.Attributes[a.Name] == "" {
			required = append(required, "userAttributes."+a.Name)
		}
	}
	attrJSON, _ := json.Marshal(attrs)
	reqJSON, _ := json.Marshal(append([]string{}, required...))
	return AuthResult{
		ChallengeName: ChallengeNewPassword,
		Session:       s.sealState(st),
		ChallengeParameters: map[string]string{
			"USER_ID_FOR_SRP":    u.Username,
			"requiredAttributes": string(reqJSON),
			"userAttributes":     string(attrJSON),
		},
	}
}

// newPassword answers NEW_PASSWORD_REQUIRED: it sets the new password and
// any required attributes, confirms the user and signs them in, through the
// MFA the pool and the user call for.
func (s *Service) newPassword(ctx context.Context, c store.Client, p store.Pool, session string, r map[string]string) (AuthResult, error) {
	if r["USERNAME"] == "" {
		return AuthResult{}, missing("USERNAME")
	}
	if r["NEW_PASSWORD"] == "" {
		return AuthResult{}, missing("NEW_PASSWORD")
	}
	st, err := s.openState(session, stepNewPassword, c.ID)
	if err != nil {
		return AuthResult{}, err
	}
	if st.PoolID != p.ID {
		return AuthResult{}, errInvalidSession
	}
	u, err := s.userBySub(ctx, p, st.Sub)
	if err != nil {
		return AuthResult{}, err
	}
	if err := clientauth.CheckSecretHash(c, r["SECRET_HASH"], r["USERNAME"], u.Username); err != nil {
		return AuthResult{}, err
	}
	if err := checkPassword(p.Settings.PasswordPolicy, r["NEW_PASSWORD"]); err != nil {
		return AuthResult{}, err
	}
	var attrs []Attribute
	for k, v := range r {
		if name, ok := cutPrefix(k, "userAttributes."); ok {
			attrs = append(attrs, Attribute{Name: name, Value: v})
		}
	}
	verifier, err := newVerifier(p.ID, u.Username, r["NEW_PASSWORD"])
	if err != nil {
		return AuthResult{}, err
	}
	u, err = s.updateUser(ctx, p, u, func(u *store.User) error {
		if u.Status != store.StatusForceChangePassword {
			return errInvalidSession
		}
		if err := applyAttributes(p, &c, byClient, u, attrs, false); err != nil {
			return err
		}
		if err := checkRequired(p, *u); err != nil {
			return err
		}
		u.Password, u.PasswordExpiresAt, u.Status = verifier, time.Time{}, store.StatusConfirmed
		return nil
	})
	if err != nil {
		return AuthResult{}, err
	}
	dev, err := s.signInDevice(ctx, p, u, st.Device)
	if err != nil {
		return AuthResult{}, err
	}
	return s.finishSignIn(ctx, c, p, u, st.Nonce, st.Typed, dev)
}

func cutPrefix(s, prefix string) (string, bool) {
	if len(s) > len(prefix) && s[:len(prefix)] == prefix {
		return s[len(prefix):], true
	}
	return "", false
}

// userBySub loads a user by sub.
func (s *Service) userBySub(ctx context.Context, p store.Pool, sub string) (store.User, error) {
	u, err := s.store.GetUserByKey(ctx, p.ID, store.UserKey{Kind: store.KeySub, Value: sub})
	if err != nil {
		return u, storeUserErr(err)
	}
	return u, nil
}

func storeUserErr(err error) error {
	if err == nil {
		return nil
	}
	if apierr.HasCode(err, apierr.UserNotFound) {
		return err
	}
	if isNotFound(err) {
		return errUserNotFound
	}
	return apierr.Internal(err)
}
