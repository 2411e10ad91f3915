package events

// CustomMessageSource is a trigger source of the custom message trigger.
type CustomMessageSource string

const (
	CustomMessageSignUp              CustomMessageSource = "CustomMessage_SignUp"
	CustomMessageAdminCreateUser     CustomMessageSource = "CustomMessage_AdminCreateUser"
	CustomMessageResendCode          CustomMessageSource = "CustomMessage_ResendCode"
	CustomMessageForgotPassword      CustomMessageSource = "CustomMessage_ForgotPassword"
	CustomMessageUpdateUserAttribute CustomMessageSource = "CustomMessage_UpdateUserAttribute"
	CustomMessageVerifyUserAttribute CustomMessageSource = "CustomMessage_VerifyUserAttribute"
	CustomMessageAuthentication      CustomMessageSource = "CustomMessage_Authentication"
)

// CustomMessageSources lists every source of the custom message trigger.
var CustomMessageSources = []CustomMessageSource{
	CustomMessageSignUp, CustomMessageAdminCreateUser, CustomMessageResendCode, CustomMessageForgotPassword,
	CustomMessageUpdateUserAttribute, CustomMessageVerifyUserAttribute, CustomMessageAuthentication,
}

// The placeholders Cognito puts in a custom message request and replaces in the response.
const (
	CodePlaceholder     = "{####}"
	UsernamePlaceholder = "{username}"
	LinkPlaceholder     = "{##Click Here##}"
)

// CustomMessage is the custom message trigger's event.
type CustomMessage struct {
	Header
	Request  CustomMessageRequest  `json:"request"`
	Response CustomMessageResponse `json:"response"`
}

// CustomMessageRequest carries the placeholders the function writes into its messages: the code always,
// the username only for an AdminCreateUser invitation, the link only where a verification link may be sent
// (sign-up and resent confirmation codes).
type CustomMessageRequest struct {
	UserAttributes    map[string]string `json:"userAttributes"`
	CodeParameter     string            `json:"codeParameter"`
	LinkParameter     *string           `json:"linkParameter"`
	UsernameParameter *string           `json:"usernameParameter"`
	ClientMetadata    map[string]string `json:"clientMetadata,omitempty"`
}

// CustomMessageResponse is the messages Cognito sends instead of its own; Cognito sends every member null.
type CustomMessageResponse struct {
	SMSMessage   *string `json:"smsMessage"`
	EmailMessage *string `json:"emailMessage"`
	EmailSubject *string `json:"emailSubject"`
}

// NewCustomMessage builds the event for a message about to be sent.
func NewCustomMessage(src CustomMessageSource, c Caller, attributes, clientMetadata map[string]string) *CustomMessage {
	r := CustomMessageRequest{
		UserAttributes: nonNil(attributes),
		CodeParameter:  CodePlaceholder,
		ClientMetadata: clientMetadata,
	}
	switch src {
	case CustomMessageAdminCreateUser:
		u := UsernamePlaceholder
		r.UsernameParameter = &u
	case CustomMessageSignUp, CustomMessageResendCode:
		l := LinkPlaceholder
		r.LinkParameter = &l
	}
	return &CustomMessage{Header: c.header(eventVersion, string(src)), Request: r}
}

// DecodeCustomMessageResponse reads a custom message function's returned event.
func DecodeCustomMessageResponse(raw []byte) (CustomMessageResponse, error) {
	var r CustomMessageResponse
	o, err := responseObject("CustomMessage", raw)
	if err != nil {
		return r, err
	}
	err = firstError(
		o.optString("smsMessage", &r.SMSMessage),
		o.optString("emailMessage", &r.EmailMessage),
		o.optString("emailSubject", &r.EmailSubject),
	)
	return r, err
}
