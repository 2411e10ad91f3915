package main

import (
	"strings"
	"testing"
)

func TestApplyLimits(t *testing.T) {
	m := loadMini(t)
	m.Shapes["SecretType"].Max = nil // as the model leaves tokens
	m.Shapes["LabelMap"].Max = nil
	err := applyLimits(m, map[string]limit{
		"SecretType": {max: 32, why: "a secret"},
		"LabelMap":   {max: 2, valueMax: 5, why: "labels"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if s := m.Shapes["SecretType"]; s.Max == nil || *s.Max != 32 || !s.Sensitive {
		t.Errorf("SecretType = %+v", s)
	}
	labels := m.Shapes["LabelMap"]
	if labels.Max == nil || *labels.Max != 2 || labels.Value.Shape != "LabelMapValue" {
		t.Fatalf("LabelMap = %+v", labels)
	}
	value, name := m.Shapes["LabelMapValue"], m.Shapes["NameType"]
	if *value.Max != 5 || *value.Min != 1 || value.Pattern != name.Pattern || *name.Max != 10 {
		t.Errorf("the values' shape %+v should be NameType %+v bounded to 5, NameType left alone", value, name)
	}

	g := newGenerator(m, "mini", "miniapi", "MiniService", "a test model")
	g.limits = map[string]limit{"LabelMap": {max: 2, valueMax: 5, why: "labels"}}
	validate := squash(string(g.validateFile()))
	for _, want := range []string{
		"ruleLabelMap = &awsjson.MapRule{Max: awsjson.Bound(2), Key: ruleNameType, Value: ruleLabelMapValue}",
		"ruleLabelMapValue = &awsjson.StringRule{Min: awsjson.Bound(1), Max: awsjson.Bound(5),",
		"// - LabelMap: 2 entries, values of 5 characters; labels.",
	} {
		if !strings.Contains(validate, squash(want)) {
			t.Errorf("generated validators lack %s", want)
		}
	}
}

func TestApplyLimitsRefusesStaleEntries(t *testing.T) {
	tests := []struct {
		name  string
		table map[string]limit
		want  string
	}{
		{"unknown shape", map[string]limit{"GoneType": {max: 1}}, "no shape GoneType"},
		{"not a string or map", map[string]limit{"CountType": {max: 1}}, "is of type integer"},
		{"the model bounds it already", map[string]limit{"NameType": {max: 64}}, "bounds NameType to 10 already"},
		{"the model bounds the values already", map[string]limit{"LabelMap": {valueMax: 64}}, "bounds the values of LabelMap to 10"},
		{"values of a map of structures", map[string]limit{"PartMap": {valueMax: 64}}, "not a map of strings"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := applyLimits(loadMini(t), tt.table)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("applyLimits = %v, want an error mentioning %q", err, tt.want)
			}
		})
	}
}

// Generation stops at a request string the model leaves unbounded until the
// service's limits bound it.
func TestUnboundedStrings(t *testing.T) {
	m := loadMini(t)
	if got := newGenerator(m, "mini", "miniapi", "MiniService", "a test model").unboundedStrings(); len(got) != 0 {
		t.Fatalf("the mini model's strings are all bounded, got %v", got)
	}
	m.Shapes["SecretType"].Max = nil
	if got := newGenerator(m, "mini", "miniapi", "MiniService", "a test model").unboundedStrings(); strings.Join(got, ",") != "SecretType" {
		t.Fatalf("unboundedStrings = %v, want [SecretType]", got)
	}
}
