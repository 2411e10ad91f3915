package functions

import (
	"context"
	"errors"
	"testing"
	"time"
)

type validationError struct{ reason string }

func (e *validationError) Error() string { return e.reason }

func TestGoFunc(t *testing.T) {
	funcs := map[string]Func{
		"behave": func(ctx context.Context, event []byte) ([]byte, error) { return behave(ctx, event) },
		"typed":  func(context.Context, []byte) ([]byte, error) { return nil, &validationError{"too young"} },
		"fe": func(context.Context, []byte) ([]byte, error) {
			return nil, &FunctionError{Type: "Custom", Message: "as given"}
		},
		"panics":   func(context.Context, []byte) ([]byte, error) { panic("index out of range") },
		"deaf":     func(context.Context, []byte) ([]byte, error) { time.Sleep(2 * time.Second); return []byte(`{}`), nil },
		"ctxError": func(ctx context.Context, _ []byte) ([]byte, error) { <-ctx.Done(); return nil, ctx.Err() },
	}
	invoker := func(t *testing.T, name string, timeout time.Duration) *Invoker {
		inv, err := New(Config{Functions: File{Functions: map[string]Target{testARN: {Go: name}}}, Funcs: funcs, Timeout: timeout})
		if err != nil {
			t.Fatal(err)
		}
		return inv
	}
	for _, tc := range commonCases {
		t.Run(tc.name, func(t *testing.T) { check(t, invoker(t, "behave", tc.timeout), testARN, tc) })
	}
	fnErr := func(typ, msg string) func(*testing.T, error) {
		return func(t *testing.T, err error) {
			var fe *FunctionError
			if !errors.As(err, &fe) || fe.Type != typ || fe.Message != msg {
				t.Fatalf("got %v, want the function error %s (%s)", err, msg, typ)
			}
		}
	}
	isUnexpected := func(t *testing.T, err error) {
		if !errors.Is(err, ErrUnexpected) || isFunctionError(err) {
			t.Fatalf("got %v, want ErrUnexpected", err)
		}
	}
	tests := []struct {
		name  string
		check func(*testing.T, error)
	}{
		{"typed", fnErr("validationError", "too young")},
		{"fe", fnErr("Custom", "as given")},
		{"panics", fnErr("Runtime.Panic", "index out of range")},
		{"deaf", isUnexpected},
		{"ctxError", isUnexpected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, err := invoker(t, tt.name, 200*time.Millisecond).Invoke(context.Background(), testARN, eventFor("echo"))
			if time.Since(start) > time.Second {
				t.Fatalf("took %v with a timeout of 200ms", time.Since(start))
			}
			tt.check(t, err)
		})
	}
}

func TestNewRefusesUnregisteredGoFunc(t *testing.T) {
	_, err := New(Config{Functions: File{Functions: map[string]Target{testARN: {Go: "missing"}}}})
	if err == nil {
		t.Fatal("New accepted a go target with no registered function")
	}
}
