package events

// DefaultSDKVersion is the awsSdkVersion Cognito reports when the caller's SDK did not name itself.
const DefaultSDKVersion = "aws-sdk-unknown-unknown"

// Header is the part every trigger event shares, in Cognito's member order.
type Header struct {
	Version       string        `json:"version"`
	TriggerSource string        `json:"triggerSource"`
	Region        string        `json:"region"`
	UserPoolID    string        `json:"userPoolId"`
	UserName      string        `json:"userName"`
	CallerContext CallerContext `json:"callerContext"`
}

// CallerContext names the SDK and app client of the request that caused the event.
type CallerContext struct {
	AWSSDKVersion string `json:"awsSdkVersion"`
	ClientID      string `json:"clientId"`
}

// Caller is what the operation knows about who is asking: the pool (and its region), the user's name as
// Cognito reports it (the username, or the sub in pools signing in by alias) and the app client.
type Caller struct {
	Region     string
	UserPoolID string
	UserName   string
	ClientID   string
	// SDKVersion is the caller's SDK as its User-Agent names it; empty means DefaultSDKVersion.
	SDKVersion string
}

func (c Caller) header(version, source string) Header {
	sdk := c.SDKVersion
	if sdk == "" {
		sdk = DefaultSDKVersion
	}
	return Header{
		Version:       version,
		TriggerSource: source,
		Region:        c.Region,
		UserPoolID:    c.UserPoolID,
		UserName:      c.UserName,
		CallerContext: CallerContext{AWSSDKVersion: sdk, ClientID: c.ClientID},
	}
}

// eventVersion is the version member of every trigger but pre token generation.
const eventVersion = "1"

// Empty is the response member of triggers whose response Cognito ignores: it is sent as {}.
type Empty struct{}
