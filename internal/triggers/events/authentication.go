package events

// PostConfirmationSource is a trigger source of the post confirmation trigger.
type PostConfirmationSource string

const (
	PostConfirmationConfirmSignUp         PostConfirmationSource = "PostConfirmation_ConfirmSignUp"
	PostConfirmationConfirmForgotPassword PostConfirmationSource = "PostConfirmation_ConfirmForgotPassword"
)

// PostConfirmationSources lists every source of the post confirmation trigger.
var PostConfirmationSources = []PostConfirmationSource{PostConfirmationConfirmSignUp, PostConfirmationConfirmForgotPassword}

// PostConfirmation is the post confirmation trigger's event; Cognito ignores its response.
type PostConfirmation struct {
	Header
	Request  PostConfirmationRequest `json:"request"`
	Response Empty                   `json:"response"`
}

// PostConfirmationRequest carries the confirmed user's attributes and the caller's ClientMetadata.
type PostConfirmationRequest struct {
	UserAttributes map[string]string `json:"userAttributes"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
}

// NewPostConfirmation builds the event for a user just confirmed.
func NewPostConfirmation(src PostConfirmationSource, c Caller, attributes, clientMetadata map[string]string) *PostConfirmation {
	return &PostConfirmation{
		Header:  c.header(eventVersion, string(src)),
		Request: PostConfirmationRequest{UserAttributes: nonNil(attributes), ClientMetadata: clientMetadata},
	}
}

// PreAuthenticationAuthentication is the pre authentication trigger's one source.
const PreAuthenticationAuthentication = "PreAuthentication_Authentication"

// PreAuthentication is the pre authentication trigger's event; Cognito ignores its response (only a thrown
// error matters).
type PreAuthentication struct {
	Header
	Request  PreAuthenticationRequest `json:"request"`
	Response Empty                    `json:"response"`
}

// PreAuthenticationRequest carries the user's attributes, the sign-in's ClientMetadata (which Cognito names
// validationData here) and, in pools that prevent user existence errors, whether the user was not found.
type PreAuthenticationRequest struct {
	UserAttributes map[string]string `json:"userAttributes"`
	UserNotFound   bool              `json:"userNotFound"`
	ValidationData map[string]string `json:"validationData"`
}

// NewPreAuthentication builds the event for a sign-in about to be checked.
func NewPreAuthentication(c Caller, attributes, clientMetadata map[string]string, userNotFound bool) *PreAuthentication {
	return &PreAuthentication{
		Header: c.header(eventVersion, PreAuthenticationAuthentication),
		Request: PreAuthenticationRequest{
			UserAttributes: nonNil(attributes),
			UserNotFound:   userNotFound,
			ValidationData: clientMetadata,
		},
	}
}

// PostAuthenticationAuthentication is the post authentication trigger's one source.
const PostAuthenticationAuthentication = "PostAuthentication_Authentication"

// PostAuthentication is the post authentication trigger's event; Cognito ignores its response.
type PostAuthentication struct {
	Header
	Request  PostAuthenticationRequest `json:"request"`
	Response Empty                     `json:"response"`
}

// PostAuthenticationRequest says whether the sign-in came from a device the user had not used before.
type PostAuthenticationRequest struct {
	NewDeviceUsed  bool              `json:"newDeviceUsed"`
	UserAttributes map[string]string `json:"userAttributes"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
}

// NewPostAuthentication builds the event for a user just signed in.
func NewPostAuthentication(c Caller, attributes, clientMetadata map[string]string, newDeviceUsed bool) *PostAuthentication {
	return &PostAuthentication{
		Header: c.header(eventVersion, PostAuthenticationAuthentication),
		Request: PostAuthenticationRequest{
			NewDeviceUsed:  newDeviceUsed,
			UserAttributes: nonNil(attributes),
			ClientMetadata: clientMetadata,
		},
	}
}

// DecodeEmptyResponse checks the returned event of a trigger whose response Cognito ignores (post
// confirmation, pre and post authentication): it must still be a JSON object.
func DecodeEmptyResponse(trigger string, raw []byte) error {
	_, err := responseObject(trigger, raw)
	return err
}
