package userpool

import (
	"context"
	"errors"
	"slices"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/requestctx"
	"github.com/cognate-auth/cognate/internal/store"
)

// DefaultPasswordPolicy is the policy of a pool created without one.
func DefaultPasswordPolicy() store.PasswordPolicy {
	return store.PasswordPolicy{MinimumLength: 8, RequireUppercase: true, RequireLowercase: true,
		RequireNumbers: true, RequireSymbols: true, TemporaryPasswordValidityDays: 7}
}

// PoolInput is what CreateUserPool and UpdateUserPool carry. Settings holds
// every member that was sent; nil pointers below mean "not sent".
type PoolInput struct {
	Name           string
	Settings       store.PoolSettings
	PasswordPolicy *store.PasswordPolicy
	Schema         []SchemaChange
	CaseSensitive  *bool
}

// CreatePool creates a pool in region.
func (s *Service) CreatePool(ctx context.Context, region string, in PoolInput) (store.Pool, error) {
	settings := in.Settings
	settings.PasswordPolicy = DefaultPasswordPolicy()
	if in.PasswordPolicy != nil {
		settings.PasswordPolicy = *in.PasswordPolicy
	}
	// Pools created through the API are case-sensitive unless told otherwise.
	settings.CaseSensitive = in.CaseSensitive == nil || *in.CaseSensitive
	schema, err := mergeSchema(in.Schema)
	if err != nil {
		return store.Pool{}, err
	}
	settings.Schema = schema
	if settings.MFAConfiguration == "" {
		settings.MFAConfiguration = "OFF"
	}
	if settings.Tier == "" {
		settings.Tier = "ESSENTIALS"
	}
	if settings.AdminCreateUser.UnusedAccountValidityDays == 0 {
		settings.AdminCreateUser.UnusedAccountValidityDays = settings.PasswordPolicy.TemporaryPasswordValidityDays
	}
	if err := checkPoolSettings(settings); err != nil {
		return store.Pool{}, err
	}
	if err := s.checkLambdaConfig(settings.LambdaConfig); err != nil {
		return store.Pool{}, err
	}
	describePreTokenGeneration(&settings.LambdaConfig)
	if err := applyPoolMFA(store.PoolMFA{}, &settings); err != nil {
		return store.Pool{}, err
	}
	now := s.clock()
	p := store.Pool{ID: s.newPoolID(region), Name: in.Name, CreatedAt: now, UpdatedAt: now, Settings: settings}
	if err := s.store.CreatePool(ctx, p); err != nil {
		return store.Pool{}, apierr.Internal(err)
	}
	if err := s.tokens.EnsureKey(ctx, p.ID); err != nil {
		return store.Pool{}, apierr.Internal(err)
	}
	return p, nil
}

// checkPoolSettings enforces the rules Cognito applies to pool settings.
func checkPoolSettings(st store.PoolSettings) error {
	if len(st.UsernameAttributes) > 0 && len(st.AliasAttributes) > 0 {
		return apierr.New(apierr.InvalidParameter, "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.")
	}
	for _, a := range st.AutoVerifiedAttributes {
		if a != "email" && a != "phone_number" {
			return apierr.Newf(apierr.InvalidParameter, "Invalid auto verified attribute %s.", a)
		}
	}
	pp := st.PasswordPolicy
	if pp.MinimumLength != 0 && (pp.MinimumLength < 6 || pp.MinimumLength > 99) {
		return apierr.New(apierr.InvalidParameter, "Password policy minimum length must be between 6 and 99.")
	}
	if pp.TemporaryPasswordValidityDays < 0 || pp.TemporaryPasswordValidityDays > 365 {
		return apierr.New(apierr.InvalidParameter, "Temporary password validity must be between 0 and 365 days.")
	}
	if err := checkFirstAuthFactors(st.FirstAuthFactors); err != nil {
		return err
	}
	if len(st.Tags) > maxTags {
		return errTooManyTags
	}
	if err := validateRecovery(st.AccountRecovery); err != nil {
		return err
	}
	for _, a := range st.Schema {
		if a.Required && !isStandardAttribute(a.Name) {
			return apierr.New(apierr.InvalidParameter, "Required custom attributes are not supported currently.")
		}
	}
	return nil
}

func poolNotFound(id string) error {
	return apierr.Newf(apierr.ResourceNotFound, "User pool %s does not exist.", id)
}

// Pool returns a pool. A pool of another region than the request's is not
// found, as in Cognito.
func (s *Service) Pool(ctx context.Context, id string) (store.Pool, error) {
	if r := requestctx.Region(ctx); r != "" && poolRegion(id) != r {
		return store.Pool{}, poolNotFound(id)
	}
	p, err := s.store.GetPool(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Pool{}, poolNotFound(id)
	}
	if err != nil {
		return store.Pool{}, apierr.Internal(err)
	}
	return p, nil
}

// PoolExists reports store.ErrNotFound for an unknown pool; the discovery
// endpoints use it.
func (s *Service) PoolExists(ctx context.Context, id string) error {
	_, err := s.store.GetPool(ctx, id)
	return err
}

// UpdatePool replaces a pool's mutable settings. As in Cognito, members
// that are not sent go back to their defaults; the schema, sign-in
// attributes and case sensitivity never change.
func (s *Service) UpdatePool(ctx context.Context, id string, in PoolInput) (store.Pool, error) {
	return s.changePool(ctx, id, func(p *store.Pool) error {
		next := in.Settings
		next.Schema = p.Settings.Schema
		next.UsernameAttributes = p.Settings.UsernameAttributes
		next.AliasAttributes = p.Settings.AliasAttributes
		next.CaseSensitive = p.Settings.CaseSensitive
		next.PasswordPolicy = DefaultPasswordPolicy()
		if in.PasswordPolicy != nil {
			next.PasswordPolicy = *in.PasswordPolicy
		}
		if next.MFAConfiguration == "" {
			next.MFAConfiguration = p.Settings.MFAConfiguration
		}
		if next.Tier == "" {
			next.Tier = p.Settings.Tier
		}
		if next.Tags == nil { // tags not sent stay; TagResource manages them too
			next.Tags = p.Settings.Tags
		}
		next.ResourceServers = p.Settings.ResourceServers // managed by their own operations
		if next.AdminCreateUser.UnusedAccountValidityDays == 0 {
			next.AdminCreateUser.UnusedAccountValidityDays = next.PasswordPolicy.TemporaryPasswordValidityDays
		}
		if err := checkPoolSettings(next); err != nil {
			return err
		}
		if err := s.checkLambdaConfig(next.LambdaConfig); err != nil {
			return err
		}
		describePreTokenGeneration(&next.LambdaConfig)
		if err := applyPoolMFA(p.Settings.MFA, &next); err != nil {
			return err
		}
		p.Settings = next
		return nil
	})
}

// DeletePool deletes a pool and everything in it, unless deletion
// protection is on.
func (s *Service) DeletePool(ctx context.Context, id string) error {
	p, err := s.Pool(ctx, id)
	if err != nil {
		return err
	}
	if p.Settings.DeletionProtection {
		return apierr.New(apierr.InvalidParameter, "The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.")
	}
	// As Cognito: the domains go first, by DeleteUserPoolDomain. The store
	// still deletes a domain created meanwhile with the pool.
	switch domains, err := s.PoolDomains(ctx, id); {
	case err != nil:
		return err
	case len(domains) > 0:
		return apierr.New(apierr.InvalidParameter, "User pool cannot be deleted. It has a domain configured that should be deleted first.")
	}
	if err := s.store.DeletePool(ctx, id); err != nil {
		return storeErr(err, id)
	}
	s.tokens.Forget(id)
	return nil
}

// ListPools lists pools of the request's region, a page at a time. next is
// "" on the last page.
func (s *Service) ListPools(ctx context.Context, after string, limit int) (pools []store.Pool, next string, err error) {
	region := requestctx.Region(ctx)
	for len(pools) < limit {
		page, err := s.store.ListPools(ctx, after, limit+1)
		if err != nil {
			return nil, "", apierr.Internal(err)
		}
		for _, p := range page {
			after = p.ID
			if region == "" || poolRegion(p.ID) == region {
				pools = append(pools, p)
			}
		}
		if len(page) <= limit {
			return trimPage(pools, limit)
		}
	}
	return trimPage(pools, limit)
}

func trimPage(pools []store.Pool, limit int) ([]store.Pool, string, error) {
	if len(pools) > limit {
		return pools[:limit], pools[limit-1].ID, nil
	}
	return pools, "", nil
}

// AddCustomAttributes adds custom attributes to a pool's schema.
func (s *Service) AddCustomAttributes(ctx context.Context, id string, attrs []SchemaChange) error {
	_, err := s.changePool(ctx, id, func(p *store.Pool) error {
		added, err := customAttributes(p.Settings.Schema, attrs)
		if err != nil {
			return err
		}
		p.Settings.Schema = append(slices.Clone(p.Settings.Schema), added...)
		return nil
	})
	return err
}

// changePool runs change on the current pool inside the store's
// compare-and-swap update and stamps the change. A pool of another region
// than the request's is not found. change must not modify the slices and
// maps it is given in place (they may be shared): it replaces them.
func (s *Service) changePool(ctx context.Context, id string, change func(p *store.Pool) error) (store.Pool, error) {
	if _, err := s.Pool(ctx, id); err != nil {
		return store.Pool{}, err
	}
	p, err := s.store.UpdatePool(ctx, id, func(p store.Pool) (store.Pool, error) {
		if err := change(&p); err != nil {
			return p, err
		}
		p.UpdatedAt = s.clock()
		return p, nil
	})
	return p, storeErr(err, id)
}

// storeErr maps store failures to client errors: an *apierr.Error from an
// updater passes through, a missing pool is ResourceNotFound, anything else
// is internal.
func storeErr(err error, poolID string) error {
	var ae *apierr.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ae):
		return ae
	case errors.Is(err, store.ErrNotFound):
		return poolNotFound(poolID)
	}
	return apierr.Internal(err)
}

// EstimatedUsers returns the number of users in a pool.
func (s *Service) EstimatedUsers(ctx context.Context, id string) (int64, error) {
	n, err := s.store.CountUsers(ctx, id)
	if err != nil {
		return 0, apierr.Internal(err)
	}
	return n, nil
}
