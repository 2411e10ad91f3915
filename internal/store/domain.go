package store

import (
	"context"
	"time"
)

// Domain is a user pool domain: the host name its hosted sign-in answers
// on. A prefix domain's Name is the prefix alone ("myapp"), a custom
// domain's the fully-qualified name ("auth.example.com"); as a prefix has
// no dot and a custom domain has one, the two never share a name.
type Domain struct {
	// Name is unique among every pool's domains.
	Name   string
	PoolID string
	// Custom marks a custom domain. A pool has at most one domain of each
	// kind.
	Custom bool
	// CertificateARN is the ACM certificate of a custom domain; "" for a
	// prefix domain.
	CertificateARN string
	// ManagedLoginVersion is 1 for the classic hosted UI, 2 for managed
	// login.
	ManagedLoginVersion int
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// DomainStore persists user pool domains. Deleting a pool deletes its
// domains.
type DomainStore interface {
	// CreateDomain fails with ErrAlreadyExists if the name is taken or the
	// pool has a domain of that kind already, and ErrNotFound if the pool
	// does not exist.
	CreateDomain(ctx context.Context, d Domain) error
	// GetDomain looks a domain up by its name, byte for byte.
	GetDomain(ctx context.Context, name string) (Domain, error)
	// UpdateDomain runs update on the current domain inside a transaction
	// and stores what it returns; the name, pool and kind cannot change.
	UpdateDomain(ctx context.Context, name string, update func(Domain) (Domain, error)) (Domain, error)
	// DeleteDomain removes a domain; ErrNotFound if there is none.
	DeleteDomain(ctx context.Context, name string) error
	// PoolDomains returns the pool's domains, the prefix domain first;
	// none for an unknown pool.
	PoolDomains(ctx context.Context, poolID string) ([]Domain, error)
}
