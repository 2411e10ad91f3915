package events

// InboundFederationExternalProvider is the inbound federation trigger's one source.
const InboundFederationExternalProvider = "InboundFederation_ExternalProvider"

// ProviderType is the kind of a federated identity provider, as the inbound federation request names it.
type ProviderType string

const (
	ProviderOIDC            ProviderType = "OIDC"
	ProviderSAML            ProviderType = "SAML"
	ProviderFacebook        ProviderType = "Facebook"
	ProviderGoogle          ProviderType = "Google"
	ProviderSignInWithApple ProviderType = "SignInWithApple"
	ProviderLoginWithAmazon ProviderType = "LoginWithAmazon"
)

// InboundFederation is the inbound federation trigger's event.
type InboundFederation struct {
	Header
	Request  InboundFederationRequest  `json:"request"`
	Response InboundFederationResponse `json:"response"`
}

// InboundFederationRequest carries what the provider said, before attribute mapping.
type InboundFederationRequest struct {
	ProviderName string             `json:"providerName"`
	ProviderType ProviderType       `json:"providerType"`
	Attributes   ProviderAttributes `json:"attributes"`
}

// ProviderAttributes is the provider's answer: the token response, ID token claims and userInfo for OIDC
// and social providers, the assertion's attributes for SAML. Absent parts are omitted.
type ProviderAttributes struct {
	TokenResponse map[string]string `json:"tokenResponse,omitempty"`
	IDToken       map[string]string `json:"idToken,omitempty"`
	UserInfo      map[string]string `json:"userInfo,omitempty"`
	SAMLResponse  map[string]string `json:"samlResponse,omitempty"`
}

// InboundFederationResponse is the attributes to keep: every attribute to be retained must be listed, and
// an empty object keeps the provider's attributes unchanged. Cognito sends it as {}.
type InboundFederationResponse struct {
	UserAttributesToMap map[string]string `json:"userAttributesToMap"`
}

// NewInboundFederation builds the event for a federated sign-in.
func NewInboundFederation(c Caller, providerName string, providerType ProviderType, attrs ProviderAttributes) *InboundFederation {
	return &InboundFederation{
		Header:   c.header(eventVersion, InboundFederationExternalProvider),
		Request:  InboundFederationRequest{ProviderName: providerName, ProviderType: providerType, Attributes: attrs},
		Response: InboundFederationResponse{UserAttributesToMap: map[string]string{}},
	}
}

// DecodeInboundFederationResponse reads an inbound federation function's returned event. A nil
// UserAttributesToMap means the function returned none; an empty one keeps the attributes unchanged.
func DecodeInboundFederationResponse(raw []byte) (InboundFederationResponse, error) {
	var r InboundFederationResponse
	o, err := responseObject("InboundFederation", raw)
	if err != nil {
		return r, err
	}
	return r, o.stringMap("userAttributesToMap", &r.UserAttributesToMap)
}
