// Package idp connects the cognito-idp wire operations to the user-pool
// domain: each method translates a generated request type into a domain
// call and the result back into the generated response type. It holds no
// business rules; defaults, validation beyond the service model and every
// decision live in package userpool.
package idp

import (
	"context"
	"encoding/json"
	"time"

	"github.com/cognate-auth/cognate/internal/requestctx"
	"github.com/cognate-auth/cognate/internal/userpool"
	"github.com/cognate-auth/cognate/internal/wire/awsjson"
	"github.com/cognate-auth/cognate/internal/wire/idpapi"
)

// Handlers implements idpapi.Service on a userpool.Service. Operations not
// implemented yet answer through the embedded UnimplementedService.
type Handlers struct {
	idpapi.UnimplementedService
	Pools *userpool.Service
	// Region is used when a request carries none (unsigned requests).
	Region string
	// AccountID appears in pool ARNs.
	AccountID string
}

var _ idpapi.Service = (*Handlers)(nil)

func (h *Handlers) region(ctx context.Context) string {
	if r := requestctx.Region(ctx); r != "" {
		return r
	}
	return h.Region
}

func i32(v int64) *int32 {
	x := int32(v)
	return &x
}

func boolp(v bool) *bool { return &v }

func deref32(p *int32) int64 {
	if p == nil {
		return 0
	}
	return int64(*p)
}

func derefBool(p *bool) bool { return p != nil && *p }

func stamp(t time.Time) *awsjson.Timestamp {
	ts := awsjson.TimestampOf(t)
	return &ts
}

// stash keeps a member Cognate accepts and returns but does not act on.
func stash(m map[string]json.RawMessage, name string, v any) map[string]json.RawMessage {
	raw, err := json.Marshal(v)
	if err != nil || string(raw) == "null" {
		return m
	}
	if m == nil {
		m = map[string]json.RawMessage{}
	}
	m[name] = raw
	return m
}

// unstash reads a stashed member back into dst; dst keeps its zero value
// when the member was not stored.
func unstash[T any](m map[string]json.RawMessage, name string) *T {
	raw, ok := m[name]
	if !ok {
		return nil
	}
	v := new(T)
	if json.Unmarshal(raw, v) != nil {
		return nil
	}
	return v
}

func attributes(in []idpapi.AttributeType) []userpool.Attribute {
	out := make([]userpool.Attribute, len(in))
	for i, a := range in {
		out[i] = userpool.Attribute{Name: a.Name, Value: a.Value}
	}
	return out
}

func wireAttributes(in []userpool.Attribute) []idpapi.AttributeType {
	out := make([]idpapi.AttributeType, len(in))
	for i, a := range in {
		out[i] = idpapi.AttributeType{Name: a.Name, Value: a.Value}
	}
	return out
}
