package awsjson

import (
	"regexp"
	"testing"

	"github.com/cognate-auth/cognate/internal/apierr"
)

// The rules and types below mirror what modelgen generates, on a small
// made-up shape, so that this package is tested on its own.
var (
	ruleClient = &StringRule{Min: Bound(1), Max: Bound(8), Pattern: `[\w+]+`, Regexp: regexp.MustCompile(`^(?:[\w+]+)$`), Sensitive: true}
	rulePool   = &StringRule{Min: Bound(1), Max: Bound(20), Pattern: `[\w-]+_[0-9a-zA-Z]+`, Regexp: regexp.MustCompile(`^(?:[\w-]+_[0-9a-zA-Z]+)$`)}
	ruleName   = &StringRule{Min: Bound(1), Max: Bound(4)}
	ruleSecret = &StringRule{Max: Bound(3), Sensitive: true}
	ruleFlow   = &StringRule{Enum: []string{"A", "B"}}
	ruleLimit  = &IntRule{Min: Bound(1), Max: Bound(10)}
	ruleFlows  = &ListRule{Max: Bound(2), Member: ruleFlow}
	ruleAttrs  = &ListRule{Max: Bound(3)}
	ruleMeta   = &MapRule{Max: Bound(2), Key: ruleName, Value: ruleName}
	ruleAuth   = &MapRule{Key: ruleName, Value: ruleName, Sensitive: true}
)

type testAttr struct {
	Name  string
	Value string
}

func (x *testAttr) ValidateAt(v *Validation, p Path) {
	v.String(p.Member("Name"), x.Name, true, ruleName)
	v.String(p.Member("Value"), x.Value, false, ruleSecret)
}

type testContext struct{ IP string }

func (x *testContext) ValidateAt(v *Validation, p Path) {
	p = p.Redacted()
	v.String(p.Member("IP"), x.IP, false, ruleName)
}

type testInput struct {
	ClientId    string
	UserPoolId  string
	Flow        string
	Limit       *int32
	Attrs       []testAttr
	Flows       []string
	Meta        map[string]string
	Auth        map[string]string
	Context     *testContext
	SAMLOptions *testContext
}

func (x *testInput) ValidateAt(v *Validation, p Path) {
	v.String(p.Member("ClientId"), x.ClientId, true, ruleClient)
	v.String(p.Member("UserPoolId"), x.UserPoolId, false, rulePool)
	v.String(p.Member("Flow"), x.Flow, false, ruleFlow)
	v.Int32(p.Member("Limit"), x.Limit, false, ruleLimit)
	{
		p1 := p.Member("Attrs")
		if v.List(p1, len(x.Attrs), x.Attrs == nil, false, ruleAttrs) {
			for i := range x.Attrs {
				x.Attrs[i].ValidateAt(v, p1.Index(i))
			}
		}
	}
	v.StringList(p.Member("Flows"), x.Flows, false, ruleFlows)
	v.StringMap(p.Member("Meta"), x.Meta, false, ruleMeta)
	v.StringMap(p.Member("Auth"), x.Auth, false, ruleAuth)
	if x.Context != nil {
		x.Context.ValidateAt(v, p.Member("Context"))
	}
	if x.SAMLOptions != nil {
		x.SAMLOptions.ValidateAt(v, p.Member("SAMLOptions"))
	}
}

func TestValidationMessages(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string // "" for valid
	}{
		{"valid", `{"ClientId":"abc","UserPoolId":"us-east-1_X1"}`, ""},
		{"missing required", `{}`, "1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null"},
		{"null is missing", `{"ClientId":null}`, "1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null"},
		{"empty required string is checked, not null", `{"ClientId":""}`,
			"2 validation errors detected: Value at 'clientId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+]+; " +
				"Value at 'clientId' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"empty optional string sent", `{"ClientId":"a","UserPoolId":""}`,
			"2 validation errors detected: Value '' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+; " +
				"Value '' at 'userPoolId' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"pattern must match the whole value", `{"ClientId":"a","UserPoolId":"x_y!"}`,
			"1 validation error detected: Value 'x_y!' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+"},
		{"sensitive value never quoted", `{"ClientId":"a b"}`,
			"1 validation error detected: Value at 'clientId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+]+"},
		{"length counts characters, not bytes", `{"ClientId":"a","Attrs":[{"Name":"éééé"}]}`, ""},
		{"length over in characters", `{"ClientId":"a","Attrs":[{"Name":"日本語ab"}]}`,
			"1 validation error detected: Value '日本語ab' at 'attrs.1.member.name' failed to satisfy constraint: Member must have length less than or equal to 4"},
		{"nested list path and sensitive member", `{"ClientId":"a","Attrs":[{"Name":"ok"},{"Value":"toolong"}]}`,
			"2 validation errors detected: Value null at 'attrs.2.member.name' failed to satisfy constraint: Member must not be null; " +
				"Value at 'attrs.2.member.value' failed to satisfy constraint: Member must have length less than or equal to 3"},
		{"list size", `{"ClientId":"a","Attrs":[{"Name":"a"},{"Name":"b"},{"Name":"c"},{"Name":"d"}]}`,
			"1 validation error detected: Value at 'attrs' failed to satisfy constraint: Member must have length less than or equal to 3"},
		{"enum", `{"ClientId":"a","Flow":"C"}`,
			"1 validation error detected: Value 'C' at 'flow' failed to satisfy constraint: Member must satisfy enum value set: [A, B]"},
		{"enum list reported once for the list", `{"ClientId":"a","Flows":["A","X"]}`,
			"1 validation error detected: Value '[A, X]' at 'flows' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [A, B]]"},
		{"integer range", `{"ClientId":"a","Limit":11}`,
			"1 validation error detected: Value '11' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10"},
		{"integer low", `{"ClientId":"a","Limit":0}`,
			"1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"map keys and values", `{"ClientId":"a","Meta":{"toolong":"x","b":""}}`,
			"2 validation errors detected: Value '{b=, toolong=x}' at 'meta' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 4, Member must have length greater than or equal to 1]; " +
				"Value '{b=, toolong=x}' at 'meta' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 4, Member must have length greater than or equal to 1]"},
		{"sensitive map not quoted", `{"ClientId":"a","Auth":{"PASSWORD":"x"}}`,
			"1 validation error detected: Value at 'auth' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 4, Member must have length greater than or equal to 1]"},
		{"sensitive structure hides nested values", `{"ClientId":"a","Context":{"IP":"1.2.3.4"}}`,
			"1 validation error detected: Value at 'context.iP' failed to satisfy constraint: Member must have length less than or equal to 4"},
		{"lower camel lowers only the first letter", `{"ClientId":"a","SAMLOptions":{"IP":""}}`,
			"1 validation error detected: Value at 'sAMLOptions.iP' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"errors in member order", `{"Limit":99,"Flow":"Z"}`,
			"3 validation errors detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null; " +
				"Value 'Z' at 'flow' failed to satisfy constraint: Member must satisfy enum value set: [A, B]; " +
				"Value '99' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in testInput
			if err := Decode([]byte(tt.body), &in); err != nil {
				t.Fatal(err)
			}
			v := NewValidation([]byte(tt.body))
			in.ValidateAt(v, Path{})
			err := v.Err()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			e := apierr.As(err)
			if e.Code != apierr.InvalidParameter {
				t.Errorf("got %s, want InvalidParameterException", e.Code)
			}
			if e.Message != tt.want {
				t.Errorf("message\n got: %s\nwant: %s", e.Message, tt.want)
			}
		})
	}
}

// Without a body (a request built in Go) an empty required string is missing.
func TestCheckWithoutBody(t *testing.T) {
	err := Check(&testInput{})
	want := "1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null"
	if e := apierr.As(err); e.Message != want {
		t.Fatalf("got %q, want %q", e.Message, want)
	}
	if err := Check(&testInput{ClientId: "ok"}); err != nil {
		t.Fatal(err)
	}
}

func TestPathString(t *testing.T) {
	var root Path
	a := root.Member("UserAttributes")
	b := a.Index(0)
	c := b.Member("Name")
	m := root.Member("RoleMappings")
	k := m.Key("graph.facebook.com")
	d := k.Member("Type")
	for _, tt := range []struct {
		p    Path
		want string
	}{
		{root, ""},
		{a, "userAttributes"},
		{c, "userAttributes.1.member.name"},
		{d, "roleMappings.graph.facebook.com.member.type"},
	} {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}
