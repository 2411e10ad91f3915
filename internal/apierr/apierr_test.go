package apierr

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
)

func TestStatusOf(t *testing.T) {
	cases := map[string]int{
		InvalidParameter:           http.StatusBadRequest,
		NotAuthorized:              http.StatusBadRequest, // 403 in the model, 400 from the service
		UserNotFound:               http.StatusBadRequest, // 404 in the model
		"InternalServerException":  http.StatusInternalServerError,
		InternalError:              http.StatusInternalServerError,
		UnknownOperation:           http.StatusBadRequest,
		MissingAuthenticationToken: http.StatusBadRequest,
		"SomethingNewException":    http.StatusBadRequest,
	}
	for code, want := range cases {
		if got := StatusOf(code); got != want {
			t.Errorf("StatusOf(%s) = %d, want %d", code, got, want)
		}
	}
	if len(statusByCode) < 40 {
		t.Fatalf("statusByCode has %d entries; the generated table is missing", len(statusByCode))
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
