package functions

import (
	"context"
	"errors"
	"fmt"
	"reflect"
)

// goTarget calls an in-process function.
type goTarget struct{ fn Func }

func (g goTarget) kind() Kind { return KindGo }

type goResult struct {
	payload []byte
	err     error
}

// invoke runs the function on its own goroutine so that one ignoring ctx
// still meets the timeout; a panic becomes the function's error, as the
// Lambda runtime reports one.
func (g goTarget) invoke(ctx context.Context, _ ARN, event []byte) ([]byte, string, error) {
	done := make(chan goResult, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- goResult{err: &FunctionError{Type: "Runtime.Panic", Message: fmt.Sprint(p)}}
			}
		}()
		out, err := g.fn(ctx, event)
		done <- goResult{out, err}
	}()
	select {
	case <-ctx.Done():
		return nil, "", unexpected("in-process function: %w", ctx.Err())
	case r := <-done:
		if r.err == nil {
			return r.payload, "", nil
		}
		if fe, ok := errors.AsType[*FunctionError](r.err); ok {
			return nil, "", fe
		}
		if ctx.Err() != nil {
			return nil, "", unexpected("in-process function: %w", ctx.Err())
		}
		return nil, "", &FunctionError{Type: errorType(r.err), Message: r.err.Error()}
	}
}

// errorType names an error's type as aws-lambda-go does (errorString,
// *MyError → MyError).
func errorType(err error) string {
	t := reflect.TypeOf(err)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}
