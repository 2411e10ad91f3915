package awsjson

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

func TestRouter(t *testing.T) {
	var mu sync.Mutex
	var seen []Observation
	observe := func(o Observation) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, o)
	}
	idp, _ := testService(t, func(c *Config) { c.Observe = observe })
	other, err := NewHandler(Config{
		TargetPrefix: "OtherService",
		Operations: map[string]Operation{"Ping": {Unsigned: true, Invoke: func(context.Context, []byte) (any, error) {
			return map[string]string{"Pong": "yes"}, nil
		}}},
		Observe: observe,
	})
	if err != nil {
		t.Fatal(err)
	}
	rt, err := NewRouter(RouterConfig{Services: []*Handler{idp, other}, Observe: observe})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		call        call
		wantStatus  int
		wantBody    string
		wantService string
	}{
		{"first service", call{target: "TestService.Echo", body: `{"ClientId":"a"}`}, 200, `{"ClientId":"a"}`, "TestService"},
		{"second service", call{target: "OtherService.Ping", body: `{}`}, 200, `{"Pong":"yes"}`, "OtherService"},
		{"operation of another service", call{target: "OtherService.Echo", body: `{}`}, 400, `{"__type":"UnknownOperationException"}`, "OtherService"},
		{"unknown prefix", call{target: "AWSCognitoIdentityService.GetId", body: `{}`}, 400, `{"__type":"UnknownOperationException"}`, ""},
		{"prefix without an operation", call{target: "TestService", body: `{}`}, 400, `{"__type":"UnknownOperationException"}`, "TestService"},
		{"no target", call{body: `{}`}, 400, `{"__type":"UnknownOperationException"}`, ""},
		{"wrong method, no target", call{method: http.MethodGet}, 400,
			`{"__type":"BadRequest","message":"The server did not understand the operation that was requested."}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			seen = nil
			mu.Unlock()
			w := tt.call.do(rt)
			if w.Code != tt.wantStatus || w.Body.String() != tt.wantBody {
				t.Errorf("got %d %s, want %d %s", w.Code, w.Body, tt.wantStatus, tt.wantBody)
			}
			if id := raw(w.Header(), "x-amzn-RequestId"); len(id) != 1 || !uuidRE.MatchString(id[0]) {
				t.Errorf("x-amzn-RequestId %q", id)
			}
			if w.Header().Get("Access-Control-Allow-Origin") != "*" {
				t.Error("no CORS header")
			}
			mu.Lock()
			defer mu.Unlock()
			if len(seen) != 1 || seen[0].Service != tt.wantService || seen[0].Status != tt.wantStatus {
				t.Errorf("observed %+v, want one observation of service %q", seen, tt.wantService)
			}
		})
	}

	r := httptest.NewRequest(http.MethodOptions, "/", nil)
	r.Header.Set("Access-Control-Request-Method", "POST")
	w := httptest.NewRecorder()
	rt.ServeHTTP(w, r)
	if w.Code != 200 || w.Header().Get("Access-Control-Allow-Methods") == "" {
		t.Errorf("preflight without a target: %d %v", w.Code, w.Header())
	}
}

func TestNewRouterChecksConfig(t *testing.T) {
	h, _ := testService(t, nil)
	if _, err := NewRouter(RouterConfig{}); err == nil {
		t.Error("a router without services was accepted")
	}
	if _, err := NewRouter(RouterConfig{Services: []*Handler{h, h}}); err == nil {
		t.Error("two services of one prefix were accepted")
	}
}
