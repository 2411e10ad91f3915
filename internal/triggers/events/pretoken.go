package events

// PreTokenGenerationSource is a trigger source of the pre token generation trigger.
type PreTokenGenerationSource string

const (
	TokenGenerationHostedAuth           PreTokenGenerationSource = "TokenGeneration_HostedAuth"
	TokenGenerationAuthentication       PreTokenGenerationSource = "TokenGeneration_Authentication"
	TokenGenerationNewPasswordChallenge PreTokenGenerationSource = "TokenGeneration_NewPasswordChallenge"
	TokenGenerationAuthenticateDevice   PreTokenGenerationSource = "TokenGeneration_AuthenticateDevice"
	TokenGenerationRefreshTokens        PreTokenGenerationSource = "TokenGeneration_RefreshTokens"
	// TokenGenerationClientCredentials is sent only to V3_0 functions, for machine-to-machine tokens.
	TokenGenerationClientCredentials PreTokenGenerationSource = "TokenGeneration_ClientCredentials"
)

// PreTokenGenerationSources lists the sources of user sign-in, sent to functions of every version.
var PreTokenGenerationSources = []PreTokenGenerationSource{
	TokenGenerationHostedAuth, TokenGenerationAuthentication, TokenGenerationNewPasswordChallenge,
	TokenGenerationAuthenticateDevice, TokenGenerationRefreshTokens,
}

// PreTokenGenerationVersion is a pool's PreTokenGenerationConfig.LambdaVersion.
type PreTokenGenerationVersion string

const (
	PreTokenGenerationV1 PreTokenGenerationVersion = "V1_0"
	PreTokenGenerationV2 PreTokenGenerationVersion = "V2_0"
	PreTokenGenerationV3 PreTokenGenerationVersion = "V3_0"
)

// eventVersion is the version member of the events of a configured LambdaVersion: "1", "2" or "3".
func (v PreTokenGenerationVersion) eventVersion() string {
	switch v {
	case PreTokenGenerationV2:
		return "2"
	case PreTokenGenerationV3:
		return "3"
	}
	return "1"
}

// GroupConfiguration is the user's groups and their IAM roles, as the tokens would carry them; in a
// response (groupOverrideDetails) it replaces them. Cognito sends empty arrays, not null, for no groups.
type GroupConfiguration struct {
	GroupsToOverride   []string `json:"groupsToOverride"`
	IAMRolesToOverride []string `json:"iamRolesToOverride"`
	PreferredRole      *string  `json:"preferredRole"`
}

// Groups is what the token minter knows of a user's groups, for the request's groupConfiguration.
type Groups struct {
	Names         []string // the cognito:groups claim, in precedence order
	Roles         []string // the cognito:roles claim
	PreferredRole string   // the cognito:preferred_role claim; empty for none
}

func (g Groups) configuration() GroupConfiguration {
	c := GroupConfiguration{GroupsToOverride: nonNilList(g.Names), IAMRolesToOverride: nonNilList(g.Roles)}
	if g.PreferredRole != "" {
		r := g.PreferredRole
		c.PreferredRole = &r
	}
	return c
}

// PreTokenGenerationV1Event is the V1_0 event: only the ID token can be changed.
type PreTokenGenerationV1Event struct {
	Header
	Request  PreTokenGenerationV1Request  `json:"request"`
	Response PreTokenGenerationV1Response `json:"response"`
}

// PreTokenGenerationV1Request carries the attributes the ID token would carry.
type PreTokenGenerationV1Request struct {
	UserAttributes     map[string]string  `json:"userAttributes"`
	GroupConfiguration GroupConfiguration `json:"groupConfiguration"`
	ClientMetadata     map[string]string  `json:"clientMetadata,omitempty"`
}

// PreTokenGenerationV1Response is sent with a null claimsOverrideDetails.
type PreTokenGenerationV1Response struct {
	ClaimsOverrideDetails *ClaimsOverrideDetails `json:"claimsOverrideDetails"`
}

// ClaimsOverrideDetails is a V1_0 function's change to the ID token: claim values are strings.
type ClaimsOverrideDetails struct {
	ClaimsToAddOrOverride map[string]string   `json:"claimsToAddOrOverride,omitempty"`
	ClaimsToSuppress      []string            `json:"claimsToSuppress,omitempty"`
	GroupOverrideDetails  *GroupConfiguration `json:"groupOverrideDetails,omitempty"`
}

// NewPreTokenGenerationV1 builds the V1_0 event for tokens about to be minted.
func NewPreTokenGenerationV1(src PreTokenGenerationSource, c Caller, attributes map[string]string, groups Groups, clientMetadata map[string]string) *PreTokenGenerationV1Event {
	return &PreTokenGenerationV1Event{
		Header: c.header(PreTokenGenerationV1.eventVersion(), string(src)),
		Request: PreTokenGenerationV1Request{
			UserAttributes:     nonNil(attributes),
			GroupConfiguration: groups.configuration(),
			ClientMetadata:     clientMetadata,
		},
	}
}

// PreTokenGenerationV2Event is the V2_0 and V3_0 event: both tokens and the access token's scopes can be
// changed. The two versions differ only in their version member and in V3_0 also being sent for
// client-credentials tokens.
type PreTokenGenerationV2Event struct {
	Header
	Request  PreTokenGenerationV2Request  `json:"request"`
	Response PreTokenGenerationV2Response `json:"response"`
}

// PreTokenGenerationV2Request adds the access token's scopes to the V1_0 request.
type PreTokenGenerationV2Request struct {
	UserAttributes     map[string]string  `json:"userAttributes"`
	Scopes             []string           `json:"scopes"`
	GroupConfiguration GroupConfiguration `json:"groupConfiguration"`
	ClientMetadata     map[string]string  `json:"clientMetadata,omitempty"`
}

// PreTokenGenerationV2Response is sent with a null claimsAndScopeOverrideDetails.
type PreTokenGenerationV2Response struct {
	ClaimsAndScopeOverrideDetails *ClaimsAndScopeOverrideDetails `json:"claimsAndScopeOverrideDetails"`
}

// ClaimsAndScopeOverrideDetails is a V2_0 / V3_0 function's change to both tokens.
type ClaimsAndScopeOverrideDetails struct {
	IDTokenGeneration     *IDTokenGeneration     `json:"idTokenGeneration,omitempty"`
	AccessTokenGeneration *AccessTokenGeneration `json:"accessTokenGeneration,omitempty"`
	GroupOverrideDetails  *GroupConfiguration    `json:"groupOverrideDetails,omitempty"`
}

// IDTokenGeneration changes the ID token; claim values may be any JSON value (numbers as json.Number).
type IDTokenGeneration struct {
	ClaimsToAddOrOverride map[string]any `json:"claimsToAddOrOverride,omitempty"`
	ClaimsToSuppress      []string       `json:"claimsToSuppress,omitempty"`
}

// AccessTokenGeneration changes the access token's claims and scopes.
type AccessTokenGeneration struct {
	ClaimsToAddOrOverride map[string]any `json:"claimsToAddOrOverride,omitempty"`
	ClaimsToSuppress      []string       `json:"claimsToSuppress,omitempty"`
	ScopesToAdd           []string       `json:"scopesToAdd,omitempty"`
	ScopesToSuppress      []string       `json:"scopesToSuppress,omitempty"`
}

// NewPreTokenGenerationV2 builds the V2_0 or V3_0 event (v says which) for tokens about to be minted.
// For TokenGeneration_ClientCredentials there is no user: pass an empty UserName and nil attributes.
func NewPreTokenGenerationV2(v PreTokenGenerationVersion, src PreTokenGenerationSource, c Caller, attributes map[string]string, groups Groups, scopes []string, clientMetadata map[string]string) *PreTokenGenerationV2Event {
	return &PreTokenGenerationV2Event{
		Header: c.header(v.eventVersion(), string(src)),
		Request: PreTokenGenerationV2Request{
			UserAttributes:     nonNil(attributes),
			Scopes:             nonNilList(scopes),
			GroupConfiguration: groups.configuration(),
			ClientMetadata:     clientMetadata,
		},
	}
}

// DecodePreTokenGenerationV1Response reads a V1_0 function's returned event.
func DecodePreTokenGenerationV1Response(raw []byte) (PreTokenGenerationV1Response, error) {
	var r PreTokenGenerationV1Response
	o, err := responseObject("PreTokenGeneration", raw)
	if err != nil {
		return r, err
	}
	d, ok, err := o.object("claimsOverrideDetails")
	if err != nil || !ok {
		return r, err
	}
	var c ClaimsOverrideDetails
	if err := firstError(
		d.stringMap("claimsToAddOrOverride", &c.ClaimsToAddOrOverride),
		d.stringList("claimsToSuppress", &c.ClaimsToSuppress),
		decodeGroups(d, "groupOverrideDetails", &c.GroupOverrideDetails),
	); err != nil {
		return r, err
	}
	r.ClaimsOverrideDetails = &c
	return r, nil
}

// DecodePreTokenGenerationV2Response reads a V2_0 or V3_0 function's returned event.
func DecodePreTokenGenerationV2Response(raw []byte) (PreTokenGenerationV2Response, error) {
	var r PreTokenGenerationV2Response
	o, err := responseObject("PreTokenGeneration", raw)
	if err != nil {
		return r, err
	}
	d, ok, err := o.object("claimsAndScopeOverrideDetails")
	if err != nil || !ok {
		return r, err
	}
	var c ClaimsAndScopeOverrideDetails
	if err := firstError(
		decodeIDToken(d, &c.IDTokenGeneration),
		decodeAccessToken(d, &c.AccessTokenGeneration),
		decodeGroups(d, "groupOverrideDetails", &c.GroupOverrideDetails),
	); err != nil {
		return r, err
	}
	r.ClaimsAndScopeOverrideDetails = &c
	return r, nil
}

func decodeIDToken(d object, dst **IDTokenGeneration) error {
	o, ok, err := d.object("idTokenGeneration")
	if err != nil || !ok {
		return err
	}
	var t IDTokenGeneration
	if err := firstError(
		o.valueMap("claimsToAddOrOverride", &t.ClaimsToAddOrOverride),
		o.stringList("claimsToSuppress", &t.ClaimsToSuppress),
	); err != nil {
		return err
	}
	*dst = &t
	return nil
}

func decodeAccessToken(d object, dst **AccessTokenGeneration) error {
	o, ok, err := d.object("accessTokenGeneration")
	if err != nil || !ok {
		return err
	}
	var t AccessTokenGeneration
	if err := firstError(
		o.valueMap("claimsToAddOrOverride", &t.ClaimsToAddOrOverride),
		o.stringList("claimsToSuppress", &t.ClaimsToSuppress),
		o.stringList("scopesToAdd", &t.ScopesToAdd),
		o.stringList("scopesToSuppress", &t.ScopesToSuppress),
	); err != nil {
		return err
	}
	*dst = &t
	return nil
}

func decodeGroups(d object, name string, dst **GroupConfiguration) error {
	o, ok, err := d.object(name)
	if err != nil || !ok {
		return err
	}
	var g GroupConfiguration
	if err := firstError(
		o.stringList("groupsToOverride", &g.GroupsToOverride),
		o.stringList("iamRolesToOverride", &g.IAMRolesToOverride),
		o.optString("preferredRole", &g.PreferredRole),
	); err != nil {
		return err
	}
	*dst = &g
	return nil
}

func nonNilList(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}
