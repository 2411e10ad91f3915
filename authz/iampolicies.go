package authz

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/cognate-auth/cognate/authz/policy"
)

// IAMPolicies is a PolicySource that reads a role's inline policies from
// Cognate's IAM API (ListRolePolicies, GetRolePolicy) with client, which
// must sign with a key allowed to read them. What it read is kept for ttl
// (0 means a minute), for at most 1,024 roles; concurrent misses for one
// role share one read.
func IAMPolicies(client *iam.Client, ttl time.Duration) PolicySource {
	if ttl <= 0 {
		ttl = time.Minute
	}
	return &iamPolicies{client: client, ttl: ttl, entries: map[string]*iamEntry{}, now: time.Now}
}

const maxCachedRoles = 1024

type iamPolicies struct {
	client  *iam.Client
	ttl     time.Duration
	now     func() time.Time
	mu      sync.Mutex
	entries map[string]*iamEntry
}

type iamEntry struct {
	done     chan struct{}
	policies []*policy.Policy
	err      error
	until    time.Time
}

func (s *iamPolicies) RolePolicies(ctx context.Context, roleARN string) ([]*policy.Policy, error) {
	s.mu.Lock()
	e, ok := s.entries[roleARN]
	if ok {
		select {
		case <-e.done:
			if s.now().After(e.until) || e.err != nil {
				ok = false
			}
		default:
		}
	}
	if !ok {
		if len(s.entries) >= maxCachedRoles {
			for k, old := range s.entries { // drop finished entries to make room
				select {
				case <-old.done:
					delete(s.entries, k)
				default:
				}
			}
		}
		e = &iamEntry{done: make(chan struct{})}
		s.entries[roleARN] = e
		s.mu.Unlock()
		e.policies, e.err = s.read(context.WithoutCancel(ctx), roleARN)
		e.until = s.now().Add(s.ttl)
		close(e.done)
	} else {
		s.mu.Unlock()
	}
	select {
	case <-e.done:
		return e.policies, e.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (s *iamPolicies) read(ctx context.Context, roleARN string) ([]*policy.Policy, error) {
	_, name, ok := strings.Cut(roleARN, ":role/")
	if !ok {
		return nil, fmt.Errorf("authz: %q is not a role ARN", roleARN)
	}
	name = name[strings.LastIndexByte(name, '/')+1:]
	var policies []*policy.Policy
	p := iam.NewListRolePoliciesPaginator(s.client, &iam.ListRolePoliciesInput{RoleName: aws.String(name)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, pn := range page.PolicyNames {
			out, err := s.client.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String(pn)})
			if err != nil {
				return nil, err
			}
			doc, err := url.QueryUnescape(aws.ToString(out.PolicyDocument))
			if err != nil {
				return nil, fmt.Errorf("authz: policy %s of %s: %w", pn, name, err)
			}
			parsed, err := policy.Parse(doc, policy.Identity)
			if err != nil {
				return nil, fmt.Errorf("authz: policy %s of %s: %w", pn, name, err)
			}
			policies = append(policies, parsed)
		}
	}
	return policies, nil
}
