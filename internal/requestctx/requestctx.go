// Package requestctx carries what Cognate knows about the request being
// served in its context.Context: the request id and operation the wire layer
// gives it, the region of its SigV4 credential scope, the address of the
// client, and the user pool and app client it turned out to concern, which
// only the logs read.
//
// It depends on nothing of Cognate's, so the wire layer that records these
// values, the domain that reads them and the server that wires both can all
// share it.
package requestctx

import (
	"context"
	"sync"
)

type key int

const (
	requestIDKey key = iota
	operationKey
	regionKey
	clientIPKey
	resourcesKey
)

func with(ctx context.Context, k key, v string) context.Context {
	return context.WithValue(ctx, k, v)
}

func get(ctx context.Context, k key) string {
	v, _ := ctx.Value(k).(string)
	return v
}

// WithRequestID records the request's id, sent back as x-amzn-RequestId.
func WithRequestID(ctx context.Context, id string) context.Context {
	return with(ctx, requestIDKey, id)
}

// RequestID returns the id recorded by WithRequestID, or "".
func RequestID(ctx context.Context) string { return get(ctx, requestIDKey) }

// WithOperation records the name of the operation being served.
func WithOperation(ctx context.Context, op string) context.Context {
	return with(ctx, operationKey, op)
}

// Operation returns the operation recorded by WithOperation, or "".
func Operation(ctx context.Context) string { return get(ctx, operationKey) }

// WithRegion records the region a request addresses, from its SigV4
// credential scope. The wire layer records only regions Cognate serves.
// Pools of other regions are then not found, as in Cognito where each
// region is a separate service.
func WithRegion(ctx context.Context, region string) context.Context {
	return with(ctx, regionKey, region)
}

// Region returns the region recorded by WithRegion, or "" when the request
// named none; callers then use the server's default region.
func Region(ctx context.Context) string { return get(ctx, regionKey) }

// WithClientIP records the address of the client (see RemoteIP); devices
// keep it as last_ip_used.
func WithClientIP(ctx context.Context, ip string) context.Context { return with(ctx, clientIPKey, ip) }

// ClientIP returns the address recorded by WithClientIP, or "".
func ClientIP(ctx context.Context) string { return get(ctx, clientIPKey) }

// resources is the one mutable value: handlers learn the pool and client of
// a request deep inside it, and the wire layer reads them once it answered.
type resources struct {
	mu               sync.Mutex
	poolID, clientID string
}

// WithResources returns ctx with room for the user pool and app client the
// request concerns. The wire layer calls it once per request, before the
// handler runs.
func WithResources(ctx context.Context) context.Context {
	return context.WithValue(ctx, resourcesKey, new(resources))
}

// SetResources records the user pool and app client the request concerns,
// for the logs; an empty value keeps what was recorded before. Without
// WithResources it does nothing.
func SetResources(ctx context.Context, poolID, clientID string) {
	r, _ := ctx.Value(resourcesKey).(*resources)
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if poolID != "" {
		r.poolID = poolID
	}
	if clientID != "" {
		r.clientID = clientID
	}
}

// Resources returns what SetResources recorded.
func Resources(ctx context.Context) (poolID, clientID string) {
	r, _ := ctx.Value(resourcesKey).(*resources)
	if r == nil {
		return "", ""
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.poolID, r.clientID
}
