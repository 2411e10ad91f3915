package events

// CustomSenderSource is a trigger source of the custom email or SMS sender triggers.
type CustomSenderSource string

const (
	CustomEmailSenderSignUp                      CustomSenderSource = "CustomEmailSender_SignUp"
	CustomEmailSenderResendCode                  CustomSenderSource = "CustomEmailSender_ResendCode"
	CustomEmailSenderForgotPassword              CustomSenderSource = "CustomEmailSender_ForgotPassword"
	CustomEmailSenderUpdateUserAttribute         CustomSenderSource = "CustomEmailSender_UpdateUserAttribute"
	CustomEmailSenderVerifyUserAttribute         CustomSenderSource = "CustomEmailSender_VerifyUserAttribute"
	CustomEmailSenderAdminCreateUser             CustomSenderSource = "CustomEmailSender_AdminCreateUser"
	CustomEmailSenderAccountTakeOverNotification CustomSenderSource = "CustomEmailSender_AccountTakeOverNotification"
	CustomEmailSenderAuthentication              CustomSenderSource = "CustomEmailSender_Authentication"

	CustomSMSSenderSignUp              CustomSenderSource = "CustomSMSSender_SignUp"
	CustomSMSSenderResendCode          CustomSenderSource = "CustomSMSSender_ResendCode"
	CustomSMSSenderForgotPassword      CustomSenderSource = "CustomSMSSender_ForgotPassword"
	CustomSMSSenderUpdateUserAttribute CustomSenderSource = "CustomSMSSender_UpdateUserAttribute"
	CustomSMSSenderVerifyUserAttribute CustomSenderSource = "CustomSMSSender_VerifyUserAttribute"
	CustomSMSSenderAdminCreateUser     CustomSenderSource = "CustomSMSSender_AdminCreateUser"
	CustomSMSSenderAuthentication      CustomSenderSource = "CustomSMSSender_Authentication"
)

// CustomEmailSenderSources and CustomSMSSenderSources list every source of the two sender triggers.
var (
	CustomEmailSenderSources = []CustomSenderSource{
		CustomEmailSenderSignUp, CustomEmailSenderResendCode, CustomEmailSenderForgotPassword,
		CustomEmailSenderUpdateUserAttribute, CustomEmailSenderVerifyUserAttribute, CustomEmailSenderAdminCreateUser,
		CustomEmailSenderAccountTakeOverNotification, CustomEmailSenderAuthentication,
	}
	CustomSMSSenderSources = []CustomSenderSource{
		CustomSMSSenderSignUp, CustomSMSSenderResendCode, CustomSMSSenderForgotPassword,
		CustomSMSSenderUpdateUserAttribute, CustomSMSSenderVerifyUserAttribute, CustomSMSSenderAdminCreateUser,
		CustomSMSSenderAuthentication,
	}
)

// The request types of the V1_0 sender events.
const (
	CustomEmailSenderRequestV1 = "customEmailSenderRequestV1"
	CustomSMSSenderRequestV1   = "customSMSSenderRequestV1"
)

// CustomSender is the custom email or SMS sender trigger's event. It has no response member: the
// function delivers the message itself and only a thrown error reaches the caller.
type CustomSender struct {
	Header
	Request CustomSenderRequest `json:"request"`
}

// CustomSenderRequest carries the code (or temporary password) encrypted for the function, never in clear.
type CustomSenderRequest struct {
	Type           string            `json:"type"`
	Code           string            `json:"code"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
	UserAttributes map[string]string `json:"userAttributes"`
}

// NewCustomSender builds a sender event; encryptedCode is the code already encrypted for the function
// (base64 text). The request type follows the source: email or SMS.
func NewCustomSender(src CustomSenderSource, c Caller, encryptedCode string, attributes, clientMetadata map[string]string) *CustomSender {
	typ := CustomSMSSenderRequestV1
	if src.Email() {
		typ = CustomEmailSenderRequestV1
	}
	return &CustomSender{
		Header: c.header(eventVersion, string(src)),
		Request: CustomSenderRequest{
			Type:           typ,
			Code:           encryptedCode,
			ClientMetadata: clientMetadata,
			UserAttributes: nonNil(attributes),
		},
	}
}

// Email says whether the source is the email sender's (else it is the SMS sender's).
func (s CustomSenderSource) Email() bool {
	const p = "CustomEmailSender_"
	return len(s) > len(p) && string(s[:len(p)]) == p
}
