package main

import (
	"strings"
	"testing"
)

func TestDropPatterns(t *testing.T) {
	m := loadMini(t)
	if m.Shapes["NameType"].Pattern == "" {
		t.Fatal("the test model's NameType has no pattern to drop")
	}
	if err := dropPatterns(m, map[string]string{"NameType": "names"}); err != nil {
		t.Fatal(err)
	}
	if s := m.Shapes["NameType"]; s.Pattern != "" || s.Max == nil {
		t.Errorf("NameType = %+v, want its pattern gone and its length kept", s)
	}
	g := newGenerator(m, "mini", "miniapi", "MiniService", "a test model")
	g.unenforced = map[string]string{"NameType": "names"}
	validate := squash(string(g.validateFile()))
	if !strings.Contains(validate, squash("// - NameType: names.")) {
		t.Error("generated validators do not say which pattern was left out")
	}
	if strings.Contains(validate, "patternNameType") {
		t.Error("generated validators still check NameType's pattern")
	}

	for name, want := range map[string]string{"NoSuchType": "no shape", "NameType": "no pattern"} {
		if err := dropPatterns(m, map[string]string{name: "x"}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("dropPatterns(%s) = %v, want an error mentioning %q", name, err, want)
		}
	}
}
