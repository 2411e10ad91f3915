package awsjson

import "context"

type contextKey int

const (
	requestIDKey contextKey = iota
	operationKey
)

// RequestID returns the x-amzn-RequestId of the request being served, or "".
func RequestID(ctx context.Context) string {
	s, _ := ctx.Value(requestIDKey).(string)
	return s
}

// OperationName returns the name of the operation being served, or "".
func OperationName(ctx context.Context) string {
	s, _ := ctx.Value(operationKey).(string)
	return s
}

func withRequest(ctx context.Context, requestID, operation string) context.Context {
	ctx = context.WithValue(ctx, requestIDKey, requestID)
	if operation != "" {
		ctx = context.WithValue(ctx, operationKey, operation)
	}
	return ctx
}
