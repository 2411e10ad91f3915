// Package domains routes a request to the user pool domain its Host names.
//
// Cognito serves a prefix domain at <prefix>.auth.<region>.amazoncognito.com
// and a custom domain at its own name. Cognate serves a prefix domain at
// <prefix>.<suffix>, the suffix being configured (--domain-suffix, by
// default auth.localhost, which browsers and most resolvers send to the
// loopback address without any set-up): prefix myapp is myapp.auth.localhost.
// So that a machine whose hosts file (or DNS) points Cognito's names at
// Cognate needs nothing else, the Cognito form is routed too, when its region
// is the pool's. A custom domain is routed by its exact name.
//
// Hosts are compared case-insensitively, without their port or a final dot.
// Nothing is cached: each Resolve is one read of the store by primary key,
// so a domain deleted on one replica stops routing on every replica at once.
package domains

import (
	"context"
	"errors"
	"strings"

	"github.com/cognate-auth/cognate/internal/store"
)

// DefaultSuffix is the name under which prefix domains are served unless
// configured otherwise.
const DefaultSuffix = "auth.localhost"

// cognitoSuffix ends Cognito's prefix-domain host names,
// <prefix>.auth.<region>.amazoncognito.com.
const cognitoSuffix = ".amazoncognito.com"

// maxHost bounds the host names considered, as DNS does.
const maxHost = 253

// ErrUnknownHost means no domain is served at the host.
var ErrUnknownHost = errors.New("domains: no user pool domain at this host")

// Route is the domain a host names, before it is looked up.
type Route struct {
	// Name is the domain's name: a prefix, or a custom domain's host name.
	Name   string
	Custom bool
	// Region is the region of a Cognito-form host; "" otherwise.
	Region string
}

// ParseHost returns the domain host names under suffix (already valid, see
// ValidSuffix); ok is false when host cannot name one.
func ParseHost(host, suffix string) (r Route, ok bool) {
	h, ok := canonicalHost(host)
	if !ok {
		return Route{}, false
	}
	if prefix, under := strings.CutSuffix(h, "."+suffix); under {
		if !validLabel(prefix) {
			return Route{}, false
		}
		return Route{Name: prefix}, true
	}
	if rest, under := strings.CutSuffix(h, cognitoSuffix); under {
		prefix, region, ok := strings.Cut(rest, ".auth.")
		if !ok || !validLabel(prefix) || !validLabel(region) {
			return Route{}, false
		}
		return Route{Name: prefix, Region: region}, true
	}
	if !strings.Contains(h, ".") || h == suffix {
		return Route{}, false
	}
	return Route{Name: h, Custom: true}, true
}

// canonicalHost lower-cases host and drops its port and final dot; ok is
// false unless what is left is a DNS name (labels of letters, digits and
// hyphens). IP literals are not names.
func canonicalHost(host string) (string, bool) {
	if len(host) > maxHost+7 || strings.HasPrefix(host, "[") {
		return "", false
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		port := host[i+1:]
		if port == "" || len(port) > 5 || strings.Trim(port, "0123456789") != "" {
			return "", false
		}
		host = host[:i]
	}
	host = strings.TrimSuffix(host, ".")
	if host == "" || len(host) > maxHost {
		return "", false
	}
	b := []byte(host)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	h := string(b)
	for label := range strings.SplitSeq(h, ".") {
		if !validLabel(label) {
			return "", false
		}
	}
	return h, true
}

// validLabel reports a DNS label as user pool domains use them: 1 to 63
// lower-case letters, digits and hyphens, neither first nor last a hyphen.
func validLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// ValidSuffix reports whether suffix can serve prefix domains: a
// lower-case DNS name of two labels or more, such as auth.localhost or
// auth.example.test.
func ValidSuffix(suffix string) bool {
	h, ok := canonicalHost(suffix)
	return ok && h == suffix && strings.Contains(suffix, ".") && !strings.HasSuffix(suffix, cognitoSuffix)
}

// Lookup finds a domain by name (store.DomainStore has it).
type Lookup interface {
	GetDomain(ctx context.Context, name string) (store.Domain, error)
}

// Resolver finds the domain a request's Host names.
type Resolver struct {
	lookup Lookup
	suffix string
}

// NewResolver returns a Resolver serving prefix domains under suffix.
func NewResolver(l Lookup, suffix string) (*Resolver, error) {
	if !ValidSuffix(suffix) {
		return nil, errors.New("domains: the domain suffix " + suffix + " is not a lower-case DNS name of two labels or more")
	}
	return &Resolver{lookup: l, suffix: suffix}, nil
}

// Resolve returns the domain served at host (a Host header: any case, a
// port or not); ErrUnknownHost when there is none.
func (r *Resolver) Resolve(ctx context.Context, host string) (store.Domain, error) {
	route, ok := ParseHost(host, r.suffix)
	if !ok {
		return store.Domain{}, ErrUnknownHost
	}
	d, err := r.lookup.GetDomain(ctx, route.Name)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return store.Domain{}, ErrUnknownHost
	case err != nil:
		return store.Domain{}, err
	case d.Custom != route.Custom:
		return store.Domain{}, ErrUnknownHost
	case route.Region != "" && !strings.HasPrefix(d.PoolID, route.Region+"_"):
		return store.Domain{}, ErrUnknownHost
	}
	return d, nil
}
