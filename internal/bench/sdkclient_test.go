package bench

import (
	"context"
	"errors"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
)

// sdkClient calls through aws-sdk-go-v2, as most Go programs would, with
// retries off so that every failure counts.
type sdkClient struct{ c *cip.Client }

func newSDKClient(endpoint, region string, creds aws.CredentialsProvider, hc *http.Client) *sdkClient {
	return &sdkClient{cip.New(cip.Options{
		Region: region, BaseEndpoint: aws.String(endpoint), Credentials: creds,
		HTTPClient: hc, Retryer: aws.NopRetryer{},
	})}
}

func (c *sdkClient) SignUp(ctx context.Context, clientID, username, password string) error {
	_, err := c.c.SignUp(ctx, &cip.SignUpInput{ClientId: &clientID, Username: &username, Password: &password})
	return sdkError(err)
}

func (c *sdkClient) InitiateAuth(ctx context.Context, clientID, flow string, params map[string]string) (authResult, error) {
	out, err := c.c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowType(flow), AuthParameters: params})
	if err != nil {
		return authResult{}, sdkError(err)
	}
	return sdkAuth(string(out.ChallengeName), out.ChallengeParameters, out.Session, out.AuthenticationResult), nil
}

func (c *sdkClient) RespondToAuthChallenge(ctx context.Context, clientID, challenge, session string, responses map[string]string) (authResult, error) {
	in := &cip.RespondToAuthChallengeInput{ClientId: &clientID, ChallengeName: types.ChallengeNameType(challenge), ChallengeResponses: responses}
	if session != "" {
		in.Session = &session
	}
	out, err := c.c.RespondToAuthChallenge(ctx, in)
	if err != nil {
		return authResult{}, sdkError(err)
	}
	return sdkAuth(string(out.ChallengeName), out.ChallengeParameters, out.Session, out.AuthenticationResult), nil
}

func (c *sdkClient) GetUser(ctx context.Context, accessToken string) (string, error) {
	out, err := c.c.GetUser(ctx, &cip.GetUserInput{AccessToken: &accessToken})
	if err != nil {
		return "", sdkError(err)
	}
	return aws.ToString(out.Username), nil
}

func sdkAuth(challenge string, params map[string]string, session *string, res *types.AuthenticationResultType) authResult {
	r := authResult{ChallengeName: challenge, ChallengeParameters: params, Session: aws.ToString(session)}
	if res != nil {
		r.AccessToken, r.IDToken, r.RefreshToken = aws.ToString(res.AccessToken), aws.ToString(res.IdToken), aws.ToString(res.RefreshToken)
	}
	return r
}

// sdkError turns the SDK's error into an *APIError when the server answered
// one, so both clients report failures alike.
func sdkError(err error) error {
	var api smithy.APIError
	if !errors.As(err, &api) {
		return err
	}
	e := &APIError{Code: api.ErrorCode(), Message: api.ErrorMessage()}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		e.Status = re.HTTPStatusCode()
	}
	return e
}
