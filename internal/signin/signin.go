// Package signin is the sign-in engine of user pools: InitiateAuth and
// RespondToAuthChallenge (and their Admin variants) as Cognito runs them.
//
// Start begins a sign-in with one of the flows of the flows table (SRP,
// password, choice-based USER_AUTH, refresh); Respond answers one of the
// challenges of the challenges table (PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED,
// the MFA challenges, SELECT_CHALLENGE, the device challenges). Each flow
// and challenge is a small function; the tables say which sealed state a
// challenge answers and which responses it needs, and Start and Respond do
// the checks every one of them shares.
//
// Between two requests, the state of a sign-in travels with the client,
// sealed (state.go), so that any replica takes the next step. Three rules
// are enforced in one place each:
//   - every password proof, of a user or a device, is admitted by the guard
//     first (prove): a locked-out user is refused before anything is
//     evaluated, concurrent wrong guesses stop at the limit, and a verifier
//     challenge is answered once;
//   - a name that is no user, when the client prevents user existence
//     errors, signs in as its decoy (existence.go): the same answers, of
//     the same shapes, after the same work, failing as a wrong password;
//     a sign-in with the password itself first gives such a name to the
//     pool's user migration trigger, if any, and goes on as the user it
//     creates (SRP sends no password, and never migrates);
//   - a sign-in ends in one place (endSignIn), through the MFA and the
//     device the pool and the user call for.
//
// The engine knows nothing of HTTP or SQL. What it needs of the user
// directory (clients, users, attributes, messages, devices, tokens) it asks
// of a Directory, which package userpool implements.
package signin

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"time"

	"github.com/cognate-auth/cognate/internal/codes"
	"github.com/cognate-auth/cognate/internal/guard"
	"github.com/cognate-auth/cognate/internal/secretbox"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/triggers/events"
)

// Flow is an authentication flow of InitiateAuth (AuthFlow).
type Flow string

// Flows.
const (
	UserSRP           Flow = "USER_SRP_AUTH"
	UserPassword      Flow = "USER_PASSWORD_AUTH"
	AdminUserPassword Flow = "ADMIN_USER_PASSWORD_AUTH"
	AdminNoSRP        Flow = "ADMIN_NO_SRP_AUTH"
	RefreshToken      Flow = "REFRESH_TOKEN_AUTH"
	RefreshTokenAlias Flow = "REFRESH_TOKEN"
	UserAuth          Flow = "USER_AUTH"
	CustomAuth        Flow = "CUSTOM_AUTH"
)

// Challenge is a challenge of a sign-in (ChallengeName).
type Challenge string

// Challenges. EMAIL_OTP is both the email MFA challenge and the email
// first factor of USER_AUTH.
const (
	PasswordVerifier       Challenge = "PASSWORD_VERIFIER"
	NewPasswordRequired    Challenge = "NEW_PASSWORD_REQUIRED"
	SMSMFA                 Challenge = store.MFASMS
	SoftwareTokenMFA       Challenge = store.MFATOTP
	EmailOTP               Challenge = store.MFAEmail
	SMSOTP                 Challenge = "SMS_OTP"
	SelectMFAType          Challenge = "SELECT_MFA_TYPE"
	MFASetup               Challenge = "MFA_SETUP"
	SelectChallenge        Challenge = "SELECT_CHALLENGE"
	Password               Challenge = "PASSWORD"
	PasswordSRP            Challenge = "PASSWORD_SRP"
	DeviceSRPAuth          Challenge = "DEVICE_SRP_AUTH"
	DevicePasswordVerifier Challenge = "DEVICE_PASSWORD_VERIFIER"
	CustomChallenge        Challenge = "CUSTOM_CHALLENGE"
)

// UserContext is what the caller says of the user's device and network:
// UserContextData, or an administrator's ContextData. The engine carries it
// for the triggers and risk checks that will read it.
type UserContext struct {
	IPAddress   string
	EncodedData string
	ServerName  string
	ServerPath  string
	HTTPHeaders map[string]string
}

// StartInput is an InitiateAuth or AdminInitiateAuth request.
type StartInput struct {
	// PoolID is set by AdminInitiateAuth, which alone may use the
	// administrator flows; the client must be the pool's.
	PoolID         string
	ClientID       string
	Flow           Flow
	Parameters     map[string]string
	ClientMetadata map[string]string
	Context        UserContext
}

// RespondInput is a RespondToAuthChallenge or AdminRespondToAuthChallenge
// request.
type RespondInput struct {
	PoolID         string // set by the administrator variant
	ClientID       string
	Challenge      Challenge
	Session        string
	Responses      map[string]string
	ClientMetadata map[string]string
	Context        UserContext
}

// Result is a challenge to answer or the tokens that end a sign-in.
type Result struct {
	Challenge  Challenge
	Parameters map[string]string
	// Available are the first factors a SELECT_CHALLENGE offers.
	Available []string
	Session   string
	Tokens    *Tokens
}

// Tokens are the tokens of a sign-in or a refresh.
type Tokens struct {
	AccessToken  string
	IDToken      string
	RefreshToken string // "" on a refresh that keeps the old one
	ExpiresIn    int64  // seconds the access token lives
	TokenType    string
	// NewDevice names the device a sign-in that presented none was bound
	// to, in a pool that tracks devices; nil otherwise.
	NewDevice *NewDevice
}

// NewDevice is NewDeviceMetadata: a new device key and the user's device
// group key.
type NewDevice struct {
	Key      string
	GroupKey string
}

// Delivery says where a code went, masked as Cognito masks it.
type Delivery struct {
	Medium      string // EMAIL or SMS
	Destination string
}

// Directory is what the engine needs of the user directory.
type Directory interface {
	// Client returns the app client of a sign-in and its pool. poolID,
	// given by the administrator operations, must be the client's pool.
	Client(ctx context.Context, poolID, clientID string) (store.Client, store.Pool, error)
	// Pool returns a pool.
	Pool(ctx context.Context, poolID string) (store.Pool, error)
	// FindUser returns the user a name signs in as: a username, or an
	// alias the pool signs in with; found is false when there is none.
	FindUser(ctx context.Context, p store.Pool, name string) (u store.User, found bool, err error)
	// CanonicalName is a name as the pool compares names.
	CanonicalName(p store.Pool, name string) string
	// UserBySub returns a user by sub; found is false when there is none.
	UserBySub(ctx context.Context, p store.Pool, sub string) (u store.User, found bool, err error)
	// UpdateUser changes a user, compare-and-swap.
	UpdateUser(ctx context.Context, p store.Pool, u store.User, update func(*store.User) error) (store.User, error)
	// NewPasswordAttributes are what NEW_PASSWORD_REQUIRED shows: the
	// user's attributes that the client reads, and the required ones the
	// user lacks.
	NewPasswordAttributes(p store.Pool, c store.Client, u store.User) (attrs map[string]string, required []string)
	// SetNewPassword answers NEW_PASSWORD_REQUIRED: it checks the password
	// against the policy, sets it and the attributes (those the client may
	// write), and confirms the user.
	SetNewPassword(ctx context.Context, p store.Pool, c store.Client, u store.User, password string, attrs map[string]string) (store.User, error)
	// SetEmail gives a user a new, unverified email address (MFA_SETUP by
	// email).
	SetEmail(ctx context.Context, p store.Pool, c store.Client, u store.User, email string) (store.User, error)
	// SendCode sends a sign-in code (MFA, or a passwordless first factor)
	// to a user's email address or phone number (attr), with the pool's
	// templates (or the custom message trigger's, given the client and the
	// request's ClientMetadata).
	SendCode(ctx context.Context, p store.Pool, c store.Client, u store.User, attr, code string, clientMetadata map[string]string) (Delivery, error)
	// Device returns a device of the user; ResourceNotFoundException
	// "Device does not exist." when it is not one of the user's.
	Device(ctx context.Context, u store.User, key string) (store.Device, error)
	// DeviceAuthenticated records that a device signed in.
	DeviceAuthenticated(ctx context.Context, p store.Pool, key string) error
	// NewDevice names a new device of the user.
	NewDevice(p store.Pool, u store.User) NewDevice
	// IssueTokens records a sign-in (bound to deviceKey when not "") and
	// mints its tokens, through the pool's pre token generation trigger
	// (src is its triggerSource). The trigger's error fails the sign-in,
	// with nothing recorded.
	IssueTokens(ctx context.Context, p store.Pool, c store.Client, u store.User, authTime time.Time, originJTI, deviceKey string,
		src events.PreTokenGenerationSource, clientMetadata map[string]string) (Tokens, error)
	// PreAuthentication runs the pool's pre authentication trigger, if
	// any, before a password is checked; u is nil for a name that is no
	// user (served by its decoy). Its error refuses the sign-in.
	PreAuthentication(ctx context.Context, p store.Pool, c store.Client, u *store.User, name string, clientMetadata map[string]string) error
	// PostAuthentication runs the pool's post authentication trigger, if
	// any, once a sign-in succeeded and before its tokens are issued. Its
	// error fails the sign-in.
	PostAuthentication(ctx context.Context, p store.Pool, c store.Client, u store.User, clientMetadata map[string]string, newDevice bool) error
	// DefineAuthChallenge, CreateAuthChallenge and
	// VerifyAuthChallengeResponse run the pool's custom authentication
	// triggers; u is nil for a name that is no user (a decoy), which the
	// triggers are told of as userNotFound.
	DefineAuthChallenge(ctx context.Context, p store.Pool, c store.Client, u *store.User, name string, rounds []CustomRound,
		clientMetadata map[string]string) (CustomDecision, error)
	CreateAuthChallenge(ctx context.Context, p store.Pool, c store.Client, u *store.User, name, challenge string, rounds []CustomRound,
		clientMetadata map[string]string) (CustomChallengeSpec, error)
	VerifyAuthChallengeResponse(ctx context.Context, p store.Pool, c store.Client, u *store.User, name string, private map[string]string,
		answer string, clientMetadata map[string]string) (bool, error)
	// MigrateUser runs the pool's user migration trigger for a name that
	// is no user, at a sign-in with the password itself, and returns the
	// user it created (or the one a concurrent sign-in created); found is
	// false when the pool has no such trigger. Its error (the function's
	// refusal, an answer describing no user) refuses the sign-in with
	// nothing created.
	MigrateUser(ctx context.Context, p store.Pool, c store.Client, name, password string, clientMetadata map[string]string) (u store.User, found bool, err error)
	// Refresh runs REFRESH_TOKEN_AUTH with its parameters (and the
	// ClientMetadata, for the pre token generation trigger).
	Refresh(ctx context.Context, p store.Pool, c store.Client, params, clientMetadata map[string]string) (Tokens, error)
}

// Config wires an Engine.
type Config struct {
	Directory Directory
	Guard     *guard.Guard
	// Timing lets decoys take as long as real users.
	Timing *guard.Timing
	// MasterKey seals the states of sign-ins and keys the codes' hashes.
	MasterKey []byte
	// Now and Rand default to the real clock and crypto/rand.
	Now    func() time.Time
	Rand   io.Reader
	Logger *slog.Logger
}

// Engine runs sign-ins. It keeps no state between requests.
type Engine struct {
	dir    Directory
	guard  *guard.Guard
	timing *guard.Timing
	states *secretbox.Box
	codes  codes.Hasher
	now    func() time.Time
	rand   io.Reader
	log    *slog.Logger
}

// New returns an Engine.
func New(c Config) (*Engine, error) {
	// The purposes are those of the releases that ran sign-in inside
	// package userpool, so that sign-ins under way survive an upgrade.
	states, err := secretbox.New(c.MasterKey, "userpool/auth-session")
	if err != nil {
		return nil, err
	}
	hasher, err := codes.NewHasher(c.MasterKey)
	if err != nil {
		return nil, err
	}
	if c.Guard == nil {
		return nil, errors.New("signin: Config.Guard is nil")
	}
	e := &Engine{dir: c.Directory, guard: c.Guard, timing: c.Timing, states: states, codes: hasher,
		now: c.Now, rand: c.Rand, log: c.Logger}
	if e.now == nil {
		e.now = time.Now
	}
	if e.rand == nil {
		e.rand = rand.Reader
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.timing == nil {
		e.timing = guard.NewTiming()
	}
	return e, nil
}

// clock is the current time in milliseconds, the precision Cognito reports
// times with.
func (e *Engine) clock() time.Time { return e.now().UTC().Truncate(time.Millisecond) }

// attempt is one request of a sign-in: its client and pool, what it sent,
// and, once opened, the state it continues.
type attempt struct {
	client store.Client
	pool   store.Pool
	admin  bool              // an administrator's call, signed
	params map[string]string // AuthParameters or ChallengeResponses
	meta   map[string]string // ClientMetadata
	user   UserContext
	state  state // zero in Start
	// password is the password a sign-in with the password itself sent:
	// a name that is no user is given to the user migration trigger with
	// it. SRP sign-ins never migrate, as in Cognito.
	password string
}
