package sigv4

import (
	"bytes"
	"net/http"
	"testing"
)

func TestCanonicalQuery(t *testing.T) {
	tests := []struct {
		raw, want string
		wantErr   bool
	}{
		{raw: "", want: ""},
		{raw: "b=2&a=1", want: "a=1&b=2"},
		{raw: "a=1&a=0", want: "a=0&a=1"},
		{raw: "a=%20b", want: "a=%20b"},
		{raw: "a=+b", want: "a=%20b"},
		{raw: "k", want: "k="},
		{raw: "k=", want: "k="},
		{raw: "%7E=~", want: "~=~"},
		{raw: "a=b=c", want: "a=b%3Dc"},
		{raw: "a=1&&b=2&", want: "a=1&b=2"},
		{raw: "x=%2F%2f", want: "x=%2F%2F"},
		{raw: "%C3%A9=%E2%82%AC", want: "%C3%A9=%E2%82%AC"},
		{raw: "Param2=value2&Param1=value1", want: "Param1=value1&Param2=value2"},
		{raw: "a=%zz", wantErr: true},
		{raw: "%=1", wantErr: true},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		err := writeCanonicalQuery(&buf, tt.raw)
		if (err != nil) != tt.wantErr {
			t.Errorf("writeCanonicalQuery(%q) error = %v, want error %v", tt.raw, err, tt.wantErr)
			continue
		}
		if err == nil && buf.String() != tt.want {
			t.Errorf("writeCanonicalQuery(%q) = %q, want %q", tt.raw, buf.String(), tt.want)
		}
	}
}

func TestCanonicalURI(t *testing.T) {
	tests := []struct {
		target, want string
	}{
		{"/", "/"},
		{"/a/b", "/a/b"},
		{"/a%20b", "/a%2520b"},
		{"/a%2Fb", "/a%252Fb"},
		{"/%E1%88%B4", "/%25E1%2588%25B4"},
		{"/a~b-c_d.e", "/a~b-c_d.e"},
		{"/a:b@c", "/a%3Ab%40c"},
	}
	for _, tt := range tests {
		r, err := http.NewRequest(http.MethodGet, "http://example.com"+tt.target, nil)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		writeCanonicalURI(&buf, r)
		if buf.String() != tt.want {
			t.Errorf("canonical URI of %q = %q, want %q", tt.target, buf.String(), tt.want)
		}
	}
}

func TestTrimmedHeaderValue(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"a", "a"},
		{"  a  ", "a"},
		{"a   b    c", "a b c"},
		{"\ta b\t", "a b"},
		{"a\t\tb", "a\t\tb"},
		{"   ", ""},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		writeTrimmed(&buf, tt.in)
		if buf.String() != tt.want {
			t.Errorf("writeTrimmed(%q) = %q, want %q", tt.in, buf.String(), tt.want)
		}
	}
}

func TestHeaderValueFromRequest(t *testing.T) {
	r, _ := http.NewRequest(http.MethodPost, "http://example.com:8080/", nil)
	r.Host = "example.com:8080"
	r.ContentLength = 42
	r.Header.Add("X-Multi", "one")
	r.Header.Add("X-Multi", " two  words ")
	tests := []struct{ name, want string }{
		{"host", "example.com:8080"},
		{"Host", "example.com:8080"},
		{":authority", "example.com:8080"},
		{"content-length", "42"},
		{"x-multi", "one,two words"},
		{"X-MULTI", "one,two words"},
		{"X-Multi", "one,two words"},
		{"x-absent", ""},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		writeHeaderValue(&buf, r, tt.name)
		if buf.String() != tt.want {
			t.Errorf("value of %s = %q, want %q", tt.name, buf.String(), tt.want)
		}
	}
}
