package userpool

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
)

// DomainSpec is what CreateUserPoolDomain and UpdateUserPoolDomain ask
// for. Custom is set when the request carries a CustomDomainConfig.
type DomainSpec struct {
	Name           string
	Custom         bool
	CertificateARN string
	// ManagedLoginVersion is 1 (classic hosted UI) or 2 (managed login);
	// nil when not sent: 1 on creation, unchanged on update.
	ManagedLoginVersion *int
}

// prefixPattern is the model's DomainType pattern, which Cognito applies
// to prefixes (a single DNS label) and, label by label, Cognate to custom
// domains.
var prefixPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$`)

// reservedWords may not appear in a prefix, as Cognito documents.
var reservedWords = []string{"aws", "amazon", "cognito"}

func noSuchDomain() error {
	return apierr.New(apierr.InvalidParameter, "No such domain or user pool exists.")
}

// checkDomainName applies Cognito's rules to a prefix and the rules of a
// host name to a custom domain, which must also not lie where Cognate
// serves prefix domains (under its domain suffix) or Cognito does.
func (s *Service) checkDomainName(spec DomainSpec) error {
	name := spec.Name
	if !spec.Custom {
		if !prefixPattern.MatchString(name) {
			return apierr.New(apierr.InvalidParameter, "The domain name contains an invalid character. Domain names can only contain "+
				`lower-case letters, numbers, and hyphens. Please enter a different name that follows this format: ^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$`)
		}
		for _, w := range reservedWords {
			if strings.Contains(name, w) {
				return apierr.Newf(apierr.InvalidParameter, "The domain prefix cannot contain the reserved word %s.", w)
			}
		}
		return nil
	}
	labels := strings.Split(name, ".")
	valid := len(labels) >= 2
	for _, l := range labels {
		valid = valid && prefixPattern.MatchString(l)
	}
	if !valid {
		return apierr.Newf(apierr.InvalidParameter, "The custom domain %s is not a valid domain name: it needs two or more labels of lower-case letters, numbers and hyphens.", name)
	}
	for _, served := range []string{s.domainSuffix, "amazoncognito.com"} {
		if served != "" && (name == served || strings.HasSuffix(name, "."+served)) {
			return apierr.Newf(apierr.InvalidParameter, "The custom domain %s is under %s, where prefix domains are served.", name, served)
		}
	}
	return nil
}

func checkManagedLoginVersion(v *int) error {
	if v != nil && *v != 1 && *v != 2 {
		return apierr.New(apierr.InvalidParameter, "ManagedLoginVersion must be 1 (hosted UI, classic) or 2 (managed login).")
	}
	return nil
}

// CreateDomain gives a pool a prefix or custom domain, active at once.
func (s *Service) CreateDomain(ctx context.Context, poolID string, spec DomainSpec) (store.Domain, error) {
	if _, err := s.Pool(ctx, poolID); err != nil {
		return store.Domain{}, err
	}
	if err := s.checkDomainName(spec); err != nil {
		return store.Domain{}, err
	}
	if err := checkManagedLoginVersion(spec.ManagedLoginVersion); err != nil {
		return store.Domain{}, err
	}
	now := s.clock()
	d := store.Domain{Name: spec.Name, PoolID: poolID, Custom: spec.Custom, ManagedLoginVersion: 1, CreatedAt: now, UpdatedAt: now}
	if spec.ManagedLoginVersion != nil {
		d.ManagedLoginVersion = *spec.ManagedLoginVersion
	}
	if spec.Custom {
		d.CertificateARN = spec.CertificateARN
	}
	err := s.store.CreateDomain(ctx, d)
	switch {
	case errors.Is(err, store.ErrAlreadyExists):
		// The name, or the pool's domain of this kind: tell which.
		if _, err := s.store.GetDomain(ctx, d.Name); err == nil {
			return store.Domain{}, apierr.New(apierr.InvalidParameter, "Domain already associated with another user pool.")
		}
		return store.Domain{}, apierr.New(apierr.InvalidParameter, "User pool already has a domain configured.")
	case err != nil:
		return store.Domain{}, storeErr(err, poolID)
	}
	return d, nil
}

// Domain returns a domain by name; found is false when no pool has it.
func (s *Service) Domain(ctx context.Context, name string) (d store.Domain, found bool, err error) {
	d, err = s.store.GetDomain(ctx, name)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return store.Domain{}, false, nil
	case err != nil:
		return store.Domain{}, false, apierr.Internal(err)
	}
	return d, true, nil
}

// PoolDomains returns a pool's domains, the prefix domain first.
func (s *Service) PoolDomains(ctx context.Context, poolID string) ([]store.Domain, error) {
	ds, err := s.store.PoolDomains(ctx, poolID)
	if err != nil {
		return nil, apierr.Internal(err)
	}
	return ds, nil
}

// UpdateDomain changes a domain's managed login version and, for a custom
// domain, its certificate.
func (s *Service) UpdateDomain(ctx context.Context, poolID string, spec DomainSpec) (store.Domain, error) {
	if _, err := s.Pool(ctx, poolID); err != nil {
		return store.Domain{}, err
	}
	if err := checkManagedLoginVersion(spec.ManagedLoginVersion); err != nil {
		return store.Domain{}, err
	}
	d, err := s.store.UpdateDomain(ctx, spec.Name, func(d store.Domain) (store.Domain, error) {
		if d.PoolID != poolID {
			return d, noSuchDomain()
		}
		if spec.Custom && !d.Custom {
			return d, apierr.Newf(apierr.InvalidParameter, "%s is a prefix domain, which takes no CustomDomainConfig.", d.Name)
		}
		if spec.Custom {
			d.CertificateARN = spec.CertificateARN
		}
		if spec.ManagedLoginVersion != nil {
			d.ManagedLoginVersion = *spec.ManagedLoginVersion
		}
		d.UpdatedAt = s.clock()
		return d, nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return store.Domain{}, noSuchDomain()
	}
	if err != nil {
		return store.Domain{}, storeErr(err, poolID)
	}
	return d, nil
}

// DeleteDomain removes a pool's domain.
func (s *Service) DeleteDomain(ctx context.Context, poolID, name string) error {
	if _, err := s.Pool(ctx, poolID); err != nil {
		return err
	}
	d, found, err := s.Domain(ctx, name)
	if err != nil {
		return err
	}
	if !found || d.PoolID != poolID {
		return noSuchDomain()
	}
	err = s.store.DeleteDomain(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return noSuchDomain()
	}
	return storeErr(err, poolID)
}
