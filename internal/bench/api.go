package bench

import (
	"context"
	"fmt"
)

// idpClient is the part of cognito-idp the measured operations call, all of
// them unsigned. rawClient implements it; clients_test.go compares its cost
// with net/http's and aws-sdk-go-v2's.
type idpClient interface {
	SignUp(ctx context.Context, clientID, username, password string) error
	InitiateAuth(ctx context.Context, clientID, flow string, params map[string]string) (authResult, error)
	RespondToAuthChallenge(ctx context.Context, clientID, challenge, session string, responses map[string]string) (authResult, error)
	GetUser(ctx context.Context, accessToken string) (username string, err error)
}

// identityClient is the part of cognito-identity the identity operation
// calls, unsigned, as an application signed in to a user pool does to get
// AWS credentials. rawClient implements it.
type identityClient interface {
	GetID(ctx context.Context, identityPoolID string, logins map[string]string) (identityID string, err error)
	GetCredentialsForIdentity(ctx context.Context, identityID string, logins map[string]string) (identityCredentials, error)
}

// identityCredentials is the answer of GetCredentialsForIdentity.
type identityCredentials struct {
	IdentityID                           string
	AccessKeyID, SecretKey, SessionToken string
}

// authResult is the answer of InitiateAuth or RespondToAuthChallenge: a
// challenge or tokens.
type authResult struct {
	ChallengeName       string
	ChallengeParameters map[string]string
	Session             string
	AccessToken         string
	IDToken             string
	RefreshToken        string
}

// APIError is an error the server answered.
type APIError struct {
	Status  int
	Code    string // Cognito's exception name
	Message string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%s (HTTP %d): %s", e.Code, e.Status, e.Message)
}
