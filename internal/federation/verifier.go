package federation

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/crewjam/saml"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/fifo"
	"github.com/cognate-auth/cognate/internal/tokens"
)

// IDTokenVerifier checks ID tokens of Cognate's user pools
// (userpool.Service).
type IDTokenVerifier interface {
	VerifyIDToken(ctx context.Context, poolID string, clientIDs []string, token string, serverSideCheck bool) (map[string]any, error)
}

// ProviderSource finds the OpenID Connect and SAML providers registered
// in IAM. A provider that is not registered is an *apierr.Error
// (NoSuchEntity); any other error is a failure of the source.
type ProviderSource interface {
	OpenIDConnectProvider(ctx context.Context, arn string) (OIDCProvider, error)
	OpenIDConnectProviderByURL(ctx context.Context, url string) (OIDCProvider, error)
	SAMLProvider(ctx context.Context, arn string) (SAMLProvider, error)
}

// Config configures a Verifier.
type Config struct {
	IDTokens  IDTokenVerifier
	Providers ProviderSource
	// AccountID names the providers' ARNs
	// (arn:aws:iam::<account>:oidc-provider/<host/path>).
	AccountID string
	// PublicURL is Cognate's base URL: a user pool's tokens name
	// <PublicURL>/<pool id> as their issuer.
	PublicURL string
	// MasterKey derives the key that signs identity tokens.
	MasterKey []byte
	// HTTPClient fetches OpenID Connect discovery documents and keys and
	// asks Facebook and Login with Amazon about their access tokens; nil
	// means a client with a ten-second timeout.
	HTTPClient *http.Client
	// FacebookGraphURL and AmazonAPIURL are the base URLs of the Graph
	// API (/app, /me) and of Login with Amazon (/auth/o2/tokeninfo);
	// empty means DefaultFacebookGraphURL and DefaultAmazonAPIURL.
	FacebookGraphURL string
	AmazonAPIURL     string
	Now              func() time.Time
	Logger           *slog.Logger
}

// Verifier verifies logins. It is safe for concurrent use.
type Verifier struct {
	cfg       Config
	identity  *identityKey
	ownPrefix string // <host/path of PublicURL>/
	client    *http.Client
	// issuers caches discovered OpenID Connect providers by issuer URL
	// and thumbprints, clients the HTTP clients that trust them (v.client
	// when a provider has no thumbprints). Only issuers registered in IAM
	// are ever discovered, so their keys do not come from tokens alone;
	// they are bounded all the same.
	issuers *fifo.Map[issuerKey, *oidc.Provider]
	clients *fifo.Map[issuerKey, *http.Client]
	// metadata caches SAML providers' parsed metadata by provider ARN and
	// document, so that a changed document is parsed anew.
	metadata *fifo.Map[samlKey, *saml.EntityDescriptor]
	// social asks Facebook and Login with Amazon about access tokens: the
	// client, refusing redirects.
	social                 *http.Client
	facebookURL, amazonURL string
}

// New returns a Verifier.
func New(cfg Config) (*Verifier, error) {
	if cfg.IDTokens == nil || cfg.Providers == nil {
		return nil, errors.New("federation: IDTokens and Providers are required")
	}
	key, err := newIdentityKey(cfg.MasterKey)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(cfg.PublicURL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("federation: public URL %q is not an absolute URL", cfg.PublicURL)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	client := cfg.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	facebookURL, err := baseURL("Facebook Graph API URL", cfg.FacebookGraphURL, DefaultFacebookGraphURL)
	if err != nil {
		return nil, err
	}
	amazonURL, err := baseURL("Login with Amazon API URL", cfg.AmazonAPIURL, DefaultAmazonAPIURL)
	if err != nil {
		return nil, err
	}
	social := *client
	social.CheckRedirect = noRedirects
	return &Verifier{cfg: cfg, identity: key, client: client, issuers: fifo.New[issuerKey, *oidc.Provider](256),
		clients:   fifo.New[issuerKey, *http.Client](256),
		metadata:  fifo.New[samlKey, *saml.EntityDescriptor](256),
		ownPrefix: strings.TrimRight(u.Host+u.Path, "/") + "/",
		social:    &social, facebookURL: facebookURL, amazonURL: amazonURL}, nil
}

func (v *Verifier) now() time.Time { return v.cfg.Now() }

// Names of the providers Cognito knows by domain.
const (
	Facebook = "graph.facebook.com"
	Amazon   = "www.amazon.com"
	google   = "accounts.google.com"
	apple    = "appleid.apple.com"
)

func notAuthorized(msg string) error { return apierr.New(apierr.NotAuthorized, msg) }

// Verify checks token, presented under the Logins key provider, for an
// identity pool that trusts trust, and returns what it proves. Every
// failure is a NotAuthorizedException, except that Facebook or Login with
// Amazon failing to answer is an ExternalServiceException.
func (v *Verifier) Verify(ctx context.Context, trust Trust, provider, token string) (Login, error) {
	if len(token) > maxTokenBytes {
		return Login{}, notAuthorized("Invalid login token. Token is too long.")
	}
	switch {
	case provider == IdentityProvider:
		return v.verifyIdentity(trust, token)
	case strings.HasPrefix(provider, "cognito-idp.") || strings.HasPrefix(provider, v.ownPrefix):
		return v.verifyUserPool(ctx, trust, provider, token)
	case provider == Facebook || provider == Amazon:
		appID := trust.SupportedLoginProviders[provider]
		if appID == "" {
			return Login{}, notAuthorized("Invalid login token. Token is not from a supported provider of this identity pool.")
		}
		return v.verifySocial(ctx, provider, appID, token)
	case strings.HasPrefix(provider, "arn:"):
		return v.verifySAML(ctx, trust, provider, token)
	}
	return v.verifyOIDC(ctx, trust, provider, token)
}

// verifyUserPool checks an ID token of one of Cognate's user pools, named
// cognito-idp.<region>.amazonaws.com/<pool id> or, as Amplify v6 names it,
// by the token's issuer without its scheme.
func (v *Verifier) verifyUserPool(ctx context.Context, trust Trust, provider, token string) (Login, error) {
	var poolID string
	if rest, ok := strings.CutPrefix(provider, v.ownPrefix); ok {
		poolID = rest
	} else {
		host, id, _ := strings.Cut(provider, "/")
		poolID = id
		region, _, _ := strings.Cut(id, "_")
		if host != "cognito-idp."+region+".amazonaws.com" {
			poolID = ""
		}
	}
	if !tokens.WellFormedPoolID(poolID) {
		return Login{}, notAuthorized("Invalid login token. Token is not from a supported provider of this identity pool.")
	}
	region, _, _ := strings.Cut(poolID, "_")
	name := "cognito-idp." + region + ".amazonaws.com/" + poolID
	var clients []string
	serverSide := false
	for _, p := range trust.CognitoProviders {
		if p.ProviderName == name {
			clients = append(clients, p.ClientID)
			serverSide = serverSide || p.ServerSideTokenCheck
		}
	}
	if len(clients) == 0 {
		return Login{}, notAuthorized("Invalid login token. Token is not from a supported provider of this identity pool.")
	}
	claims, err := v.cfg.IDTokens.VerifyIDToken(ctx, poolID, clients, token, serverSide)
	if err != nil {
		return Login{}, err
	}
	l := Login{Provider: name, Claims: claims}
	l.Subject, _ = claims["sub"].(string)
	l.PreferredRole, _ = claims["cognito:preferred_role"].(string)
	if roles, ok := claims["cognito:roles"].([]any); ok {
		for _, r := range roles {
			if s, ok := r.(string); ok {
				l.Roles = append(l.Roles, s)
			}
		}
	}
	if exp, ok := claims["exp"].(float64); ok {
		l.Expires = time.Unix(int64(exp), 0)
	}
	return l, nil
}

// verifyOIDC checks an ID token of an OpenID Connect provider: one the
// pool lists by its IAM ARN, or Google or Apple through
// SupportedLoginProviders.
func (v *Verifier) verifyOIDC(ctx context.Context, trust Trust, provider, token string) (Login, error) {
	unsupported := notAuthorized("Invalid login token. Token is not from a supported provider of this identity pool.")
	if provider == "" || strings.ContainsAny(provider, " \t\r\n?#") {
		return Login{}, unsupported
	}
	var audiences, thumbprints []string
	arn := "arn:aws:iam::" + v.cfg.AccountID + ":oidc-provider/" + provider
	if slices.Contains(trust.OpenIDConnectProviderARNs, arn) {
		p, err := v.cfg.Providers.OpenIDConnectProvider(ctx, arn)
		if err != nil {
			if isAPIError(err) {
				return Login{}, unsupported
			}
			return Login{}, apierr.Internal(err)
		}
		audiences, thumbprints = p.ClientIDs, p.Thumbprints
	}
	if id, ok := trust.SupportedLoginProviders[provider]; ok && (provider == google || provider == apple) {
		audiences = append(audiences, id)
	}
	if len(audiences) == 0 {
		return Login{}, unsupported
	}
	idToken, err := v.verifyOIDCToken(ctx, newIssuerKey("https://"+provider, thumbprints), token)
	if err != nil {
		return Login{}, err
	}
	if !slices.ContainsFunc(idToken.Audience, func(a string) bool { return slices.Contains(audiences, a) }) {
		return Login{}, notAuthorized("Invalid login token. Incorrect token audience.")
	}
	var claims map[string]any
	if err := idToken.Claims(&claims); err != nil {
		return Login{}, notAuthorized("Invalid login token. Not a valid OpenId Connect identity token.")
	}
	return Login{Provider: provider, Subject: idToken.Subject, Claims: claims, Expires: idToken.Expiry}, nil
}

// verifyOIDCToken verifies token's signature, issuer and expiry with the
// keys of the issuer of k, found by discovery. The discovery document and
// the keys are fetched by the client of k (clientFor): the provider keeps
// the client it was discovered with for its keys.
func (v *Verifier) verifyOIDCToken(ctx context.Context, k issuerKey, token string) (*oidc.IDToken, error) {
	client := v.clientFor(k)
	p, ok := v.issuers.Get(k)
	if !ok {
		var err error
		p, err = oidc.NewProvider(oidc.ClientContext(ctx, client), k.issuer)
		if err != nil {
			v.cfg.Logger.WarnContext(ctx, "OpenID Connect discovery failed", "issuer", k.issuer, "err", err)
			return nil, notAuthorized("Invalid login token. Couldn't verify signed token.")
		}
		v.issuers.Put(k, p)
	}
	verifier := p.Verifier(&oidc.Config{SkipClientIDCheck: true, Now: v.cfg.Now})
	idToken, err := verifier.Verify(oidc.ClientContext(ctx, client), token)
	if err != nil {
		var expired *oidc.TokenExpiredError
		if errors.As(err, &expired) {
			return nil, notAuthorized("Invalid login token. Token expired: " + expired.Expiry.UTC().Format(time.RFC3339))
		}
		return nil, notAuthorized("Invalid login token. Not a valid OpenId Connect identity token.")
	}
	return idToken, nil
}

func isAPIError(err error) bool {
	var e *apierr.Error
	return errors.As(err, &e)
}

// unverifiedIssuer reads a JWT's iss without verifying anything.
func unverifiedIssuer(token string) string {
	if strings.Count(token, ".") != 2 {
		return ""
	}
	_, rest, _ := strings.Cut(token, ".")
	segment, _, _ := strings.Cut(rest, ".")
	payload, err := base64.RawURLEncoding.DecodeString(segment)
	if err != nil {
		return ""
	}
	var c struct {
		Issuer string `json:"iss"`
	}
	if json.Unmarshal(payload, &c) != nil {
		return ""
	}
	return c.Issuer
}

// STS's error codes for web identity tokens.
const (
	codeInvalidIdentityToken = "InvalidIdentityToken"
	codeExpiredToken         = "ExpiredTokenException"
)

// VerifyWebIdentity checks a token handed to STS AssumeRoleWithWebIdentity:
// with providerID (graph.facebook.com, www.amazon.com) an OAuth 2.0 access
// token of that provider, asked about at its inspection endpoints; without
// it an identity token Cognate issued, or an ID token of an OpenID Connect
// provider registered in IAM (found by its issuer).
func (v *Verifier) VerifyWebIdentity(ctx context.Context, token, providerID string) (WebIdentity, error) {
	if len(token) > maxTokenBytes {
		return WebIdentity{}, apierr.New(codeInvalidIdentityToken, "The web identity token is too long.")
	}
	if providerID != "" {
		return v.verifyAccessToken(ctx, providerID, token)
	}
	iss := unverifiedIssuer(token)
	if iss == IdentityIssuer {
		c, err := v.openIdentityToken(token)
		if errors.Is(err, errTokenExpired) {
			return WebIdentity{}, apierr.New(codeExpiredToken, "Token expired: current date/time "+
				v.now().UTC().Format(time.RFC3339)+" must be before the expiration date/time "+time.Unix(c.Expires, 0).UTC().Format(time.RFC3339))
		}
		if err != nil {
			return WebIdentity{}, apierr.New(codeInvalidIdentityToken, "Couldn't verify signed token.")
		}
		return WebIdentity{Principal: IdentityProvider, Provider: IdentityProvider, Subject: c.Subject, Audience: c.Audience,
			Keys: map[string][]string{
				IdentityProvider + ":aud": {c.Audience}, IdentityProvider + ":sub": {c.Subject}, IdentityProvider + ":amr": c.AMR,
			}, Expires: time.Unix(c.Expires, 0)}, nil
	}
	if !strings.HasPrefix(iss, "https://") {
		return WebIdentity{}, apierr.New(codeInvalidIdentityToken, "No OpenIDConnect provider found in your account for "+iss)
	}
	p, err := v.cfg.Providers.OpenIDConnectProviderByURL(ctx, iss)
	if err != nil {
		if isAPIError(err) {
			return WebIdentity{}, apierr.New(codeInvalidIdentityToken, "No OpenIDConnect provider found in your account for "+iss)
		}
		return WebIdentity{}, apierr.Internal(err)
	}
	idToken, err := v.verifyOIDCToken(ctx, newIssuerKey(iss, p.Thumbprints), token)
	if err != nil {
		var e *apierr.Error
		if errors.As(err, &e) && strings.Contains(e.Message, "expired") {
			return WebIdentity{}, apierr.New(codeExpiredToken, strings.TrimPrefix(e.Message, "Invalid login token. "))
		}
		return WebIdentity{}, apierr.New(codeInvalidIdentityToken, "Couldn't verify signed token.")
	}
	aud := ""
	for _, a := range idToken.Audience {
		if slices.Contains(p.ClientIDs, a) {
			aud = a
			break
		}
	}
	if aud == "" {
		return WebIdentity{}, apierr.New(codeInvalidIdentityToken, "Incorrect token audience")
	}
	hp := strings.TrimPrefix(iss, "https://")
	return WebIdentity{Principal: p.ARN, Provider: hp, Subject: idToken.Subject, Audience: aud,
		Keys: map[string][]string{hp + ":aud": {aud}, hp + ":sub": {idToken.Subject}}, Expires: idToken.Expiry}, nil
}
