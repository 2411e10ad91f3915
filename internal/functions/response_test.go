package functions

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestDecodeResponse(t *testing.T) {
	tests := []struct {
		name    string
		payload string
		header  string
		want    error  // nil: the payload is the response
		msg     string // with a *FunctionError
		typ     string
	}{
		{"object", `{"response":{"autoConfirmUser":true}}`, "", nil, "", ""},
		{"object with spaces", " \n{\"a\":1}\n", "", nil, "", ""},
		{"error header", `{"errorMessage":"bad code","errorType":"Error","stackTrace":[]}`, "Unhandled", &FunctionError{}, "bad code", "Error"},
		{"error header, odd body", `oops`, "Handled", &FunctionError{}, "", "Handled"},
		{"error body without header", `{"errorMessage":"bad","errorType":"errorString"}`, "", &FunctionError{}, "bad", "errorString"},
		{"event with an errorMessage member", `{"errorMessage":"x","errorType":"y","response":{}}`, "", nil, "", ""},
		{"errorMessage alone", `{"errorMessage":"x"}`, "", nil, "", ""},
		{"string", `"ok"`, "", ErrInvalidResponse, "", ""},
		{"null", `null`, "", ErrInvalidResponse, "", ""},
		{"array", `[]`, "", ErrInvalidResponse, "", ""},
		{"empty", ``, "", ErrInvalidResponse, "", ""},
		{"truncated", `{"a":`, "", ErrInvalidResponse, "", ""},
		{"two objects", `{}{}`, "", ErrInvalidResponse, "", ""},
		{"RIE timeout text", `Task timed out after 3.00 seconds`, "", ErrInvalidResponse, "", ""},
		{"too large", `{"a":"` + strings.Repeat("x", MaxPayload) + `"}`, "", ErrInvalidResponse, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeResponse([]byte(tt.payload), tt.header)
			switch want := tt.want.(type) {
			case nil:
				if err != nil || string(got) != tt.payload {
					t.Fatalf("got %q, %v; want the payload", got, err)
				}
			case *FunctionError:
				var fe *FunctionError
				if !errors.As(err, &fe) || fe.Message != tt.msg || fe.Type != tt.typ {
					t.Fatalf("got %v, want the function error %q (%s)", err, tt.msg, tt.typ)
				}
			default:
				if !errors.Is(err, want) {
					t.Fatalf("got %v, want %v", err, want)
				}
			}
		})
	}
}

func FuzzDecodeResponse(f *testing.F) {
	for _, s := range []string{`{}`, `{"errorMessage":"m","errorType":"t"}`, `[]`, `"s"`, ` {"a":[1,{"b":null}]}`, `{"a":1}x`} {
		f.Add([]byte(s), "")
		f.Add([]byte(s), "Unhandled")
	}
	f.Fuzz(func(t *testing.T, payload []byte, header string) {
		got, err := decodeResponse(payload, header)
		if err == nil {
			// A response is a JSON object, passed on unchanged.
			var m map[string]json.RawMessage
			if json.Unmarshal(got, &m) != nil || m == nil || !bytes.Equal(got, payload) || header != "" {
				t.Fatalf("accepted %q (header %q)", payload, header)
			}
			return
		}
		var fe *FunctionError
		if !errors.As(err, &fe) && !errors.Is(err, ErrInvalidResponse) {
			t.Fatalf("error %v is no outcome", err)
		}
	})
}

func FuzzParseFile(f *testing.F) {
	f.Add([]byte(`{"functions":{"arn:aws:lambda:us-east-1:000000000000:function:a":{"url":"https://h/","secret":"0123456789abcdef"}}}`))
	f.Add([]byte(`{"functions":{"arn:aws:lambda:us-east-1:000000000000:function:a":{"command":["./x"],"env":{"A":"b"}}}}`))
	f.Add([]byte(`{"functions":{"arn:aws:lambda:us-east-1:000000000000:function:a:1":{"lambda":{"endpoint":"http://127.0.0.1:1"}}}}`))
	f.Add([]byte(`{"functions":{"x":{"go":"g"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := ParseFile(data, "/base")
		if err != nil {
			return
		}
		// What the parser accepts, New accepts (given the in-process
		// functions it names), and every ARN resolves to its kind.
		funcs := map[string]Func{}
		for _, tg := range file.Functions {
			if tg.Go != "" {
				funcs[tg.Go] = func(_ context.Context, b []byte) ([]byte, error) { return b, nil }
			}
		}
		inv, err := New(Config{Functions: file, Funcs: funcs})
		if err != nil {
			t.Fatalf("ParseFile accepted what New refuses: %v", err)
		}
		for arn, tg := range file.Functions {
			if k, err := inv.Resolve(arn); err != nil || k != tg.Kind() {
				t.Fatalf("Resolve(%q) = %v, %v; want %v", arn, k, err, tg.Kind())
			}
		}
	})
}
