package idp

import (
	"context"

	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/userpool"
	"github.com/cognate-auth/cognate/internal/wire/idpapi"
)

// domainVersion is the layout of a domain's Version: the time it was last
// changed, in UTC.
const domainVersion = "20060102150405"

func domainSpec(name string, custom *idpapi.CustomDomainConfigType, version *int32) userpool.DomainSpec {
	spec := userpool.DomainSpec{Name: name}
	if version != nil {
		v := int(*version)
		spec.ManagedLoginVersion = &v
	}
	if custom != nil {
		spec.Custom, spec.CertificateARN = true, custom.CertificateArn
	}
	return spec
}

// cloudFrontDomain is what a create or update answers: the alias target of
// a custom domain, nothing for a prefix domain, as Cognito.
func (h *Handlers) cloudFrontDomain(d store.Domain) string {
	if d.Custom {
		return h.DomainTarget
	}
	return ""
}

// CreateUserPoolDomain gives a pool a prefix or custom domain.
func (h *Handlers) CreateUserPoolDomain(ctx context.Context, in *idpapi.CreateUserPoolDomainRequest) (*idpapi.CreateUserPoolDomainResponse, error) {
	d, err := h.Pools.CreateDomain(ctx, in.UserPoolId, domainSpec(in.Domain, in.CustomDomainConfig, in.ManagedLoginVersion))
	if err != nil {
		return nil, err
	}
	return &idpapi.CreateUserPoolDomainResponse{ManagedLoginVersion: i32(int64(d.ManagedLoginVersion)), CloudFrontDomain: h.cloudFrontDomain(d)}, nil
}

// DescribeUserPoolDomain describes a domain; an unknown one is an empty
// DomainDescription, as Cognito answers.
func (h *Handlers) DescribeUserPoolDomain(ctx context.Context, in *idpapi.DescribeUserPoolDomainRequest) (*idpapi.DescribeUserPoolDomainResponse, error) {
	d, found, err := h.Pools.Domain(ctx, in.Domain)
	if err != nil {
		return nil, err
	}
	out := &idpapi.DescribeUserPoolDomainResponse{DomainDescription: &idpapi.DomainDescriptionType{}}
	if !found {
		return out, nil
	}
	out.DomainDescription = &idpapi.DomainDescriptionType{
		UserPoolId:             d.PoolID,
		AWSAccountId:           h.AccountID,
		Domain:                 d.Name,
		CloudFrontDistribution: h.DomainTarget,
		Version:                d.UpdatedAt.UTC().Format(domainVersion),
		Status:                 "ACTIVE",
		ManagedLoginVersion:    i32(int64(d.ManagedLoginVersion)),
	}
	if d.Custom {
		out.DomainDescription.CustomDomainConfig = &idpapi.CustomDomainConfigType{CertificateArn: d.CertificateARN}
	}
	return out, nil
}

// UpdateUserPoolDomain changes a domain's managed login version or a custom
// domain's certificate.
func (h *Handlers) UpdateUserPoolDomain(ctx context.Context, in *idpapi.UpdateUserPoolDomainRequest) (*idpapi.UpdateUserPoolDomainResponse, error) {
	d, err := h.Pools.UpdateDomain(ctx, in.UserPoolId, domainSpec(in.Domain, in.CustomDomainConfig, in.ManagedLoginVersion))
	if err != nil {
		return nil, err
	}
	return &idpapi.UpdateUserPoolDomainResponse{ManagedLoginVersion: i32(int64(d.ManagedLoginVersion)), CloudFrontDomain: h.cloudFrontDomain(d)}, nil
}

// DeleteUserPoolDomain removes a pool's domain.
func (h *Handlers) DeleteUserPoolDomain(ctx context.Context, in *idpapi.DeleteUserPoolDomainRequest) (*idpapi.DeleteUserPoolDomainResponse, error) {
	if err := h.Pools.DeleteDomain(ctx, in.UserPoolId, in.Domain); err != nil {
		return nil, err
	}
	return &idpapi.DeleteUserPoolDomainResponse{}, nil
}

// setPoolDomains fills in DescribeUserPool's Domain and CustomDomain.
func (h *Handlers) setPoolDomains(ctx context.Context, p *idpapi.UserPoolType) error {
	ds, err := h.Pools.PoolDomains(ctx, p.Id)
	if err != nil {
		return err
	}
	for _, d := range ds {
		if d.Custom {
			p.CustomDomain = d.Name
		} else {
			p.Domain = d.Name
		}
	}
	return nil
}
