package idp

import (
	"context"
	"strings"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/wire/idpapi"
)

// poolOfARN returns the pool id of a user pool ARN,
// arn:aws:cognito-idp:<region>:<account>:userpool/<id>. Any other resource
// is not found, as Cognate tags only user pools.
func (h *Handlers) poolOfARN(arn string) (string, error) {
	parts := strings.SplitN(arn, ":", 6)
	notFound := apierr.Newf(apierr.ResourceNotFound, "Resource %s does not exist.", arn)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "cognito-idp" || parts[4] != h.AccountID {
		return "", notFound
	}
	id, ok := strings.CutPrefix(parts[5], "userpool/")
	if !ok || !strings.HasPrefix(id, parts[3]+"_") {
		return "", notFound
	}
	return id, nil
}

// TagResource adds tags to a user pool.
func (h *Handlers) TagResource(ctx context.Context, in *idpapi.TagResourceRequest) (*idpapi.TagResourceResponse, error) {
	id, err := h.poolOfARN(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	if err := h.Pools.TagPool(ctx, id, in.Tags); err != nil {
		return nil, err
	}
	return &idpapi.TagResourceResponse{}, nil
}

// UntagResource removes tags from a user pool.
func (h *Handlers) UntagResource(ctx context.Context, in *idpapi.UntagResourceRequest) (*idpapi.UntagResourceResponse, error) {
	id, err := h.poolOfARN(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	if err := h.Pools.UntagPool(ctx, id, in.TagKeys); err != nil {
		return nil, err
	}
	return &idpapi.UntagResourceResponse{}, nil
}

// ListTagsForResource returns a user pool's tags.
func (h *Handlers) ListTagsForResource(ctx context.Context, in *idpapi.ListTagsForResourceRequest) (*idpapi.ListTagsForResourceResponse, error) {
	id, err := h.poolOfARN(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	tags, err := h.Pools.PoolTags(ctx, id)
	if err != nil {
		return nil, err
	}
	return &idpapi.ListTagsForResourceResponse{Tags: tags}, nil
}
