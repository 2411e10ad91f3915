// Package store is the persistence contract of Cognate.
//
// It declares the records Cognate keeps (user pools, app clients, users,
// groups, users' devices, sign-in sessions, signing keys, outbox messages,
// access keys, pool domains) as
// plain Go values and the Store interface every engine implements. Records
// have no behaviour: the rules live in the domain packages, which read and
// write records only through this interface.
//
// Engines (package sqlstore: embedded SQLite and PostgreSQL) must pass the
// conformance suite in package storetest. The contract an engine promises:
//
//   - Uniqueness is enforced by the engine, atomically: a user's lookup keys
//     (username, sub, aliases) are unique within a pool, so two racing
//     CreateUser calls for one username end with exactly one user; a
//     group's name is unique within its pool likewise, and so is a device's
//     key, so two racing CreateDevice calls for one key end with one device.
//     A pool domain's name is unique among all pools, and a pool has one
//     domain of each kind, so two pools racing for one prefix end with one
//     owner.
//   - Update* methods are compare-and-swap: the updater runs inside a
//     transaction on the current record; concurrent updates of one record are
//     serialised, so counters and codes are never lost.
//   - Secret fields (marked "secret" below) are encrypted at rest by the
//     engine with an AEAD whose key does not live in the database.
//   - Counters (CounterStore) are compare-and-swap too, several at once, so
//     that limits on attempts hold however many requests race, on every
//     replica.
//   - A write that returned nil is durable.
package store

import (
	"context"
	"errors"
	"time"
)

// Sentinel errors returned by every engine. Wrap them, never replace them.
var (
	// ErrNotFound means the record does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrAlreadyExists means a unique key is taken. For users it is
	// returned as a *KeyConflictError that says which key.
	ErrAlreadyExists = errors.New("store: already exists")
)

// KeyConflictError reports which user lookup key is already taken.
// errors.Is(err, ErrAlreadyExists) is true for it.
type KeyConflictError struct {
	Key UserKey
}

func (e *KeyConflictError) Error() string {
	return "store: user key " + e.Key.Kind + "=" + e.Key.Value + " already exists"
}

// Is makes KeyConflictError match ErrAlreadyExists.
func (e *KeyConflictError) Is(target error) bool { return target == ErrAlreadyExists }

// Store is everything Cognate persists.
type Store interface {
	PoolStore
	ClientStore
	UserStore
	GroupStore
	DeviceStore
	SessionStore
	KeyStore
	OutboxStore
	AccessKeyStore
	CounterStore
	IdentityStore
	IAMStore
	DomainStore
	// Close releases the engine's resources.
	Close() error
}

// Pool is a user pool.
type Pool struct {
	ID        string // "<region>_<9 alphanumerics>"
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
	Settings  PoolSettings
}

// PoolSettings is a pool's configuration. Engines store it as one JSON
// document, so adding a field needs no migration.
type PoolSettings struct {
	Schema                 []SchemaAttribute `json:"schema,omitempty"`
	PasswordPolicy         PasswordPolicy    `json:"passwordPolicy"`
	UsernameAttributes     []string          `json:"usernameAttributes,omitempty"`
	AliasAttributes        []string          `json:"aliasAttributes,omitempty"`
	CaseSensitive          bool              `json:"caseSensitive"`
	AutoVerifiedAttributes []string          `json:"autoVerifiedAttributes,omitempty"`
	AdminCreateUser        AdminCreateUser   `json:"adminCreateUser"`
	DeletionProtection     bool              `json:"deletionProtection"`
	MFAConfiguration       string            `json:"mfaConfiguration,omitempty"` // OFF, ON, OPTIONAL
	Tier                   string            `json:"tier,omitempty"`
	// AttributesRequireVerificationBeforeUpdate mirrors
	// UserAttributeUpdateSettings.
	AttributesRequireVerificationBeforeUpdate []string `json:"attributesRequireVerificationBeforeUpdate,omitempty"`
	// ResourceServers are the pool's OAuth resource servers and their
	// scopes, ordered by identifier.
	ResourceServers []ResourceServer `json:"resourceServers,omitempty"`
	// Tags are the pool's tags (UserPoolTags, TagResource).
	Tags map[string]string `json:"tags,omitempty"`
	// AccountRecovery mirrors AccountRecoverySetting: where ForgotPassword
	// may send codes, by priority. Empty for Cognito's legacy order.
	AccountRecovery []RecoveryOption `json:"accountRecovery,omitempty"`
	// Messages customise verification and invitation texts.
	Messages MessageTemplates `json:"messages"`
	// MFA is which second factors the pool offers when MFAConfiguration
	// is ON or OPTIONAL.
	MFA PoolMFA `json:"mfa"`
	// Devices mirrors DeviceConfiguration: nil when the pool does not
	// track devices.
	Devices *DeviceSettings `json:"devices,omitempty"`
	// FirstAuthFactors mirrors SignInPolicy.AllowedFirstAuthFactors: the
	// first factors of choice-based sign-in (USER_AUTH). Empty for
	// PASSWORD alone.
	FirstAuthFactors []string `json:"firstAuthFactors,omitempty"`
	// LambdaConfig is the pool's triggers. userpool accepts only those
	// Cognate runs (PreSignUp, PostConfirmation, PreAuthentication,
	// PostAuthentication) and refuses the other members.
	LambdaConfig LambdaConfig `json:"lambdaConfig,omitzero"`
	// EmailConfiguration, SMSConfiguration, UserPoolAddOns and
	// WebAuthnConfiguration are kept and returned as sent; Cognate does not
	// act on them yet (it delivers messages itself, not through SES or
	// SNS). Nil when not sent.
	EmailConfiguration    *EmailConfiguration    `json:"emailConfiguration,omitempty"`
	SMSConfiguration      *SMSConfiguration      `json:"smsConfiguration,omitempty"`
	UserPoolAddOns        *UserPoolAddOns        `json:"userPoolAddOns,omitempty"`
	WebAuthnConfiguration *WebAuthnConfiguration `json:"webAuthnConfiguration,omitempty"`
}

// LambdaConfig mirrors LambdaConfigType: the Lambda functions a pool's
// triggers invoke, by ARN. The JSON names inside the settings' typed
// members are the model's member names.
type LambdaConfig struct {
	PreSignUp                   string `json:"PreSignUp,omitempty"`
	CustomMessage               string `json:"CustomMessage,omitempty"`
	PostConfirmation            string `json:"PostConfirmation,omitempty"`
	PreAuthentication           string `json:"PreAuthentication,omitempty"`
	PostAuthentication          string `json:"PostAuthentication,omitempty"`
	DefineAuthChallenge         string `json:"DefineAuthChallenge,omitempty"`
	CreateAuthChallenge         string `json:"CreateAuthChallenge,omitempty"`
	VerifyAuthChallengeResponse string `json:"VerifyAuthChallengeResponse,omitempty"`
	PreTokenGeneration          string `json:"PreTokenGeneration,omitempty"`
	UserMigration               string `json:"UserMigration,omitempty"`
	// PreTokenGenerationConfig supersedes PreTokenGeneration with a
	// version of the trigger's event.
	PreTokenGenerationConfig LambdaVersionConfig `json:"PreTokenGenerationConfig,omitzero"`
	CustomSMSSender          LambdaVersionConfig `json:"CustomSMSSender,omitzero"`
	CustomEmailSender        LambdaVersionConfig `json:"CustomEmailSender,omitzero"`
	// KMSKeyID is the key the custom senders' codes are encrypted with.
	KMSKeyID          string              `json:"KMSKeyID,omitempty"`
	InboundFederation LambdaVersionConfig `json:"InboundFederation,omitzero"`
}

// LambdaVersionConfig is a trigger with a version of its event
// (PreTokenGenerationVersionConfigType and its kin).
type LambdaVersionConfig struct {
	LambdaVersion string `json:"LambdaVersion,omitempty"`
	LambdaArn     string `json:"LambdaArn,omitempty"`
}

// EmailConfiguration mirrors EmailConfigurationType.
type EmailConfiguration struct {
	SourceArn           string `json:"SourceArn,omitempty"`
	ReplyToEmailAddress string `json:"ReplyToEmailAddress,omitempty"`
	EmailSendingAccount string `json:"EmailSendingAccount,omitempty"` // COGNITO_DEFAULT, DEVELOPER
	From                string `json:"From,omitempty"`
	ConfigurationSet    string `json:"ConfigurationSet,omitempty"`
}

// SMSConfiguration mirrors SmsConfigurationType.
type SMSConfiguration struct {
	SNSCallerArn string `json:"SnsCallerArn,omitempty"`
	ExternalID   string `json:"ExternalId,omitempty"`
	SNSRegion    string `json:"SnsRegion,omitempty"`
}

// UserPoolAddOns mirrors UserPoolAddOnsType (threat protection).
type UserPoolAddOns struct {
	AdvancedSecurityMode string `json:"AdvancedSecurityMode,omitempty"` // OFF, AUDIT, ENFORCED
	// AdvancedSecurityAdditionalFlows is the mode for custom
	// authentication; nil when not sent.
	AdvancedSecurityAdditionalFlows *AdvancedSecurityAdditionalFlows `json:"AdvancedSecurityAdditionalFlows,omitempty"`
}

// AdvancedSecurityAdditionalFlows mirrors AdvancedSecurityAdditionalFlowsType.
type AdvancedSecurityAdditionalFlows struct {
	CustomAuthMode string `json:"CustomAuthMode,omitempty"` // AUDIT, ENFORCED
}

// WebAuthnConfiguration mirrors WebAuthnConfigurationType: how a pool's
// passkeys are registered and checked.
type WebAuthnConfiguration struct {
	RelyingPartyID      string `json:"RelyingPartyId,omitempty"`
	UserVerification    string `json:"UserVerification,omitempty"`    // required, preferred
	FactorConfiguration string `json:"FactorConfiguration,omitempty"` // SINGLE_FACTOR, MULTI_FACTOR_WITH_USER_VERIFICATION
}

// PoolMFA mirrors SetUserPoolMfaConfig: the factors a pool offers. The SMS
// template is MessageTemplates.SMSAuthenticationMessage and the SMS sending
// configuration PoolSettings.SMSConfiguration.
type PoolMFA struct {
	SMS          bool   `json:"sms,omitempty"`
	TOTP         bool   `json:"totp,omitempty"`
	Email        bool   `json:"email,omitempty"`
	EmailMessage string `json:"emailMessage,omitempty"`
	EmailSubject string `json:"emailSubject,omitempty"`
}

// DeviceSettings mirrors DeviceConfigurationType: how a pool that tracks
// devices treats them.
type DeviceSettings struct {
	// ChallengeRequiredOnNewDevice lets a remembered device sign in without
	// MFA (Cognito's name notwithstanding).
	ChallengeRequiredOnNewDevice bool `json:"challengeRequiredOnNewDevice"`
	// DeviceOnlyRememberedOnUserPrompt leaves a confirmed device not
	// remembered until UpdateDeviceStatus remembers it.
	DeviceOnlyRememberedOnUserPrompt bool `json:"deviceOnlyRememberedOnUserPrompt"`
}

// SchemaAttribute describes one user attribute of a pool.
type SchemaAttribute struct {
	Name                 string `json:"name"` // "email", "custom:tenant"
	DataType             string `json:"dataType"`
	DeveloperOnly        bool   `json:"developerOnly"`
	Mutable              bool   `json:"mutable"`
	Required             bool   `json:"required"`
	MinLength            *int64 `json:"minLength,omitempty"`
	MaxLength            *int64 `json:"maxLength,omitempty"`
	MinValue             *int64 `json:"minValue,omitempty"`
	MaxValue             *int64 `json:"maxValue,omitempty"`
	HasStringConstraints bool   `json:"hasStringConstraints,omitempty"`
	HasNumberConstraints bool   `json:"hasNumberConstraints,omitempty"`
}

// ResourceServer is an OAuth 2.0 resource server of a pool: the identifier
// its custom scopes are prefixed with ("<identifier>/<scope>").
type ResourceServer struct {
	Identifier string  `json:"identifier"`
	Name       string  `json:"name"`
	Scopes     []Scope `json:"scopes,omitempty"`
}

// Scope is a custom OAuth scope of a resource server.
type Scope struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// RecoveryOption is one mechanism of account recovery: "verified_email",
// "verified_phone_number" or "admin_only", with its priority (1 first).
type RecoveryOption struct {
	Name     string `json:"name"`
	Priority int    `json:"priority"`
}

// PasswordPolicy is a pool's password policy.
type PasswordPolicy struct {
	MinimumLength                 int  `json:"minimumLength"`
	RequireUppercase              bool `json:"requireUppercase"`
	RequireLowercase              bool `json:"requireLowercase"`
	RequireNumbers                bool `json:"requireNumbers"`
	RequireSymbols                bool `json:"requireSymbols"`
	PasswordHistorySize           int  `json:"passwordHistorySize,omitempty"`
	TemporaryPasswordValidityDays int  `json:"temporaryPasswordValidityDays"`
}

// AdminCreateUser mirrors AdminCreateUserConfigType.
type AdminCreateUser struct {
	AllowAdminCreateUserOnly  bool `json:"allowAdminCreateUserOnly"`
	UnusedAccountValidityDays int  `json:"unusedAccountValidityDays,omitempty"`
	// InviteMessage is the invitation template; empty fields use defaults.
	InviteEmailSubject string `json:"inviteEmailSubject,omitempty"`
	InviteEmailMessage string `json:"inviteEmailMessage,omitempty"`
	InviteSMSMessage   string `json:"inviteSmsMessage,omitempty"`
}

// MessageTemplates holds verification message settings.
type MessageTemplates struct {
	SMSVerificationMessage   string `json:"smsVerificationMessage,omitempty"`
	EmailVerificationMessage string `json:"emailVerificationMessage,omitempty"`
	EmailVerificationSubject string `json:"emailVerificationSubject,omitempty"`
	SMSAuthenticationMessage string `json:"smsAuthenticationMessage,omitempty"`
	DefaultEmailOption       string `json:"defaultEmailOption,omitempty"` // CONFIRM_WITH_CODE, CONFIRM_WITH_LINK
	EmailMessageByLink       string `json:"emailMessageByLink,omitempty"`
	EmailSubjectByLink       string `json:"emailSubjectByLink,omitempty"`
}

// PoolStore persists user pools.
type PoolStore interface {
	// CreatePool fails with ErrAlreadyExists if the id is taken.
	CreatePool(ctx context.Context, p Pool) error
	GetPool(ctx context.Context, id string) (Pool, error)
	// UpdatePool runs update on the current pool inside a transaction and
	// stores what it returns. An error from update aborts and is returned.
	UpdatePool(ctx context.Context, id string, update func(Pool) (Pool, error)) (Pool, error)
	// DeletePool removes the pool and everything in it (clients, users,
	// groups, devices, sessions, keys, messages).
	DeletePool(ctx context.Context, id string) error
	// ListPools returns up to limit pools ordered by id, starting after the
	// id given in after ("" for the first page).
	ListPools(ctx context.Context, after string, limit int) ([]Pool, error)
}

// Client is an app client of a user pool.
type Client struct {
	ID     string // 26 lowercase alphanumerics
	PoolID string
	Name   string
	// Secrets are the client's secrets (secret), oldest first; none for a
	// public client. A confidential client has one or two.
	Secrets   []ClientSecret
	CreatedAt time.Time
	UpdatedAt time.Time
	Settings  ClientSettings
}

// ClientSecret is one secret of an app client.
type ClientSecret struct {
	ID        string    `json:"id"` // "<client id>--<creation time in Unix seconds>"
	Value     string    `json:"value"`
	CreatedAt time.Time `json:"createdAt"`
	// Custom marks a secret the caller chose rather than Cognate.
	Custom bool `json:"custom,omitempty"`
}

// ClientSettings is an app client's configuration, stored as JSON.
type ClientSettings struct {
	ExplicitAuthFlows          []string   `json:"explicitAuthFlows,omitempty"`
	RefreshTokenValidity       int64      `json:"refreshTokenValidity"`
	AccessTokenValidity        int64      `json:"accessTokenValidity"`
	IDTokenValidity            int64      `json:"idTokenValidity"`
	TokenValidityUnits         TokenUnits `json:"tokenValidityUnits"`
	ReadAttributes             []string   `json:"readAttributes,omitempty"`
	WriteAttributes            []string   `json:"writeAttributes,omitempty"`
	PreventUserExistenceErrors string     `json:"preventUserExistenceErrors,omitempty"` // ENABLED, LEGACY
	EnableTokenRevocation      bool       `json:"enableTokenRevocation"`
	AuthSessionValidity        int64      `json:"authSessionValidity"` // minutes
	// RefreshTokenRotation enables rotating refresh tokens on
	// GetTokensFromRefreshToken; the grace period is in seconds.
	RefreshTokenRotation                     bool  `json:"refreshTokenRotation,omitempty"`
	RetryGracePeriodSeconds                  int64 `json:"retryGracePeriodSeconds,omitempty"`
	EnablePropagateAdditionalUserContextData bool  `json:"enablePropagateAdditionalUserContextData,omitempty"`
	// OAuth settings (used by the hosted sign-in).
	CallbackURLs                    []string `json:"callbackUrls,omitempty"`
	LogoutURLs                      []string `json:"logoutUrls,omitempty"`
	DefaultRedirectURI              string   `json:"defaultRedirectUri,omitempty"`
	AllowedOAuthFlows               []string `json:"allowedOAuthFlows,omitempty"`
	AllowedOAuthScopes              []string `json:"allowedOAuthScopes,omitempty"`
	AllowedOAuthFlowsUserPoolClient bool     `json:"allowedOAuthFlowsUserPoolClient,omitempty"`
	SupportedIdentityProviders      []string `json:"supportedIdentityProviders,omitempty"`
	// AnalyticsConfiguration is kept and returned as sent; Cognate sends
	// no analytics. Nil when not sent.
	AnalyticsConfiguration *AnalyticsConfiguration `json:"analyticsConfiguration,omitempty"`
}

// AnalyticsConfiguration mirrors AnalyticsConfigurationType: the Amazon
// Pinpoint project a client reports to.
type AnalyticsConfiguration struct {
	ApplicationID  string `json:"ApplicationId,omitempty"`
	ApplicationArn string `json:"ApplicationArn,omitempty"`
	RoleArn        string `json:"RoleArn,omitempty"`
	ExternalID     string `json:"ExternalId,omitempty"`
	UserDataShared bool   `json:"UserDataShared,omitempty"`
}

// TokenUnits are the units of the client's token validities:
// "seconds", "minutes", "hours" or "days".
type TokenUnits struct {
	AccessToken  string `json:"accessToken"`
	IDToken      string `json:"idToken"`
	RefreshToken string `json:"refreshToken"`
}

// ClientStore persists app clients.
type ClientStore interface {
	// CreateClient fails with ErrNotFound if the pool does not exist and
	// ErrAlreadyExists if the id is taken.
	CreateClient(ctx context.Context, c Client) error
	// GetClient looks a client up by id alone (client ids are global).
	GetClient(ctx context.Context, id string) (Client, error)
	// GetClientAndPool returns a client and, in the same read, its pool;
	// ErrNotFound if the client does not exist. Every request of an app
	// client needs both.
	GetClientAndPool(ctx context.Context, id string) (Client, Pool, error)
	UpdateClient(ctx context.Context, id string, update func(Client) (Client, error)) (Client, error)
	DeleteClient(ctx context.Context, id string) error
	// ListClients returns up to limit clients of the pool ordered by id,
	// starting after the given id.
	ListClients(ctx context.Context, poolID, after string, limit int) ([]Client, error)
}

// User statuses, as Cognito names them.
const (
	StatusUnconfirmed         = "UNCONFIRMED"
	StatusConfirmed           = "CONFIRMED"
	StatusForceChangePassword = "FORCE_CHANGE_PASSWORD"
	StatusResetRequired       = "RESET_REQUIRED"
	StatusExternalProvider    = "EXTERNAL_PROVIDER"
)

// User is a user of a pool.
type User struct {
	PoolID    string
	Username  string // as the user is known to Cognito (sub for email/phone-as-username pools)
	Sub       string
	Status    string
	Enabled   bool
	CreatedAt time.Time
	UpdatedAt time.Time
	// Attributes are the user's attributes by name, "sub" excluded.
	Attributes map[string]string
	// Keys are the values the user can be found by; the engine keeps them
	// unique per pool. The domain computes them; KeyUsername and KeySub are
	// always present.
	Keys []UserKey
	// Password is the user's SRP verifier (secret). Nil if the user has no
	// password (federated users).
	Password *PasswordVerifier
	// PasswordExpiresAt bounds a temporary password; zero for none.
	PasswordExpiresAt time.Time
	// Codes are pending one-time codes by purpose.
	Codes map[string]Code
	// MFA is the user's second factors (secret: sealed whole, as it holds
	// the TOTP seed). Nil when the user never set any.
	MFA *UserMFA
}

// MFA factor names, as Cognito's API spells them.
const (
	MFASMS   = "SMS_MFA"
	MFATOTP  = "SOFTWARE_TOKEN_MFA"
	MFAEmail = "EMAIL_OTP"
)

// UserMFA is a user's multi-factor authentication settings.
type UserMFA struct {
	// Enabled lists the factors the user activated (MFASMS, MFATOTP,
	// MFAEmail), each once.
	Enabled []string `json:"enabled,omitempty"`
	// Preferred is the factor sign-in asks for when several are enabled;
	// "" for none.
	Preferred string `json:"preferred,omitempty"`
	// TOTP is the user's verified authenticator; PendingTOTP one associated
	// but not yet verified, which replaces TOTP once it is.
	TOTP        *TOTPAuthenticator `json:"totp,omitempty"`
	PendingTOTP *TOTPAuthenticator `json:"pendingTotp,omitempty"`
}

// TOTPAuthenticator is an RFC 6238 authenticator registered for a user.
type TOTPAuthenticator struct {
	Secret       []byte    `json:"secret"` // the raw seed
	FriendlyName string    `json:"friendlyName,omitempty"`
	CreatedAt    time.Time `json:"createdAt"`
	// LastStep is the latest time step whose code was accepted: codes of
	// that step or an earlier one are refused, so none is used twice.
	LastStep int64 `json:"lastStep,omitempty"`
}

// Lookup key kinds. Alias kinds are attribute names ("email",
// "phone_number", "preferred_username").
const (
	KeyUsername = "username"
	KeySub      = "sub"
)

// UserKey is one unique lookup value of a user. Value is already normalised
// by the domain (lower-cased where the pool is case-insensitive).
type UserKey struct {
	Kind  string
	Value string
}

// PasswordVerifier is what Cognate keeps of a password: the SRP salt and
// verifier, computed with the user's Username as the SRP user id.
type PasswordVerifier struct {
	Salt     []byte `json:"salt"`
	Verifier []byte `json:"verifier"`
}

// Code is a pending one-time code. Only its hash is kept.
type Code struct {
	Hash      []byte    `json:"hash"`
	ExpiresAt time.Time `json:"expiresAt"`
	Attempts  int       `json:"attempts"`
	// Destination is where it was sent ("email", "phone_number") when that
	// matters for its use.
	Destination string `json:"destination,omitempty"`
	// Session ties the code (or, for TOTP, the count of wrong answers) to
	// one sign-in; "" for codes of other purposes.
	Session string `json:"session,omitempty"`
	// Pending is the new value of the attribute a verification code is
	// for, when the pool keeps the old value until the new one is verified
	// (AttributesRequireVerificationBeforeUpdate).
	Pending string `json:"pending,omitempty"`
}

// UserFilter selects users in ListUsers: an exact match or prefix on one
// attribute ("" Attribute for all users).
type UserFilter struct {
	Attribute string // "username", "email", "sub", "status", ...
	Value     string
	Prefix    bool
}

// UserStore persists users.
type UserStore interface {
	// CreateUser stores a new user with its keys. It fails with a
	// *KeyConflictError when one of the keys is taken, ErrNotFound if the
	// pool does not exist.
	CreateUser(ctx context.Context, u User) error
	// GetUserByKey finds the user owning a lookup key.
	GetUserByKey(ctx context.Context, poolID string, key UserKey) (User, error)
	// UpdateUser runs update on the user owning key, inside a transaction,
	// and stores the result, keys included (a *KeyConflictError if a new
	// key is taken).
	UpdateUser(ctx context.Context, poolID string, key UserKey, update func(User) (User, error)) (User, error)
	// DeleteUser removes the user owning key, its keys, its group
	// memberships, its devices and its sessions.
	DeleteUser(ctx context.Context, poolID string, key UserKey) error
	// ListUsers returns up to limit users ordered by username key, after
	// the given username key.
	ListUsers(ctx context.Context, poolID string, filter UserFilter, after string, limit int) ([]User, error)
	// CountUsers returns the number of users in the pool.
	CountUsers(ctx context.Context, poolID string) (int64, error)
}

// Group is a group of a user pool.
type Group struct {
	PoolID      string
	Name        string // unique in the pool, compared byte for byte
	Description string
	RoleARN     string
	// Precedence orders a user's groups, lowest first; nil for none.
	Precedence *int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// GroupStore persists groups and their members. A member is a user, found by
// any of its keys; deleting the user or the group ends the membership.
type GroupStore interface {
	// CreateGroup fails with ErrAlreadyExists if the pool has a group of
	// that name, ErrNotFound if the pool does not exist.
	CreateGroup(ctx context.Context, g Group) error
	GetGroup(ctx context.Context, poolID, name string) (Group, error)
	// UpdateGroup runs update on the current group inside a transaction
	// and stores what it returns.
	UpdateGroup(ctx context.Context, poolID, name string, update func(Group) (Group, error)) (Group, error)
	// DeleteGroup removes the group and its memberships.
	DeleteGroup(ctx context.Context, poolID, name string) error
	// ListGroups returns up to limit groups of the pool ordered by name,
	// starting after the given name.
	ListGroups(ctx context.Context, poolID, after string, limit int) ([]Group, error)
	// AddUserToGroup makes the user owning key a member of the group; a
	// member already is one. ErrNotFound if the group or the user does not
	// exist.
	AddUserToGroup(ctx context.Context, poolID, name string, key UserKey) error
	// RemoveUserFromGroup ends a membership; a user who is not a member is
	// not an error. ErrNotFound if the group or the user does not exist.
	RemoveUserFromGroup(ctx context.Context, poolID, name string, key UserKey) error
	// GroupsOfUser returns the groups of the user owning key, ordered by
	// name; none for an unknown user. Sign-in reads it to fill the
	// tokens' group claims.
	GroupsOfUser(ctx context.Context, poolID string, key UserKey) ([]Group, error)
	// ListGroupMembers returns up to limit members of the group ordered by
	// username key, after the given username key; none for an unknown
	// group.
	ListGroupMembers(ctx context.Context, poolID, name, after string, limit int) ([]User, error)
}

// Device is a device a user confirmed (ConfirmDevice) in a pool that tracks
// devices. A device belongs to one user and goes with it.
type Device struct {
	PoolID string
	// Key is the DeviceKey, "<region>_<uuid>"; unique in the pool.
	Key string
	// Sub is the sub of the user owning the device.
	Sub string
	// GroupKey is the DeviceGroupKey the device's verifier was computed
	// with.
	GroupKey string
	// Name is the DeviceName of ConfirmDevice; "" when none was given.
	Name string
	// Verifier is the device's SRP salt and verifier (secret), computed by
	// the client from its device password.
	Verifier PasswordVerifier
	// Remembered is the device status: remembered, or not_remembered.
	Remembered bool
	// LastIP is the address the device last signed in from; "" when
	// unknown.
	LastIP              string
	CreatedAt           time.Time
	UpdatedAt           time.Time
	LastAuthenticatedAt time.Time
}

// DeviceStore persists users' devices.
type DeviceStore interface {
	// CreateDevice stores a device of the user of d.PoolID whose sub is
	// d.Sub. It fails with ErrAlreadyExists if the pool has a device with
	// that key, and ErrNotFound if the user does not exist.
	CreateDevice(ctx context.Context, d Device) error
	GetDevice(ctx context.Context, poolID, key string) (Device, error)
	// UpdateDevice runs update on the current device inside a transaction
	// and stores what it returns.
	UpdateDevice(ctx context.Context, poolID, key string, update func(Device) (Device, error)) (Device, error)
	// DeleteDevice removes a device; ErrNotFound if there is none.
	DeleteDevice(ctx context.Context, poolID, key string) error
	// ListDevices returns up to limit devices of the user whose sub is
	// given, ordered by key, after the given key; only the remembered ones
	// when rememberedOnly is set.
	ListDevices(ctx context.Context, poolID, sub string, rememberedOnly bool, after string, limit int) ([]Device, error)
}

// Session is one sign-in: the family of tokens issued from one
// authentication, identified by the origin_jti claim they all carry, with
// its refresh token.
type Session struct {
	ID       string // origin_jti
	PoolID   string
	ClientID string
	Username string
	Sub      string
	// RefreshTokenHash is SHA-256 of the refresh token; unique.
	RefreshTokenHash []byte
	// PrevRefreshTokenHash is the refresh token that the last rotation
	// replaced, usable until PrevValidUntil; nil before any rotation.
	PrevRefreshTokenHash []byte
	PrevValidUntil       time.Time
	AuthTime             time.Time
	CreatedAt            time.Time
	ExpiresAt            time.Time
	RevokedAt            time.Time // zero while valid
	// DeviceKey is the device the sign-in was bound to: the device that
	// authenticated, or the one its NewDeviceMetadata named; "" for none.
	DeviceKey string
}

// SessionStore persists sign-in sessions.
type SessionStore interface {
	// CreateSession fails with ErrAlreadyExists if the id is taken; callers
	// rely on that to refuse a replayed sign-in step.
	CreateSession(ctx context.Context, s Session) error
	GetSession(ctx context.Context, id string) (Session, error)
	// GetSessionAndUser returns a session and, in the same read, the user
	// it belongs to: the user of the session's pool whose sub is the
	// session's. It fails with ErrNotFound if the session does not exist,
	// and returns the zero User if the user does not. Checking an access
	// token needs both.
	GetSessionAndUser(ctx context.Context, id string) (Session, User, error)
	// GetSessionByRefreshToken finds the session whose current or
	// previous refresh token has the hash.
	GetSessionByRefreshToken(ctx context.Context, hash []byte) (Session, error)
	// GetSessionAndUserByRefreshToken is GetSessionAndUser for the session
	// of a refresh token, which a refresh needs.
	GetSessionAndUserByRefreshToken(ctx context.Context, hash []byte) (Session, User, error)
	// RotateRefreshToken replaces the session's refresh token, if it is
	// still from, with to, keeping from usable until prevValidUntil. It
	// fails with ErrNotFound when the session does not exist or its
	// refresh token is no longer from, and ErrAlreadyExists when to is
	// taken.
	RotateRefreshToken(ctx context.Context, id string, from, to []byte, prevValidUntil time.Time) error
	// RevokeSession marks one session revoked at the given time; revoking a
	// revoked session is not an error.
	RevokeSession(ctx context.Context, id string, at time.Time) error
	// RevokeUserSessions revokes every live session of a user (by sub) and
	// reports how many it revoked.
	RevokeUserSessions(ctx context.Context, poolID, sub string, at time.Time) (int64, error)
	// DeleteExpiredSessions removes sessions that expired before the time.
	DeleteExpiredSessions(ctx context.Context, before time.Time) (int64, error)
}

// SigningKey is an RSA key a pool signs tokens with.
type SigningKey struct {
	PoolID     string
	KID        string
	PrivateDER []byte // secret: PKCS #8 DER
	CreatedAt  time.Time
	// RetiredAt is when the key stopped signing; zero while active. A
	// retired key stays published until it is deleted.
	RetiredAt time.Time
}

// KeyStore persists signing keys.
type KeyStore interface {
	AddSigningKey(ctx context.Context, k SigningKey) error
	// SigningKeys returns the pool's keys, oldest first.
	SigningKeys(ctx context.Context, poolID string) ([]SigningKey, error)
	RetireSigningKey(ctx context.Context, poolID, kid string, at time.Time) error
	DeleteSigningKey(ctx context.Context, poolID, kid string) error
}

// Message is a message Cognate sent (or would have sent) to a user.
type Message struct {
	ID          int64 // assigned by the engine, increasing
	PoolID      string
	Username    string
	Channel     string // "EMAIL" or "SMS"
	Destination string
	Purpose     string // "SignUp", "ResendCode", "AdminCreateUser", ...
	Subject     string
	Body        string
	Code        string // the code or temporary password carried, if any
	CreatedAt   time.Time
}

// MessageFilter selects outbox messages; empty fields match all.
type MessageFilter struct {
	PoolID   string
	Username string
}

// OutboxStore keeps delivered messages for development and tests.
type OutboxStore interface {
	// AddMessage stores m and returns its id.
	AddMessage(ctx context.Context, m Message) (int64, error)
	// ListMessages returns matching messages oldest first.
	ListMessages(ctx context.Context, f MessageFilter) ([]Message, error)
	// DeleteMessagesBefore removes the messages created before the time
	// and reports how many it removed.
	DeleteMessagesBefore(ctx context.Context, before time.Time) (int64, error)
}

// AccessKey is an administrator key for SigV4-signed operations.
type AccessKey struct {
	ID        string
	Secret    string // secret
	CreatedAt time.Time
}

// AccessKeyStore persists administrator keys.
type AccessKeyStore interface {
	// AddAccessKey fails with ErrAlreadyExists if the id is taken.
	AddAccessKey(ctx context.Context, k AccessKey) error
	GetAccessKey(ctx context.Context, id string) (AccessKey, error)
	ListAccessKeys(ctx context.Context) ([]AccessKey, error)
	// ReplaceAccessKeys removes every stored key and adds k, at once: a
	// reader sees the old keys or k, never neither.
	ReplaceAccessKeys(ctx context.Context, k AccessKey) error
}

// Counter is a short-lived number every replica shares: the wrong answers
// of a user, the code requests of an hour, a challenge already answered.
// Engines store its times and do not interpret them, except ExpiresAt.
type Counter struct {
	Count int
	// Start and Until are the domain's: when a window opened, when a
	// lock-out ends.
	Start time.Time
	Until time.Time
	// ExpiresAt is when the counter stops existing: reading it from then
	// on gives the zero Counter, and engines may delete it.
	ExpiresAt time.Time
}

// CounterStore keeps counters by key. Keys are the domain's: short strings
// (at most 200 bytes) that name what is counted; engines compare them byte
// for byte.
type CounterStore interface {
	// UpdateCounters runs update, inside one transaction, on the counters
	// named by keys, in that order (the zero Counter for one that does not
	// exist or expired by now), and stores what it returns, in the same
	// order; a Counter whose ExpiresAt is not after now is deleted.
	// Concurrent updates of a key are serialised, so no count is lost. An
	// error from update aborts and is returned.
	UpdateCounters(ctx context.Context, keys []string, now time.Time, update func([]Counter) ([]Counter, error)) ([]Counter, error)
	// Counters reads counters without changing them.
	Counters(ctx context.Context, keys []string, now time.Time) ([]Counter, error)
	// DeleteCounters deletes counters; a counter that does not exist is
	// no error.
	DeleteCounters(ctx context.Context, keys []string) error
	// DeleteExpiredCounters removes the counters that expired before the
	// time and reports how many it removed.
	DeleteExpiredCounters(ctx context.Context, before time.Time) (int64, error)
}
