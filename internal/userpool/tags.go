package userpool

import (
	"context"
	"maps"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
)

// maxTags is how many tags a pool may carry, as in AWS.
const maxTags = 50

var errTooManyTags = apierr.Newf(apierr.InvalidParameter, "A user pool can have at most %d tags.", maxTags)

// TagPool adds tags to a pool, replacing the values of keys it has.
func (s *Service) TagPool(ctx context.Context, poolID string, tags map[string]string) error {
	return s.retag(ctx, poolID, func(cur map[string]string) {
		maps.Copy(cur, tags)
	})
}

// UntagPool removes tags from a pool; keys it does not have are ignored.
func (s *Service) UntagPool(ctx context.Context, poolID string, keys []string) error {
	return s.retag(ctx, poolID, func(cur map[string]string) {
		for _, k := range keys {
			delete(cur, k)
		}
	})
}

// PoolTags returns a pool's tags.
func (s *Service) PoolTags(ctx context.Context, poolID string) (map[string]string, error) {
	p, err := s.Pool(ctx, poolID)
	if err != nil {
		return nil, err
	}
	return p.Settings.Tags, nil
}

func (s *Service) retag(ctx context.Context, poolID string, change func(map[string]string)) error {
	_, err := s.changePool(ctx, poolID, func(p *store.Pool) error {
		tags := maps.Clone(p.Settings.Tags)
		if tags == nil {
			tags = map[string]string{}
		}
		change(tags)
		if len(tags) > maxTags {
			return errTooManyTags
		}
		p.Settings.Tags = tags
		return nil
	})
	return err
}
