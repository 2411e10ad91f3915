// Package idp connects the cognito-idp wire operations to the user-pool
// domain: each method translates a generated request type into a domain
// call and the result back into the generated response type. It holds no
// business rules; defaults, validation beyond the service model and every
// decision live in package userpool.
package idp

import (
	"context"
	"time"

	"github.com/cognate-auth/cognate/internal/requestctx"
	"github.com/cognate-auth/cognate/internal/signin"
	"github.com/cognate-auth/cognate/internal/userpool"
	"github.com/cognate-auth/cognate/internal/wire/awsjson"
	"github.com/cognate-auth/cognate/internal/wire/idpapi"
)

// Handlers implements idpapi.Service on a userpool.Service. Operations not
// implemented yet answer through the embedded UnimplementedService.
type Handlers struct {
	idpapi.UnimplementedService
	Pools  *userpool.Service
	SignIn *signin.Engine
	// Region is used when a request carries none (unsigned requests).
	Region string
	// AccountID appears in pool ARNs.
	AccountID string
	// DomainTarget is the CloudFrontDistribution of every domain and the
	// CloudFrontDomain of a custom one: the host name of the server's
	// public URL, where a DNS alias of a custom domain would point.
	DomainTarget string
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

func attributes(in []idpapi.AttributeType) []userpool.Attribute {
	out := make([]userpool.Attribute, len(in))
	for i, a := range in {
		out[i] = userpool.Attribute{Name: a.Name, Value: a.Value}
	}
	return out
}

// attributeMap turns ValidationData into the map triggers receive; none is
// nil, which Cognito sends as null.
func attributeMap(in []idpapi.AttributeType) map[string]string {
	if in == nil {
		return nil
	}
	out := make(map[string]string, len(in))
	for _, a := range in {
		out[a.Name] = a.Value
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
