package idpapi

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/cognate-auth/cognate/internal/apierr"
)

func TestOperationTable(t *testing.T) {
	ops := Operations(UnimplementedService{})
	// The counts pin the model version; a new model may change them.
	if len(ops) != 122 {
		t.Errorf("%d operations, want 122", len(ops))
	}
	unsigned := 0
	for name, op := range ops {
		if op.Name != name || op.Invoke == nil {
			t.Errorf("entry %s is %+v", name, op)
		}
		if op.Unsigned {
			unsigned++
		}
	}
	if unsigned != 32 {
		t.Errorf("%d unsigned operations, want 32", unsigned)
	}
	for _, name := range []string{"SignUp", "InitiateAuth", "RespondToAuthChallenge", "GetUser", "ConfirmForgotPassword", "RevokeToken"} {
		if !ops[name].Unsigned {
			t.Errorf("%s should be unsigned", name)
		}
	}
	for _, name := range []string{"AdminInitiateAuth", "AdminGetUser", "CreateUserPool", "ListUsers"} {
		if ops[name].Unsigned {
			t.Errorf("%s should be signed", name)
		}
	}
}

func TestUnimplementedService(t *testing.T) {
	_, err := UnimplementedService{}.AdminGetUser(context.Background(), &AdminGetUserRequest{})
	e := apierr.As(err)
	status := apierr.StatusOf(e.Code, ExceptionStatus(e.Code))
	if e.Code != "UnsupportedOperationException" || status != 400 || e.Message != "AdminGetUser is not supported by Cognate yet." {
		t.Fatalf("got %+v, status %d", e, status)
	}
}

// The status table is the cognito-idp model's; what is sent follows
// Cognito's rule.
func TestExceptionStatus(t *testing.T) {
	tests := []struct {
		code            string
		model, wireSent int
	}{
		{"NotAuthorizedException", 403, 400},
		{"UserNotFoundException", 404, 400},
		{"TooManyRequestsException", 429, 400},
		{"InvalidParameterException", 400, 400},
		{"InternalErrorException", 500, 500},
		{"UnknownOperationException", 0, 400}, // the front door's, in no model
		{"NoSuchException", 0, 400},
	}
	for _, tt := range tests {
		model := ExceptionStatus(tt.code)
		if sent := apierr.StatusOf(tt.code, model); model != tt.model || sent != tt.wireSent {
			t.Errorf("%s: model %d, sent %d; want %d, %d", tt.code, model, sent, tt.model, tt.wireSent)
		}
	}
}

// An implementation overrides what it serves and embeds the rest.
type partial struct{ UnimplementedService }

func (partial) DeleteUser(context.Context, *DeleteUserRequest) (*DeleteUserResponse, error) {
	return nil, nil
}

func TestNoOutputIsEmptyObject(t *testing.T) {
	out, err := Operations(partial{})["DeleteUser"].Invoke(context.Background(), []byte(`{"AccessToken":"t"}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprintf("%+v", out); got != "{}" {
		t.Fatalf("got %s", got)
	}
}

func TestSensitiveMembersAreRedacted(t *testing.T) {
	in := &SignUpRequest{
		ClientId: "client-secret-id", Username: "alice", Password: "hunter2",
		UserAttributes:  []AttributeType{{Name: "email", Value: "alice@example.com"}},
		UserContextData: &UserContextDataType{IpAddress: "203.0.113.9"},
		ClientMetadata:  map[string]string{"source": "web"},
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("request", "in", in)
	var nilReq *SignUpRequest
	if got := fmt.Sprint(nilReq); got != "<nil>" {
		t.Errorf("nil request prints as %q", got)
	}
	for _, out := range []string{buf.String(), fmt.Sprint(in), fmt.Sprintf("%+v", in), fmt.Sprintf("%v", *in)} {
		for _, secret := range []string{"client-secret-id", "alice", "hunter2", "alice@example.com", "203.0.113.9"} {
			if strings.Contains(out, secret) {
				t.Errorf("%q leaks into %s", secret, out)
			}
		}
		for _, visible := range []string{"email", "source", "web"} {
			if !strings.Contains(out, visible) {
				t.Errorf("%q missing from %s", visible, out)
			}
		}
	}
	if out := fmt.Sprint(in.UserAttributes); strings.Contains(out, "alice@example.com") {
		t.Errorf("a list of attributes prints as %s", out)
	}
	in2 := &InitiateAuthRequest{AuthFlow: AuthFlowTypeUserSrpAuth, AuthParameters: map[string]string{"PASSWORD": "hunter2"}}
	if out := fmt.Sprint(in2); strings.Contains(out, "hunter2") || !strings.Contains(out, "USER_SRP_AUTH") {
		t.Errorf("InitiateAuthRequest prints as %s", out)
	}
}
