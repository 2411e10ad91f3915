package events

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecodeResponses feeds one input to every decoder: none may panic, every refusal is a *ResponseError,
// and nothing that is not a single JSON object is accepted.
func FuzzDecodeResponses(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		`{"response":{"autoConfirmUser":true}}`,
		`{"response":{"claimsOverrideDetails":{"claimsToAddOrOverride":{"a":"b"},"groupOverrideDetails":{"preferredRole":null}}}}`,
		`{"response":{"claimsAndScopeOverrideDetails":{"idTokenGeneration":{"claimsToAddOrOverride":{"n":1e400}}}}}`,
		`{"response":{"challengeName":"CUSTOM_CHALLENGE","issueTokens":null}}`,
		`{"response":{"desiredDeliveryMediums":["EMAIL",null]}}`,
		`[]`, `null`, `{"response":"x"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var probe map[string]json.RawMessage
		isObject := json.Unmarshal(in, &probe) == nil && probe != nil
		for name, decode := range decoders {
			_, err := decode(in)
			if err == nil && !isObject {
				t.Fatalf("%s accepted %q, which is not a JSON object", name, in)
			}
			var re *ResponseError
			if err != nil && !errors.As(err, &re) {
				t.Fatalf("%s: %T is not a *ResponseError", name, err)
			}
		}
	})
}
