package main

import (
	"regexp"
	"strings"
	"testing"
)

func TestTranslatePattern(t *testing.T) {
	tests := []struct {
		java     string
		want     string   // expected RE2, "" to skip the check
		match    []string // values Java accepts
		mismatch []string // values Java rejects
	}{
		{java: `[\w+]+`, want: `^(?:[\w+]+)$`, match: []string{"abc+d_1"}, mismatch: []string{"abc def", "", "abc\n"}},
		{java: `[\S]+`, want: `^(?:[^\t\n\x0B\f\r ]+)$`, match: []string{"pässwörd!"}, mismatch: []string{"a b", "a\x0bb", ""}},
		{java: `[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*`, match: []string{"", "Héllo wörld\n*"}, mismatch: []string{"a\x00"}},
		{java: `[\w\s+=.@-]+`, match: []string{"a b\x0bc"}, mismatch: []string{"a#"}},
		{java: `.*\{####\}.*`, match: []string{"Code: {####}"}, mismatch: []string{"Code:\n{####}", "Code\u2028{####}", "no code"}},
		{java: `(?s).*`, want: `^(?:(?s).*)$`, match: []string{"a\nb", ""}},
		{java: `^[0-9a-fA-F]+$`, match: []string{"c0ffee"}, mismatch: []string{"c0ffee\n", "xyz"}},
		{java: `^[0-9A-Za-z\.\-_]*(?<!\.)$`, match: []string{"", "my-bucket.logs", "a"}, mismatch: []string{"bucket.", ".", "a b"}},
		{java: `[\w-]+_[0-9a-zA-Z]+`, match: []string{"us-east-1_EXAMPLE"}, mismatch: []string{"us-east-1_EX!", "nounderscore"}},
		{java: `[A-Za-z0-9-_=.]+`, match: []string{"a-b_c=d.e"}, mismatch: []string{"a b"}},
		{java: `a+?b`, want: `^(?:a+?b)$`, match: []string{"aab"}},
		{java: `\u00e9+`, want: `^(?:\x{00e9}+)$`, match: []string{"éé"}},
	}
	for _, tt := range tests {
		t.Run(tt.java, func(t *testing.T) {
			got, err := translatePattern(tt.java)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want != "" && got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
			re := regexp.MustCompile(got)
			for _, s := range tt.match {
				if !re.MatchString(s) {
					t.Errorf("%s should match %q", got, s)
				}
			}
			for _, s := range tt.mismatch {
				if re.MatchString(s) {
					t.Errorf("%s should not match %q", got, s)
				}
			}
		})
	}
}

func TestTranslatePatternRefuses(t *testing.T) {
	for _, java := range []string{
		`(?=a)b`, `a(?!b)`, `(?<=a)b`, `a(?<!b)`, `(?>ab)`, `a++`, `a*+`,
		`[a-z&&[^b]]`, `[a[b]]`, `(a)\1`, `[a\S]`, `\p{javaLowerCase}+`, `\h`, `[abc`, `abc\`,
	} {
		if re, err := translatePattern(java); err == nil {
			t.Errorf("%s translated to %s", java, re)
		}
	}
}

func FuzzTranslatePattern(f *testing.F) {
	for _, s := range []string{`[\w+]+`, `[\S]+`, `.*\{####\}.*`, `(?s).*`, `^[0-9]+$`, `[^_\p{Z}][\p{L}]`, `\u00e9`, `a{2,3}+`, `[`, `\`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, java string) {
		re, err := translatePattern(java)
		if err != nil {
			return
		}
		if !strings.HasPrefix(re, "^") || !strings.HasSuffix(re, "$") {
			t.Fatalf("%q -> %q is not anchored", java, re)
		}
		if _, err := regexp.Compile(re); err != nil {
			t.Fatalf("%q -> %q: %v", java, re, err)
		}
	})
}

func TestEnumConst(t *testing.T) {
	for _, tt := range []struct{ shape, value, want string }{
		{"AuthFlowType", "USER_SRP_AUTH", "AuthFlowTypeUserSrpAuth"},
		{"EventSourceName", "userNotification", "EventSourceNameUserNotification"},
		{"RecoveryOptionNameType", "verified_email", "RecoveryOptionNameTypeVerifiedEmail"},
		{"AttributeDataType", "DateTime", "AttributeDataTypeDateTime"},
		{"AssetExtensionType", "ICO", "AssetExtensionTypeIco"},
		{"X", "a:b-c d", "XABCD"},
	} {
		if got := enumConst(tt.shape, tt.value); got != tt.want {
			t.Errorf("enumConst(%s, %s) = %s, want %s", tt.shape, tt.value, got, tt.want)
		}
	}
	if got := exported("headerName"); got != "HeaderName" {
		t.Errorf("exported: %s", got)
	}
}
