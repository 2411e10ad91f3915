package iam

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"

	"github.com/cognate-auth/cognate/authz/policy"
	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
)

// Role is a role with its ARN.
type Role struct {
	store.Role
	// ARN is arn:aws:iam::<account>:role<path><name>.
	ARN string
}

// RoleInput is what CreateRole takes.
type RoleInput struct {
	Name string
	// Path is "/" when empty.
	Path             string
	AssumeRolePolicy string
	Description      string
	// MaxSessionDuration is DefaultSessionDuration when 0.
	MaxSessionDuration time.Duration
	Tags               []Tag
}

// RoleUpdate is what UpdateRole changes; nil members are kept.
type RoleUpdate struct {
	Description        *string
	MaxSessionDuration *time.Duration
}

// ListInput pages a list: Marker is the Marker of the previous page ("" for
// the first), MaxItems 0 means 100.
type ListInput struct {
	Marker   string
	MaxItems int
}

// RolePage is one page of ListRoles.
type RolePage struct {
	Roles []Role
	// Marker, when the list is truncated, asks for the next page.
	Marker string
}

// Bounds of a role's MaxSessionDuration and of the sessions taken on.
const (
	DefaultSessionDuration = time.Hour
	MaxSessionDuration     = 12 * time.Hour
	MinSessionDuration     = 15 * time.Minute
)

// IAM's quotas on roles.
const (
	maxRoles        = 1000
	maxTrustSize    = 2048
	maxRolePolicies = 10240 // aggregate size of a role's inline policies
	maxDescription  = 1000
)

// CreateRole creates a role.
func (s *Service) CreateRole(ctx context.Context, in RoleInput) (Role, error) {
	if err := checkName(in.Name, "roleName", 64); err != nil {
		return Role{}, err
	}
	if in.Path == "" {
		in.Path = "/"
	}
	if err := checkPath(in.Path, "path"); err != nil {
		return Role{}, err
	}
	if in.MaxSessionDuration == 0 {
		in.MaxSessionDuration = DefaultSessionDuration
	}
	if err := checkMaxSession(in.MaxSessionDuration); err != nil {
		return Role{}, err
	}
	if err := checkDescription(in.Description); err != nil {
		return Role{}, err
	}
	if err := checkTrustPolicy(in.AssumeRolePolicy); err != nil {
		return Role{}, err
	}
	tags, err := tagMap(in.Tags, "Role")
	if err != nil {
		return Role{}, err
	}
	existing, err := s.store.ListRoles(ctx, "/", "", maxRoles)
	if err != nil {
		return Role{}, storeErr(err)
	}
	if len(existing) >= maxRoles {
		return Role{}, limitExceeded("Cannot exceed quota for RolesPerAccount: %d", maxRoles)
	}
	r := store.Role{
		ID: newID("AROA"), Name: in.Name, Path: in.Path, AssumeRolePolicy: in.AssumeRolePolicy,
		Description: in.Description, MaxSessionDuration: in.MaxSessionDuration, Tags: tags, CreatedAt: s.clock(),
	}
	if err := s.store.CreateRole(ctx, r); err != nil {
		if isExists(err) {
			return Role{}, alreadyExists("Role with name %s already exists.", in.Name)
		}
		return Role{}, storeErr(err)
	}
	return s.role(r), nil
}

// GetRole returns the role of that name (ignoring case).
func (s *Service) GetRole(ctx context.Context, name string) (Role, error) {
	r, err := s.store.GetRole(ctx, name)
	if err != nil {
		if isNotFound(err) {
			return Role{}, roleNotFound(name)
		}
		return Role{}, storeErr(err)
	}
	return s.role(r), nil
}

// ListRoles lists roles whose path starts with pathPrefix ("/" when
// empty), ordered by name.
func (s *Service) ListRoles(ctx context.Context, pathPrefix string, page ListInput) (RolePage, error) {
	if pathPrefix == "" {
		pathPrefix = "/"
	}
	limit, err := maxItems(page.MaxItems)
	if err != nil {
		return RolePage{}, err
	}
	after, err := decodeMarker(page.Marker)
	if err != nil {
		return RolePage{}, err
	}
	roles, err := s.store.ListRoles(ctx, pathPrefix, after, limit+1)
	if err != nil {
		return RolePage{}, storeErr(err)
	}
	var out RolePage
	if len(roles) > limit {
		roles = roles[:limit]
		out.Marker = encodeMarker(roles[limit-1].Name)
	}
	out.Roles = make([]Role, len(roles))
	for i, r := range roles {
		out.Roles[i] = s.role(r)
	}
	return out, nil
}

// DeleteRole deletes a role that has no inline policies left.
func (s *Service) DeleteRole(ctx context.Context, name string) error {
	if _, err := s.GetRole(ctx, name); err != nil {
		return err
	}
	policies, err := s.store.ListPolicies(ctx, store.PolicyOwner{Kind: store.PolicyOwnerRole, Name: name})
	if err != nil {
		return storeErr(err)
	}
	if len(policies) > 0 {
		return apierr.New(CodeDeleteConflict, "Cannot delete entity, must delete policies first.")
	}
	if err := s.store.DeleteRole(ctx, name); err != nil {
		if isNotFound(err) {
			return roleNotFound(name)
		}
		return storeErr(err)
	}
	return nil
}

// UpdateRole changes a role's description or maximum session duration.
func (s *Service) UpdateRole(ctx context.Context, name string, u RoleUpdate) error {
	if u.MaxSessionDuration != nil {
		if err := checkMaxSession(*u.MaxSessionDuration); err != nil {
			return err
		}
	}
	if u.Description != nil {
		if err := checkDescription(*u.Description); err != nil {
			return err
		}
	}
	return s.updateRole(ctx, name, func(r *store.Role) error {
		if u.Description != nil {
			r.Description = *u.Description
		}
		if u.MaxSessionDuration != nil {
			r.MaxSessionDuration = *u.MaxSessionDuration
		}
		return nil
	})
}

// UpdateAssumeRolePolicy replaces a role's trust policy.
func (s *Service) UpdateAssumeRolePolicy(ctx context.Context, name, doc string) error {
	if err := checkTrustPolicy(doc); err != nil {
		return err
	}
	return s.updateRole(ctx, name, func(r *store.Role) error {
		r.AssumeRolePolicy = doc
		return nil
	})
}

func (s *Service) updateRole(ctx context.Context, name string, fn func(*store.Role) error) error {
	_, err := s.store.UpdateRole(ctx, name, fn)
	if isNotFound(err) {
		return roleNotFound(name)
	}
	if err != nil {
		return storeErr(err)
	}
	return nil
}

// RoleARN is the ARN of a role of the service's account.
func (s *Service) RoleARN(path, name string) string {
	return "arn:aws:iam::" + s.account + ":role" + path + name
}

func (s *Service) role(r store.Role) Role { return Role{Role: r, ARN: s.RoleARN(r.Path, r.Name)} }

// parseRoleARN splits arn:aws:iam::<account>:role<path><name>.
func parseRoleARN(arn string) (account, path, name string, ok bool) {
	rest, ok := strings.CutPrefix(arn, "arn:aws:iam::")
	if !ok {
		return "", "", "", false
	}
	account, res, ok := strings.Cut(rest, ":")
	if !ok {
		return "", "", "", false
	}
	res, ok = strings.CutPrefix(res, "role/")
	if !ok {
		return "", "", "", false
	}
	i := strings.LastIndexByte(res, '/')
	path, name = "/"+res[:i+1], res[i+1:]
	if !isAccountID(account) || name == "" || !namePattern.MatchString(name) || !pathPattern.MatchString(path) {
		return "", "", "", false
	}
	return account, path, name, true
}

func checkMaxSession(d time.Duration) error {
	secs := int64(d / time.Second)
	switch {
	case secs < int64(DefaultSessionDuration/time.Second):
		return validationError("1 validation error detected: Value '%d' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600", secs)
	case secs > int64(MaxSessionDuration/time.Second):
		return validationError("1 validation error detected: Value '%d' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200", secs)
	}
	return nil
}

func checkDescription(d string) error {
	if len([]rune(d)) > maxDescription {
		return validationError("1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to %d", maxDescription)
	}
	return nil
}

func checkTrustPolicy(doc string) error {
	if doc == "" {
		return validationError("1 validation error detected: Value null at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null")
	}
	if _, err := parsePolicy(doc, policy.Trust); err != nil {
		return err
	}
	if policySize(doc) > maxTrustSize {
		return limitExceeded("Cannot exceed quota for ACLSizePerRole: %d", maxTrustSize)
	}
	return nil
}

// idAlphabet is the alphabet of IAM's unique ids after their prefix.
const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// newID returns prefix and seventeen random characters, as IAM's unique
// ids (AROA… for roles).
func newID(prefix string) string {
	b := make([]byte, 17)
	_, _ = rand.Read(b) // crypto/rand.Read does not fail
	for i := range b {
		b[i] = idAlphabet[b[i]&31]
	}
	return prefix + string(b)
}

// maxItems checks a page size; 0 means 100.
func maxItems(n int) (int, error) {
	switch {
	case n == 0:
		return 100, nil
	case n < 1 || n > 1000:
		return 0, validationError("1 validation error detected: Value '%d' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000", n)
	}
	return n, nil
}

// Markers are the last name of the previous page, encoded so that
// clients treat them as opaque.
func encodeMarker(last string) string { return base64.RawURLEncoding.EncodeToString([]byte(last)) }

func decodeMarker(m string) (string, error) {
	if m == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(m)
	if err != nil || len(b) == 0 {
		return "", validationError("Invalid Marker.")
	}
	return string(b), nil
}
