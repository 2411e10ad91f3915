package events

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	lambdaevents "github.com/aws/aws-lambda-go/events"
)

// lambdaType gives, for a golden file, the aws-lambda-go type that models the same event, or nil where
// aws-lambda-go has none (the custom sender triggers).
func lambdaType(name string) any {
	trigger, _, _ := strings.Cut(name, "_")
	switch trigger {
	case "PreSignUp":
		return &lambdaevents.CognitoEventUserPoolsPreSignup{}
	case "PostConfirmation":
		return &lambdaevents.CognitoEventUserPoolsPostConfirmation{}
	case "PreAuthentication":
		return &lambdaevents.CognitoEventUserPoolsPreAuthentication{}
	case "PostAuthentication":
		return &lambdaevents.CognitoEventUserPoolsPostAuthentication{}
	case "PreTokenGenerationV1":
		return &lambdaevents.CognitoEventUserPoolsPreTokenGen{}
	case "PreTokenGenerationV2", "PreTokenGenerationV3":
		return &lambdaevents.CognitoEventUserPoolsPreTokenGenV2_0{}
	case "DefineAuthChallenge":
		return &lambdaevents.CognitoEventUserPoolsDefineAuthChallenge{}
	case "CreateAuthChallenge":
		return &lambdaevents.CognitoEventUserPoolsCreateAuthChallenge{}
	case "VerifyAuthChallengeResponse":
		return &lambdaevents.CognitoEventUserPoolsVerifyAuthChallenge{}
	case "CustomMessage":
		return &lambdaevents.CognitoEventUserPoolsCustomMessage{}
	case "UserMigration":
		return &lambdaevents.CognitoEventUserPoolsMigrateUser{}
	case "InboundFederation":
		return &lambdaevents.CognitoEventUserPoolsInboundFederation{}
	}
	return nil
}

// lambdaLacks lists, per trigger, the members Cognito's guide documents that aws-lambda-go v1.55.1 does
// not model. They are the only members of ours allowed to vanish in the round trip.
var lambdaLacks = map[string][]string{
	"CustomMessage": {"request.linkParameter"},
	"UserMigration": {"response.enableSMSMFA"},
}

// TestRoundTripThroughAWSLambdaGo unmarshals each golden event into aws-lambda-go's type and marshals it
// back: every member we send must come back with its value (but for lambdaLacks), and every member their
// type adds must be one we merely left out (its value zero).
func TestRoundTripThroughAWSLambdaGo(t *testing.T) {
	for _, c := range goldenCases() {
		t.Run(c.name, func(t *testing.T) {
			theirs := lambdaType(c.name)
			if theirs == nil {
				t.Skip("aws-lambda-go has no type for this trigger")
			}
			ours, err := os.ReadFile(filepath.Join("testdata", c.name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(ours, theirs); err != nil {
				t.Fatalf("aws-lambda-go cannot read our event: %v", err)
			}
			back, err := json.Marshal(theirs)
			if err != nil {
				t.Fatal(err)
			}
			trigger, _, _ := strings.Cut(c.name, "_")
			var a, b any
			mustUnmarshal(t, ours, &a)
			mustUnmarshal(t, back, &b)
			lacks := map[string]bool{}
			for _, p := range lambdaLacks[trigger] {
				lacks[p] = true
			}
			for _, d := range jsonDiff("", a, b, lacks) {
				t.Error(d)
			}
		})
	}
}

// TestLambdaLacksIsCurrent fails when aws-lambda-go learns a member listed as missing, so the list stays true.
func TestLambdaLacksIsCurrent(t *testing.T) {
	if !hasJSONPath(reflect.TypeOf(lambdaevents.CognitoEventUserPoolsCustomMessage{}), []string{"request", "codeParameter"}) ||
		!hasJSONPath(reflect.TypeOf(lambdaevents.CognitoEventUserPoolsMigrateUser{}), []string{"response", "finalUserStatus"}) ||
		!hasJSONPath(reflect.TypeOf(lambdaevents.CognitoEventUserPoolsPreSignup{}), []string{"triggerSource"}) {
		t.Fatal("hasJSONPath misses members aws-lambda-go has")
	}
	for trigger, paths := range lambdaLacks {
		typ := reflect.TypeOf(lambdaType(trigger + "_x")).Elem()
		for _, p := range paths {
			if hasJSONPath(typ, strings.Split(p, ".")) {
				t.Errorf("aws-lambda-go now models %s.%s; drop it from lambdaLacks", trigger, p)
			}
		}
	}
}

func hasJSONPath(t reflect.Type, path []string) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if len(path) == 0 {
		return true
	}
	if t.Kind() != reflect.Struct {
		return false
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && (name == "" || name == path[0]) {
			if name == path[0] {
				return hasJSONPath(f.Type, path[1:])
			}
			if hasJSONPath(f.Type, path) {
				return true
			}
			continue
		}
		if name == path[0] {
			return hasJSONPath(f.Type, path[1:])
		}
	}
	return false
}

func mustUnmarshal(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// jsonDiff compares our event a with its round trip b. A member of ours missing from b is an error unless
// listed in lacks; a member only b has must be zero; null on our side matches a zero value on theirs (their
// Go types have no null for a bool or a struct).
func jsonDiff(path string, a, b any, lacks map[string]bool) []string {
	if a == nil {
		if !isZero(b) {
			return []string{fmt.Sprintf("%s: we send null, they send %v", path, b)}
		}
		return nil
	}
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		var out []string
		keys := make([]string, 0, len(am)+len(bm))
		for k := range am {
			keys = append(keys, k)
		}
		for k := range bm {
			if _, ok := am[k]; !ok {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := strings.TrimPrefix(path+"."+k, ".")
			av, inA := am[k]
			bv, inB := bm[k]
			switch {
			case inA && !inB:
				if !lacks[p] {
					out = append(out, fmt.Sprintf("%s: aws-lambda-go does not know this member", p))
				}
			case !inA && inB:
				if !isZero(bv) {
					out = append(out, fmt.Sprintf("%s: only aws-lambda-go has it, as %v", p, bv))
				}
			default:
				out = append(out, jsonDiff(p, av, bv, lacks)...)
			}
		}
		return out
	}
	al, aok := a.([]any)
	bl, bok := b.([]any)
	if aok && bok && len(al) == len(bl) {
		var out []string
		for i := range al {
			out = append(out, jsonDiff(fmt.Sprintf("%s[%d]", path, i), al[i], bl[i], lacks)...)
		}
		return out
	}
	if !reflect.DeepEqual(a, b) {
		return []string{fmt.Sprintf("%s: we send %v, they send %v", path, a, b)}
	}
	return nil
}

func isZero(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case string:
		return x == ""
	case float64:
		return x == 0
	case []any:
		return len(x) == 0
	case map[string]any:
		for _, e := range x {
			if !isZero(e) {
				return false
			}
		}
		return true
	}
	return false
}

// TestJSONDiffCatches proves the comparison fails where it must.
func TestJSONDiffCatches(t *testing.T) {
	tests := []struct {
		a, b  string
		lacks string
		diffs int
	}{
		{`{"x":1}`, `{"x":1}`, "", 0},
		{`{"x":1}`, `{"x":2}`, "", 1},
		{`{"x":1}`, `{}`, "", 1},
		{`{"x":1}`, `{}`, "x", 0},
		{`{}`, `{"y":""}`, "", 0},
		{`{}`, `{"y":"v"}`, "", 1},
		{`{"r":null}`, `{"r":{"a":false,"b":[]}}`, "", 0},
		{`{"r":null}`, `{"r":{"a":true}}`, "", 1},
		{`{"r":{"s":["a"]}}`, `{"r":{"s":["b"]}}`, "", 1},
		{`{"s":["a"]}`, `{"s":["a","b"]}`, "", 1},
		{`{"s":[{"n":"a"}]}`, `{"s":[{"n":"a","m":""}]}`, "", 0},
	}
	for _, tt := range tests {
		var a, b any
		mustUnmarshal(t, []byte(tt.a), &a)
		mustUnmarshal(t, []byte(tt.b), &b)
		got := jsonDiff("", a, b, map[string]bool{tt.lacks: tt.lacks != ""})
		if len(got) != tt.diffs {
			t.Errorf("jsonDiff(%s, %s) = %q, want %d differences", tt.a, tt.b, got, tt.diffs)
		}
	}
}
