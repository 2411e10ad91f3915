package iam

import (
	"context"
	"encoding/base64"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cognate-auth/cognate/authz/policy"
	"github.com/cognate-auth/cognate/internal/store"
)

// SimulationInput is what SimulateCustomPolicy and SimulatePrincipalPolicy
// take.
type SimulationInput struct {
	// PolicySourceARN names the role or user whose inline policies
	// SimulatePrincipalPolicy evaluates; SimulateCustomPolicy ignores it.
	PolicySourceARN string
	// Policies are further identity policies (PolicyInputList).
	Policies    []string
	ActionNames []string
	// ResourceARNs default to "*".
	ResourceARNs   []string
	ContextEntries []ContextEntry
}

// ContextEntry is a condition key given to a simulation.
type ContextEntry struct {
	Key    string
	Values []string
	// Type is IAM's ContextKeyType: string, stringList, numeric,
	// numericList, boolean, booleanList, ip, ipList, binary, binaryList,
	// date, dateList.
	Type string
}

// EvaluationResult is the outcome of one action, as IAM's simulator now
// reports it: one result per action, whatever the number of resources,
// its decision the most restrictive of theirs.
type EvaluationResult struct {
	Action string
	// Resource is "*" when no resources were given, the resource when one
	// was, and "" when several were (see Resources).
	Resource string
	// Decision is "allowed", "explicitDeny" or "implicitDeny".
	Decision string
	// Matched are the statements that decided.
	Matched []MatchedStatement
	// MissingContext lists condition keys the policies needed and the
	// request lacked; IAM reports them here only when the resource is
	// "*", else per resource.
	MissingContext []string
	// Resources has the outcome on each resource when ResourceARNs were
	// given (IAM's ResourceSpecificResults).
	Resources []ResourceResult
}

// ResourceResult is the outcome of an action on one resource.
type ResourceResult struct {
	Resource       string
	Decision       string
	Matched        []MatchedStatement
	MissingContext []string
}

// MatchedStatement names a statement of one of the simulated policies.
type MatchedStatement struct {
	// SourcePolicyID is the inline policy's name, or PolicyInputList.<n>.
	SourcePolicyID string
	// SourcePolicyType is "role" or "user" for inline policies, "" for
	// policies of the input.
	SourcePolicyType string
	Start, End       policy.Position
}

type sourcePolicy struct {
	id, typ string
	p       *policy.Policy
}

// SimulateCustomPolicy evaluates the given policies.
func (s *Service) SimulateCustomPolicy(ctx context.Context, in SimulationInput) ([]EvaluationResult, error) {
	return s.simulate(in, nil)
}

// SimulatePrincipalPolicy evaluates the inline policies of a role or of
// the administrator, with the given policies.
func (s *Service) SimulatePrincipalPolicy(ctx context.Context, in SimulationInput) ([]EvaluationResult, error) {
	owner, err := s.policySource(ctx, in.PolicySourceARN)
	if err != nil {
		return nil, err
	}
	stored, err := s.store.ListPolicies(ctx, owner)
	if err != nil {
		return nil, storeErr(err)
	}
	var sources []sourcePolicy
	for _, sp := range stored {
		p, err := policy.Parse(sp.Document, policy.Identity)
		if err != nil {
			return nil, apierrPolicyEvaluation(sp.Name)
		}
		sources = append(sources, sourcePolicy{id: sp.Name, typ: owner.Kind, p: p})
	}
	return s.simulate(in, sources)
}

// policySource finds who a PolicySourceArn names.
func (s *Service) policySource(ctx context.Context, arn string) (store.PolicyOwner, error) {
	if account, path, name, ok := parseRoleARN(arn); ok {
		r, err := s.GetRole(ctx, name)
		if err != nil {
			return store.PolicyOwner{}, err
		}
		if account != s.account || r.Path != path {
			return store.PolicyOwner{}, roleNotFound(name)
		}
		return store.PolicyOwner{Kind: store.PolicyOwnerRole, Name: r.Name}, nil
	}
	if name, ok := strings.CutPrefix(arn, "arn:aws:iam::"+s.account+":user/"); ok {
		name = name[strings.LastIndexByte(name, '/')+1:]
		return s.userOwner(name)
	}
	return store.PolicyOwner{}, invalidInput("Invalid ARN: %s", arn)
}

func (s *Service) simulate(in SimulationInput, sources []sourcePolicy) ([]EvaluationResult, error) {
	for i, doc := range in.Policies {
		p, err := parsePolicy(doc, policy.Identity)
		if err != nil {
			return nil, err
		}
		sources = append(sources, sourcePolicy{id: "PolicyInputList." + strconv.Itoa(i+1), p: p})
	}
	if len(in.ActionNames) == 0 {
		return nil, validationError("1 validation error detected: Value null at 'actionNames' failed to satisfy constraint: Member must not be null")
	}
	reqCtx, err := simulationContext(in.ContextEntries)
	if err != nil {
		return nil, err
	}
	policies := make([]*policy.Policy, len(sources))
	for i, sp := range sources {
		policies[i] = sp.p
	}
	out := make([]EvaluationResult, 0, len(in.ActionNames))
	for _, action := range in.ActionNames {
		if len(in.ResourceARNs) == 0 {
			rr := evaluate(sources, policies, action, "*", reqCtx)
			out = append(out, EvaluationResult{Action: action, Resource: "*", Decision: rr.Decision,
				Matched: rr.Matched, MissingContext: rr.MissingContext})
			continue
		}
		r := EvaluationResult{Action: action, Decision: policy.Allowed.String(), Matched: []MatchedStatement{}, MissingContext: []string{}}
		if len(in.ResourceARNs) == 1 {
			r.Resource = in.ResourceARNs[0]
		}
		for _, resource := range in.ResourceARNs {
			r.Resources = append(r.Resources, evaluate(sources, policies, action, resource, reqCtx))
		}
		r.Decision = mostRestrictive(r.Resources)
		for _, rr := range r.Resources {
			if rr.Decision != r.Decision {
				continue
			}
			for _, m := range rr.Matched {
				if !slices.Contains(r.Matched, m) {
					r.Matched = append(r.Matched, m)
				}
			}
		}
		out = append(out, r)
	}
	return out, nil
}

func evaluate(sources []sourcePolicy, policies []*policy.Policy, action, resource string, reqCtx map[string][]string) ResourceResult {
	res := policy.Evaluate(policy.Request{Action: action, Resource: resource, Context: reqCtx}, policies...)
	r := ResourceResult{Resource: resource, Decision: res.Decision.String(), Matched: []MatchedStatement{}, MissingContext: []string{}}
	for _, m := range res.Matched {
		src := sources[m.Policy]
		r.Matched = append(r.Matched, MatchedStatement{SourcePolicyID: src.id, SourcePolicyType: src.typ, Start: m.Start, End: m.End})
	}
	r.MissingContext = append(r.MissingContext, res.MissingContext...)
	return r
}

// mostRestrictive is the decision of several: an explicit deny, else an
// implicit one, else allowed.
func mostRestrictive(rs []ResourceResult) string {
	d := policy.Allowed.String()
	for _, r := range rs {
		switch r.Decision {
		case policy.ExplicitDeny.String():
			return r.Decision
		case policy.ImplicitDeny.String():
			d = r.Decision
		}
	}
	return d
}

// simulationContext checks the entries' values against their types and
// gathers them.
func simulationContext(entries []ContextEntry) (map[string][]string, error) {
	ctx := make(map[string][]string, len(entries))
	for _, e := range entries {
		if e.Key == "" {
			return nil, invalidInput("Context key name must not be empty.")
		}
		base, list := strings.CutSuffix(e.Type, "List")
		if !list && len(e.Values) > 1 {
			return nil, invalidInput("Context key %s of type %s takes a single value.", e.Key, e.Type)
		}
		for _, v := range e.Values {
			if !validContextValue(base, v) {
				return nil, invalidInput("Invalid value %q for context key %s of type %s.", v, e.Key, e.Type)
			}
		}
		ctx[e.Key] = append(ctx[e.Key], e.Values...)
	}
	return ctx, nil
}

func validContextValue(typ, v string) bool {
	switch typ {
	case "", "string":
		return true
	case "numeric":
		_, err := strconv.ParseFloat(v, 64)
		return err == nil
	case "boolean":
		return strings.EqualFold(v, "true") || strings.EqualFold(v, "false")
	case "ip":
		if _, err := netip.ParsePrefix(v); err == nil {
			return true
		}
		_, err := netip.ParseAddr(v)
		return err == nil
	case "binary":
		_, err := base64.StdEncoding.DecodeString(v)
		return err == nil
	case "date":
		if _, err := time.Parse(time.RFC3339, v); err == nil {
			return true
		}
		_, err := strconv.ParseInt(v, 10, 64)
		return err == nil
	}
	return false
}
