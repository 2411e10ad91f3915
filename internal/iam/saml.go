package iam

import (
	"bytes"
	"context"
	"encoding/xml"
	"strings"
	"time"

	"github.com/cognate-auth/cognate/internal/store"
)

// SAMLProviderInput is what CreateSAMLProvider takes.
type SAMLProviderInput struct {
	Name string
	// MetadataDocument is the identity provider's SAML 2.0 metadata.
	MetadataDocument string
	Tags             []Tag
}

// IAM's bounds on SAML providers.
const (
	maxSAMLProviders = 100
	minMetadataSize  = 1000
	maxMetadataSize  = 10000000
)

// CreateSAMLProvider registers a SAML identity provider.
func (s *Service) CreateSAMLProvider(ctx context.Context, in SAMLProviderInput) (store.SAMLProvider, error) {
	if in.Name == "" || len(in.Name) > 128 || !samlNamePattern.MatchString(in.Name) {
		return store.SAMLProvider{}, validationError(`1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w._-]+`, in.Name)
	}
	if n := len(in.MetadataDocument); n < minMetadataSize || n > maxMetadataSize {
		return store.SAMLProvider{}, validationError("1 validation error detected: Value at 'sAMLMetadataDocument' failed to satisfy constraint: Member must have length between %d and %d", minMetadataSize, maxMetadataSize)
	}
	validUntil, err := parseMetadata(in.MetadataDocument)
	if err != nil {
		return store.SAMLProvider{}, err
	}
	tags, err := tagMap(in.Tags, "SAMLProvider")
	if err != nil {
		return store.SAMLProvider{}, err
	}
	all, err := s.store.ListSAMLProviders(ctx)
	if err != nil {
		return store.SAMLProvider{}, storeErr(err)
	}
	if len(all) >= maxSAMLProviders {
		return store.SAMLProvider{}, limitExceeded("Cannot exceed quota for SAMLProvidersPerAccount: %d", maxSAMLProviders)
	}
	p := store.SAMLProvider{
		ARN: "arn:aws:iam::" + s.account + ":saml-provider/" + in.Name, Name: in.Name,
		MetadataDocument: in.MetadataDocument, ValidUntil: validUntil, Tags: tags, CreatedAt: s.clock(),
	}
	if err := s.store.CreateSAMLProvider(ctx, p); err != nil {
		if isExists(err) {
			return store.SAMLProvider{}, alreadyExists("Provider with name %s already exists.", in.Name)
		}
		return store.SAMLProvider{}, storeErr(err)
	}
	return p, nil
}

// GetSAMLProvider returns a SAML provider by ARN.
func (s *Service) GetSAMLProvider(ctx context.Context, arn string) (store.SAMLProvider, error) {
	p, err := s.store.GetSAMLProvider(ctx, arn)
	if isNotFound(err) {
		return store.SAMLProvider{}, samlNotFound(arn)
	}
	if err != nil {
		return store.SAMLProvider{}, storeErr(err)
	}
	return p, nil
}

// ListSAMLProviders lists every SAML provider, ordered by ARN.
func (s *Service) ListSAMLProviders(ctx context.Context) ([]store.SAMLProvider, error) {
	ps, err := s.store.ListSAMLProviders(ctx)
	if err != nil {
		return nil, storeErr(err)
	}
	return ps, nil
}

// DeleteSAMLProvider removes a SAML provider.
func (s *Service) DeleteSAMLProvider(ctx context.Context, arn string) error {
	err := s.store.DeleteSAMLProvider(ctx, arn)
	if isNotFound(err) {
		return samlNotFound(arn)
	}
	if err != nil {
		return storeErr(err)
	}
	return nil
}

func samlNotFound(arn string) error { return noSuchEntity("Manifest not found for arn %s", arn) }

const metadataNS = "urn:oasis:names:tc:SAML:2.0:metadata"

// entityDescriptor is as much of SAML 2.0 metadata as IAM checks: an
// EntityDescriptor (or EntitiesDescriptor holding some) describing an
// identity provider, and when it stops being valid.
type entityDescriptor struct {
	XMLName    xml.Name
	EntityID   string             `xml:"entityID,attr"`
	ValidUntil string             `xml:"validUntil,attr"`
	IDPs       []struct{}         `xml:"urn:oasis:names:tc:SAML:2.0:metadata IDPSSODescriptor"`
	Entities   []entityDescriptor `xml:"urn:oasis:names:tc:SAML:2.0:metadata EntityDescriptor"`
}

// parseMetadata checks that doc is SAML metadata of an identity provider
// and returns its validUntil (zero when it names none).
func parseMetadata(doc string) (time.Time, error) {
	bad := invalidInput("Could not parse metadata")
	var md entityDescriptor
	dec := xml.NewDecoder(bytes.NewReader([]byte(doc)))
	dec.Strict = true
	if err := dec.Decode(&md); err != nil || md.XMLName.Space != metadataNS {
		return time.Time{}, bad
	}
	until := md.ValidUntil
	switch md.XMLName.Local {
	case "EntityDescriptor":
		if md.EntityID == "" || len(md.IDPs) == 0 {
			return time.Time{}, bad
		}
	case "EntitiesDescriptor":
		idp := false
		for _, e := range md.Entities {
			if e.EntityID != "" && len(e.IDPs) > 0 {
				idp = true
				if until == "" {
					until = e.ValidUntil
				}
			}
		}
		if !idp {
			return time.Time{}, bad
		}
	default:
		return time.Time{}, bad
	}
	if until == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(until))
	if err != nil {
		return time.Time{}, bad
	}
	return t.UTC(), nil
}
