package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cognate-auth/cognate/internal/store"
)

// roleKey is the key of a role's name: role names are unique ignoring case.
func roleKey(name string) string { return strings.ToLower(name) }

const roleColumns = `id, name, path, assume_role_policy, description, max_session_duration, tags, created_at`

func scanRole(row scanner) (store.Role, error) {
	var (
		r                   store.Role
		maxSession, created int64
		tags                string
	)
	if err := row.Scan(&r.ID, &r.Name, &r.Path, &r.AssumeRolePolicy, &r.Description, &maxSession, &tags, &created); err != nil {
		return store.Role{}, err
	}
	r.MaxSessionDuration, r.CreatedAt = time.Duration(maxSession), fromNanos(created)
	if err := decodeJSON("iam_roles.tags", tags, &r.Tags); err != nil {
		return store.Role{}, err
	}
	return r, nil
}

// roleArgs are the columns of r after name_key, in roleColumns' order.
func roleArgs(r store.Role) ([]any, error) {
	var e encoder
	args := []any{roleKey(r.Name), r.ID, r.Name, r.Path, r.AssumeRolePolicy, r.Description, int64(r.MaxSessionDuration),
		e.json(r.Tags), e.time(r.CreatedAt)}
	return args, e.err
}

// CreateRole implements store.IAMStore.
func (s *Store) CreateRole(ctx context.Context, r store.Role) error {
	args, err := roleArgs(r)
	if err != nil {
		return err
	}
	_, err = s.writer().ExecContext(ctx, `INSERT INTO iam_roles (name_key, `+roleColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, args...)
	if s.d.isUnique(err) {
		return alreadyExists("role", r.Name)
	}
	return err
}

// GetRole implements store.IAMStore.
func (s *Store) GetRole(ctx context.Context, name string) (store.Role, error) {
	r, err := scanRole(s.reader().QueryRowContext(ctx, `SELECT `+roleColumns+` FROM iam_roles WHERE name_key = $1`, roleKey(name)))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Role{}, notFound("role", name)
	}
	return r, err
}

// UpdateRole implements store.IAMStore. fn may run more than once and
// must not have side effects.
func (s *Store) UpdateRole(ctx context.Context, name string, fn func(*store.Role) error) (store.Role, error) {
	var out store.Role
	err := s.write(ctx, func(tx *sql.Tx) error {
		old, err := scanRole(s.inTx(tx).QueryRowContext(ctx, `SELECT `+roleColumns+` FROM iam_roles WHERE name_key = $1`+s.d.lockRow, roleKey(name)))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("role", name)
		}
		if err != nil {
			return err
		}
		r := old
		if err := fn(&r); err != nil {
			return &abortError{err}
		}
		r.ID, r.Name, r.CreatedAt = old.ID, old.Name, old.CreatedAt
		args, err := roleArgs(r)
		if err != nil {
			return err
		}
		if _, err := s.inTx(tx).ExecContext(ctx, `UPDATE iam_roles SET path = $2, assume_role_policy = $3, description = $4,
			max_session_duration = $5, tags = $6 WHERE name_key = $1`, args[0], args[3], args[4], args[5], args[6], args[7]); err != nil {
			return err
		}
		out = r
		return nil
	})
	if err != nil {
		return store.Role{}, err
	}
	return out, nil
}

// DeleteRole implements store.IAMStore. The foreign key of iam_policies
// deletes the role's inline policies in the same statement.
func (s *Store) DeleteRole(ctx context.Context, name string) error {
	n, err := rowsAffected(s.writer().ExecContext(ctx, `DELETE FROM iam_roles WHERE name_key = $1`, roleKey(name)))
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound("role", name)
	}
	return nil
}

// ListRoles implements store.IAMStore.
func (s *Store) ListRoles(ctx context.Context, pathPrefix, after string, limit int) ([]store.Role, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT `+roleColumns+` FROM iam_roles
		WHERE substr(path, 1, $2) = $1 AND name_key > $3 ORDER BY name_key LIMIT $4`,
		pathPrefix, int64(utf8.RuneCountInString(pathPrefix)), roleKey(after), limitArg(limit))
	if err != nil {
		return nil, err
	}
	return collect(rows, scanRole)
}

// policyOwnerKey returns the key columns of an owner: its kind, its key
// (a role's lower-cased name, a user's exact name) and the role_key
// column, NULL for a user.
func policyOwnerKey(o store.PolicyOwner) (kind, key string, role any, err error) {
	switch o.Kind {
	case store.PolicyOwnerRole:
		k := roleKey(o.Name)
		return o.Kind, k, k, nil
	case store.PolicyOwnerUser:
		return o.Kind, o.Name, nil, nil
	}
	return "", "", nil, fmt.Errorf("sqlstore: unknown policy owner kind %q", o.Kind)
}

// PutPolicy implements store.IAMStore. The foreign key of role_key
// refuses a policy of a role that does not exist, and holds the role
// until the transaction ends, so that a racing DeleteRole leaves no
// policy behind.
func (s *Store) PutPolicy(ctx context.Context, owner store.PolicyOwner, p store.InlinePolicy) error {
	kind, key, role, err := policyOwnerKey(owner)
	if err != nil {
		return err
	}
	_, err = s.writer().ExecContext(ctx, `INSERT INTO iam_policies (owner_kind, owner_key, name, document, role_key) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (owner_kind, owner_key, name) DO UPDATE SET document = excluded.document`, kind, key, p.Name, p.Document, role)
	if s.d.isForeignKey(err) {
		return notFound("role", owner.Name)
	}
	return err
}

// GetPolicy implements store.IAMStore.
func (s *Store) GetPolicy(ctx context.Context, owner store.PolicyOwner, name string) (store.InlinePolicy, error) {
	kind, key, _, err := policyOwnerKey(owner)
	if err != nil {
		return store.InlinePolicy{}, err
	}
	p := store.InlinePolicy{Name: name}
	err = s.reader().QueryRowContext(ctx, `SELECT document FROM iam_policies WHERE owner_kind = $1 AND owner_key = $2 AND name = $3`,
		kind, key, name).Scan(&p.Document)
	if errors.Is(err, sql.ErrNoRows) {
		return store.InlinePolicy{}, notFound("policy", owner.Kind, owner.Name, name)
	}
	if err != nil {
		return store.InlinePolicy{}, err
	}
	return p, nil
}

// DeletePolicy implements store.IAMStore.
func (s *Store) DeletePolicy(ctx context.Context, owner store.PolicyOwner, name string) error {
	kind, key, _, err := policyOwnerKey(owner)
	if err != nil {
		return err
	}
	n, err := rowsAffected(s.writer().ExecContext(ctx, `DELETE FROM iam_policies WHERE owner_kind = $1 AND owner_key = $2 AND name = $3`,
		kind, key, name))
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound("policy", owner.Kind, owner.Name, name)
	}
	return nil
}

// ListPolicies implements store.IAMStore.
func (s *Store) ListPolicies(ctx context.Context, owner store.PolicyOwner) ([]store.InlinePolicy, error) {
	kind, key, _, err := policyOwnerKey(owner)
	if err != nil {
		return nil, err
	}
	rows, err := s.reader().QueryContext(ctx, `SELECT name, document FROM iam_policies WHERE owner_kind = $1 AND owner_key = $2 ORDER BY name`,
		kind, key)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(row scanner) (store.InlinePolicy, error) {
		var p store.InlinePolicy
		return p, row.Scan(&p.Name, &p.Document)
	})
}

const oidcProviderColumns = `arn, url, client_ids, thumbprints, tags, created_at`

func scanOIDCProvider(row scanner) (store.OIDCProvider, error) {
	var (
		p                       store.OIDCProvider
		clientIDs, thumbs, tags string
		created                 int64
	)
	if err := row.Scan(&p.ARN, &p.URL, &clientIDs, &thumbs, &tags, &created); err != nil {
		return store.OIDCProvider{}, err
	}
	p.CreatedAt = fromNanos(created)
	if err := decodeJSON("iam_oidc_providers.client_ids", clientIDs, &p.ClientIDs); err != nil {
		return store.OIDCProvider{}, err
	}
	if err := decodeJSON("iam_oidc_providers.thumbprints", thumbs, &p.Thumbprints); err != nil {
		return store.OIDCProvider{}, err
	}
	if err := decodeJSON("iam_oidc_providers.tags", tags, &p.Tags); err != nil {
		return store.OIDCProvider{}, err
	}
	return p, nil
}

// CreateOIDCProvider implements store.IAMStore.
func (s *Store) CreateOIDCProvider(ctx context.Context, p store.OIDCProvider) error {
	var e encoder
	args := []any{p.ARN, p.URL, e.json(p.ClientIDs), e.json(p.Thumbprints), e.json(p.Tags), e.time(p.CreatedAt)}
	if e.err != nil {
		return e.err
	}
	_, err := s.writer().ExecContext(ctx, `INSERT INTO iam_oidc_providers (`+oidcProviderColumns+`) VALUES ($1, $2, $3, $4, $5, $6)`, args...)
	if s.d.isUnique(err) {
		return alreadyExists("OpenID Connect provider", p.ARN)
	}
	return err
}

// GetOIDCProvider implements store.IAMStore.
func (s *Store) GetOIDCProvider(ctx context.Context, arn string) (store.OIDCProvider, error) {
	p, err := scanOIDCProvider(s.reader().QueryRowContext(ctx, `SELECT `+oidcProviderColumns+` FROM iam_oidc_providers WHERE arn = $1`, arn))
	if errors.Is(err, sql.ErrNoRows) {
		return store.OIDCProvider{}, notFound("OpenID Connect provider", arn)
	}
	return p, err
}

// ListOIDCProviders implements store.IAMStore.
func (s *Store) ListOIDCProviders(ctx context.Context) ([]store.OIDCProvider, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT `+oidcProviderColumns+` FROM iam_oidc_providers ORDER BY arn`)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanOIDCProvider)
}

// UpdateOIDCProvider implements store.IAMStore. fn may run more than
// once and must not have side effects.
func (s *Store) UpdateOIDCProvider(ctx context.Context, arn string, fn func(*store.OIDCProvider) error) (store.OIDCProvider, error) {
	var out store.OIDCProvider
	err := s.write(ctx, func(tx *sql.Tx) error {
		old, err := scanOIDCProvider(s.inTx(tx).QueryRowContext(ctx, `SELECT `+oidcProviderColumns+` FROM iam_oidc_providers WHERE arn = $1`+s.d.lockRow, arn))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("OpenID Connect provider", arn)
		}
		if err != nil {
			return err
		}
		p := old
		if err := fn(&p); err != nil {
			return &abortError{err}
		}
		p.ARN, p.URL, p.CreatedAt = old.ARN, old.URL, old.CreatedAt
		var e encoder
		args := []any{p.ARN, e.json(p.ClientIDs), e.json(p.Thumbprints), e.json(p.Tags)}
		if e.err != nil {
			return e.err
		}
		if _, err := s.inTx(tx).ExecContext(ctx, `UPDATE iam_oidc_providers SET client_ids = $2, thumbprints = $3, tags = $4 WHERE arn = $1`, args...); err != nil {
			return err
		}
		out = p
		return nil
	})
	if err != nil {
		return store.OIDCProvider{}, err
	}
	return out, nil
}

// DeleteOIDCProvider implements store.IAMStore.
func (s *Store) DeleteOIDCProvider(ctx context.Context, arn string) error {
	n, err := rowsAffected(s.writer().ExecContext(ctx, `DELETE FROM iam_oidc_providers WHERE arn = $1`, arn))
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound("OpenID Connect provider", arn)
	}
	return nil
}

const samlProviderColumns = `arn, name, metadata, valid_until, tags, created_at`

func scanSAMLProvider(row scanner) (store.SAMLProvider, error) {
	var (
		p                  store.SAMLProvider
		tags               string
		validUntil, create int64
	)
	if err := row.Scan(&p.ARN, &p.Name, &p.MetadataDocument, &validUntil, &tags, &create); err != nil {
		return store.SAMLProvider{}, err
	}
	p.ValidUntil, p.CreatedAt = fromNanos(validUntil), fromNanos(create)
	if err := decodeJSON("iam_saml_providers.tags", tags, &p.Tags); err != nil {
		return store.SAMLProvider{}, err
	}
	return p, nil
}

// CreateSAMLProvider implements store.IAMStore.
func (s *Store) CreateSAMLProvider(ctx context.Context, p store.SAMLProvider) error {
	var e encoder
	args := []any{p.ARN, p.Name, p.MetadataDocument, e.time(p.ValidUntil), e.json(p.Tags), e.time(p.CreatedAt)}
	if e.err != nil {
		return e.err
	}
	_, err := s.writer().ExecContext(ctx, `INSERT INTO iam_saml_providers (`+samlProviderColumns+`) VALUES ($1, $2, $3, $4, $5, $6)`, args...)
	if s.d.isUnique(err) {
		return alreadyExists("SAML provider", p.ARN)
	}
	return err
}

// GetSAMLProvider implements store.IAMStore.
func (s *Store) GetSAMLProvider(ctx context.Context, arn string) (store.SAMLProvider, error) {
	p, err := scanSAMLProvider(s.reader().QueryRowContext(ctx, `SELECT `+samlProviderColumns+` FROM iam_saml_providers WHERE arn = $1`, arn))
	if errors.Is(err, sql.ErrNoRows) {
		return store.SAMLProvider{}, notFound("SAML provider", arn)
	}
	return p, err
}

// ListSAMLProviders implements store.IAMStore.
func (s *Store) ListSAMLProviders(ctx context.Context) ([]store.SAMLProvider, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT `+samlProviderColumns+` FROM iam_saml_providers ORDER BY arn`)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanSAMLProvider)
}

// DeleteSAMLProvider implements store.IAMStore.
func (s *Store) DeleteSAMLProvider(ctx context.Context, arn string) error {
	n, err := rowsAffected(s.writer().ExecContext(ctx, `DELETE FROM iam_saml_providers WHERE arn = $1`, arn))
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound("SAML provider", arn)
	}
	return nil
}
