package events

// UserMigrationSource is a trigger source of the user migration trigger.
type UserMigrationSource string

const (
	UserMigrationAuthentication UserMigrationSource = "UserMigration_Authentication"
	UserMigrationForgotPassword UserMigrationSource = "UserMigration_ForgotPassword"
)

// UserMigrationSources lists every source of the user migration trigger.
var UserMigrationSources = []UserMigrationSource{UserMigrationAuthentication, UserMigrationForgotPassword}

// UserMigration is the user migration trigger's event. Its userName is the name the user typed.
type UserMigration struct {
	Header
	Request  UserMigrationRequest  `json:"request"`
	Response UserMigrationResponse `json:"response"`
}

// UserMigrationRequest carries the password typed at sign-in (never sent for ForgotPassword). Cognito's
// guide says the sign-in request's ClientMetadata is how a caller passes validationData here; the caller
// decides what goes in each map.
type UserMigrationRequest struct {
	Password       string            `json:"password,omitempty"`
	ValidationData map[string]string `json:"validationData"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
}

// UserMigrationResponse is the user to create; Cognito sends every member null.
// FinalUserStatus is CONFIRMED or RESET_REQUIRED; MessageAction is SUPPRESS or RESEND;
// DesiredDeliveryMediums holds EMAIL and/or SMS.
type UserMigrationResponse struct {
	UserAttributes         map[string]string `json:"userAttributes"`
	FinalUserStatus        *string           `json:"finalUserStatus"`
	MessageAction          *string           `json:"messageAction"`
	DesiredDeliveryMediums []string          `json:"desiredDeliveryMediums"`
	ForceAliasCreation     *bool             `json:"forceAliasCreation"`
	EnableSMSMFA           *bool             `json:"enableSMSMFA"`
}

// NewUserMigration builds the event for an unknown user; password is empty for ForgotPassword.
func NewUserMigration(src UserMigrationSource, c Caller, password string, validationData, clientMetadata map[string]string) *UserMigration {
	if src == UserMigrationForgotPassword {
		password = ""
	}
	return &UserMigration{
		Header: c.header(eventVersion, string(src)),
		Request: UserMigrationRequest{
			Password:       password,
			ValidationData: validationData,
			ClientMetadata: clientMetadata,
		},
	}
}

// DecodeUserMigrationResponse reads a user migration function's returned event.
func DecodeUserMigrationResponse(raw []byte) (UserMigrationResponse, error) {
	var r UserMigrationResponse
	o, err := responseObject("UserMigration", raw)
	if err != nil {
		return r, err
	}
	err = firstError(
		o.stringMap("userAttributes", &r.UserAttributes),
		o.optString("finalUserStatus", &r.FinalUserStatus),
		o.optString("messageAction", &r.MessageAction),
		o.stringList("desiredDeliveryMediums", &r.DesiredDeliveryMediums),
		o.optBool("forceAliasCreation", &r.ForceAliasCreation),
		o.optBool("enableSMSMFA", &r.EnableSMSMFA),
	)
	return r, err
}
