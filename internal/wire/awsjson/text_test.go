package awsjson

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzCheckText checks that what checkText lets through decodes without
// replacement characters, unless the body itself spelled U+FFFD.
func FuzzCheckText(f *testing.F) {
	for _, s := range []string{`a`, `\ud800`, `\ud83d\ude00`, `\\ud800`, `\udc00\ud800`, "\xff", `\u12`, `\ufffd`, "\ufffd", `\"\u0041`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		body := []byte(`{"Note":"` + s + `"}`)
		if checkText(body) != nil {
			return
		}
		var v struct{ Note string }
		if json.Unmarshal(body, &v) != nil {
			return
		}
		spelled := strings.Contains(s, "\ufffd") || strings.Contains(strings.ToLower(s), `\ufffd`)
		if strings.ContainsRune(v.Note, '\ufffd') && !spelled {
			t.Fatalf("checkText let %q through, which decodes to %q", s, v.Note)
		}
	})
}
