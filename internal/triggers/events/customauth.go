package events

// The custom authentication triggers' one source each.
const (
	DefineAuthChallengeAuthentication         = "DefineAuthChallenge_Authentication"
	CreateAuthChallengeAuthentication         = "CreateAuthChallenge_Authentication"
	VerifyAuthChallengeResponseAuthentication = "VerifyAuthChallengeResponse_Authentication"
)

// ChallengeResult is one round of a custom sign-in so far, as the session array carries it.
// ChallengeName is one of CUSTOM_CHALLENGE, SRP_A, PASSWORD_VERIFIER, SMS_MFA, EMAIL_OTP,
// SOFTWARE_TOKEN_MFA, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER or ADMIN_NO_SRP_AUTH; ChallengeMetadata is
// what CreateAuthChallenge returned for a CUSTOM_CHALLENGE round, empty otherwise.
type ChallengeResult struct {
	ChallengeName     string `json:"challengeName"`
	ChallengeResult   bool   `json:"challengeResult"`
	ChallengeMetadata string `json:"challengeMetadata,omitempty"`
}

// DefineAuthChallenge is the define auth challenge trigger's event.
type DefineAuthChallenge struct {
	Header
	Request  DefineAuthChallengeRequest  `json:"request"`
	Response DefineAuthChallengeResponse `json:"response"`
}

// DefineAuthChallengeRequest carries the session's challenge history.
type DefineAuthChallengeRequest struct {
	UserAttributes map[string]string `json:"userAttributes"`
	Session        []ChallengeResult `json:"session"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
	UserNotFound   bool              `json:"userNotFound"`
}

// DefineAuthChallengeResponse is the function's decision; Cognito sends every member null.
type DefineAuthChallengeResponse struct {
	ChallengeName      *string `json:"challengeName"`
	IssueTokens        *bool   `json:"issueTokens"`
	FailAuthentication *bool   `json:"failAuthentication"`
}

// NewDefineAuthChallenge builds the event for a custom sign-in's next step.
func NewDefineAuthChallenge(c Caller, attributes map[string]string, session []ChallengeResult, clientMetadata map[string]string, userNotFound bool) *DefineAuthChallenge {
	return &DefineAuthChallenge{
		Header: c.header(eventVersion, DefineAuthChallengeAuthentication),
		Request: DefineAuthChallengeRequest{
			UserAttributes: nonNil(attributes),
			Session:        nonNilSession(session),
			ClientMetadata: clientMetadata,
			UserNotFound:   userNotFound,
		},
	}
}

// DecodeDefineAuthChallengeResponse reads a define auth challenge function's returned event.
func DecodeDefineAuthChallengeResponse(raw []byte) (DefineAuthChallengeResponse, error) {
	var r DefineAuthChallengeResponse
	o, err := responseObject("DefineAuthChallenge", raw)
	if err != nil {
		return r, err
	}
	err = firstError(
		o.optString("challengeName", &r.ChallengeName),
		o.optBool("issueTokens", &r.IssueTokens),
		o.optBool("failAuthentication", &r.FailAuthentication),
	)
	return r, err
}

// CreateAuthChallenge is the create auth challenge trigger's event.
type CreateAuthChallenge struct {
	Header
	Request  CreateAuthChallengeRequest  `json:"request"`
	Response CreateAuthChallengeResponse `json:"response"`
}

// CreateAuthChallengeRequest names the challenge DefineAuthChallenge chose and carries the history.
type CreateAuthChallengeRequest struct {
	UserAttributes map[string]string `json:"userAttributes"`
	ChallengeName  string            `json:"challengeName"`
	Session        []ChallengeResult `json:"session"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
	UserNotFound   bool              `json:"userNotFound"`
}

// CreateAuthChallengeResponse is the challenge: public parameters go to the client, private ones to
// VerifyAuthChallengeResponse, metadata into the session's history. Cognito sends every member null.
type CreateAuthChallengeResponse struct {
	PublicChallengeParameters  map[string]string `json:"publicChallengeParameters"`
	PrivateChallengeParameters map[string]string `json:"privateChallengeParameters"`
	ChallengeMetadata          *string           `json:"challengeMetadata"`
}

// NewCreateAuthChallenge builds the event for a challenge to be made.
func NewCreateAuthChallenge(c Caller, attributes map[string]string, challengeName string, session []ChallengeResult, clientMetadata map[string]string, userNotFound bool) *CreateAuthChallenge {
	return &CreateAuthChallenge{
		Header: c.header(eventVersion, CreateAuthChallengeAuthentication),
		Request: CreateAuthChallengeRequest{
			UserAttributes: nonNil(attributes),
			ChallengeName:  challengeName,
			Session:        nonNilSession(session),
			ClientMetadata: clientMetadata,
			UserNotFound:   userNotFound,
		},
	}
}

// DecodeCreateAuthChallengeResponse reads a create auth challenge function's returned event.
func DecodeCreateAuthChallengeResponse(raw []byte) (CreateAuthChallengeResponse, error) {
	var r CreateAuthChallengeResponse
	o, err := responseObject("CreateAuthChallenge", raw)
	if err != nil {
		return r, err
	}
	err = firstError(
		o.stringMap("publicChallengeParameters", &r.PublicChallengeParameters),
		o.stringMap("privateChallengeParameters", &r.PrivateChallengeParameters),
		o.optString("challengeMetadata", &r.ChallengeMetadata),
	)
	return r, err
}

// VerifyAuthChallengeResponse is the verify auth challenge response trigger's event.
type VerifyAuthChallengeResponse struct {
	Header
	Request  VerifyAuthChallengeRequest `json:"request"`
	Response VerifyAuthChallengeResult  `json:"response"`
}

// VerifyAuthChallengeRequest carries the private parameters of the challenge and the user's answer.
type VerifyAuthChallengeRequest struct {
	UserAttributes             map[string]string `json:"userAttributes"`
	PrivateChallengeParameters map[string]string `json:"privateChallengeParameters"`
	ChallengeAnswer            string            `json:"challengeAnswer"`
	ClientMetadata             map[string]string `json:"clientMetadata,omitempty"`
	UserNotFound               bool              `json:"userNotFound"`
}

// VerifyAuthChallengeResult is the function's verdict; Cognito sends it null.
type VerifyAuthChallengeResult struct {
	AnswerCorrect *bool `json:"answerCorrect"`
}

// NewVerifyAuthChallengeResponse builds the event for an answer to be checked.
func NewVerifyAuthChallengeResponse(c Caller, attributes, privateParameters map[string]string, answer string, clientMetadata map[string]string, userNotFound bool) *VerifyAuthChallengeResponse {
	return &VerifyAuthChallengeResponse{
		Header: c.header(eventVersion, VerifyAuthChallengeResponseAuthentication),
		Request: VerifyAuthChallengeRequest{
			UserAttributes:             nonNil(attributes),
			PrivateChallengeParameters: nonNil(privateParameters),
			ChallengeAnswer:            answer,
			ClientMetadata:             clientMetadata,
			UserNotFound:               userNotFound,
		},
	}
}

// DecodeVerifyAuthChallengeResponse reads a verify auth challenge response function's returned event.
func DecodeVerifyAuthChallengeResponse(raw []byte) (VerifyAuthChallengeResult, error) {
	var r VerifyAuthChallengeResult
	o, err := responseObject("VerifyAuthChallengeResponse", raw)
	if err != nil {
		return r, err
	}
	return r, o.optBool("answerCorrect", &r.AnswerCorrect)
}

func nonNilSession(s []ChallengeResult) []ChallengeResult {
	if s == nil {
		return []ChallengeResult{}
	}
	return s
}
