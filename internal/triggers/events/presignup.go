package events

// PreSignUpSource is a trigger source of the pre sign-up trigger.
type PreSignUpSource string

const (
	PreSignUpSignUp           PreSignUpSource = "PreSignUp_SignUp"
	PreSignUpAdminCreateUser  PreSignUpSource = "PreSignUp_AdminCreateUser"
	PreSignUpExternalProvider PreSignUpSource = "PreSignUp_ExternalProvider"
)

// PreSignUpSources lists every source of the pre sign-up trigger.
var PreSignUpSources = []PreSignUpSource{PreSignUpSignUp, PreSignUpAdminCreateUser, PreSignUpExternalProvider}

// PreSignUp is the pre sign-up trigger's event.
type PreSignUp struct {
	Header
	Request  PreSignUpRequest  `json:"request"`
	Response PreSignUpResponse `json:"response"`
}

// PreSignUpRequest carries the new user's attributes and the caller's ValidationData and ClientMetadata;
// Cognito sends null for either map when the request had none.
type PreSignUpRequest struct {
	UserAttributes map[string]string `json:"userAttributes"`
	ValidationData map[string]string `json:"validationData"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
}

// PreSignUpResponse is what Cognito applies: confirm the user, mark the email or phone verified.
type PreSignUpResponse struct {
	AutoConfirmUser bool `json:"autoConfirmUser"`
	AutoVerifyEmail bool `json:"autoVerifyEmail"`
	AutoVerifyPhone bool `json:"autoVerifyPhone"`
}

// NewPreSignUp builds the event for a user about to be created.
func NewPreSignUp(src PreSignUpSource, c Caller, attributes, validationData, clientMetadata map[string]string) *PreSignUp {
	return &PreSignUp{
		Header: c.header(eventVersion, string(src)),
		Request: PreSignUpRequest{
			UserAttributes: nonNil(attributes),
			ValidationData: validationData,
			ClientMetadata: clientMetadata,
		},
	}
}

// DecodePreSignUpResponse reads a pre sign-up function's returned event.
func DecodePreSignUpResponse(raw []byte) (PreSignUpResponse, error) {
	var r PreSignUpResponse
	o, err := responseObject("PreSignUp", raw)
	if err != nil {
		return r, err
	}
	err = firstError(
		o.bool("autoConfirmUser", &r.AutoConfirmUser),
		o.bool("autoVerifyEmail", &r.AutoVerifyEmail),
		o.bool("autoVerifyPhone", &r.AutoVerifyPhone),
	)
	return r, err
}
