package apierr

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
)

func TestStatusOf(t *testing.T) {
	tests := []struct {
		code        string
		modelStatus int
		want        int
	}{
		{InvalidParameter, 400, http.StatusBadRequest},
		{NotAuthorized, 403, http.StatusBadRequest}, // 403 in the model, 400 from the service
		{UserNotFound, 404, http.StatusBadRequest},
		{TooManyRequests, 429, http.StatusBadRequest},
		{"InternalServerException", 500, http.StatusInternalServerError},
		{"ServiceUnavailableException", 503, http.StatusServiceUnavailable},
		{InternalError, 0, http.StatusInternalServerError},
		{InternalError, 400, http.StatusInternalServerError}, // the front door's status wins
		{UnknownOperation, 0, http.StatusBadRequest},
		{MissingAuthenticationToken, 0, http.StatusBadRequest},
		{SignatureDoesNotMatch, 0, http.StatusForbidden},
		{"SomethingNewException", 0, http.StatusBadRequest},
	}
	for _, tt := range tests {
		if got := StatusOf(tt.code, tt.modelStatus); got != tt.want {
			t.Errorf("StatusOf(%s, %d) = %d, want %d", tt.code, tt.modelStatus, got, tt.want)
		}
	}
}

func TestNewLeavesTheStatusToTheService(t *testing.T) {
	if s := New(NotAuthorized, "x").Status; s != 0 {
		t.Errorf("a service error has status %d before a service answers it", s)
	}
	if s := New(MissingAuthenticationToken, "x").Status; s != http.StatusBadRequest {
		t.Errorf("a front-door error has status %d", s)
	}
	if s := Internal(nil).Status; s != http.StatusInternalServerError {
		t.Errorf("an internal error has status %d", s)
	}
}

func TestAsKeepsCausesPrivate(t *testing.T) {
	cause := errors.New("disk on fire")
	e := As(fmt.Errorf("wrapped: %w", cause))
	if e.Code != InternalError || e.Status != 500 || e.Message != "Internal server error." || !errors.Is(e, cause) {
		t.Fatalf("As(plain error) = %+v", e)
	}
	orig := New(NotAuthorized, "Incorrect username or password.")
	if got := As(fmt.Errorf("context: %w", orig)); got != orig {
		t.Fatalf("As lost the *Error: %+v", got)
	}
	if !HasCode(fmt.Errorf("x: %w", orig), NotAuthorized) || HasCode(cause, NotAuthorized) {
		t.Fatal("HasCode")
	}
	if !errors.Is(orig, New(NotAuthorized, "other message")) {
		t.Fatal("errors.Is should match on the code")
	}
}
