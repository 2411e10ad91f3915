package policy

import "strings"

type statement struct {
	sid        string
	deny       bool
	start, end Position

	hasPrincipal bool // Principal or NotPrincipal present
	notPrincipal bool
	principals   principalSet

	actions   []pattern
	notAction bool

	resources   []pattern
	notResource bool
	anyResource bool // trust policies name no resource

	conds []condition
}

// Evaluate decides req against policies together: an explicit Deny anywhere
// wins, otherwise an Allow allows, otherwise the request is implicitly
// denied. Nil policies are skipped.
func Evaluate(req Request, policies ...*Policy) Result {
	var res Result
	denied := false
	for pi, p := range policies {
		if p == nil {
			continue
		}
		for i := range p.stmts {
			s := &p.stmts[i]
			if denied && !s.deny {
				continue
			}
			if !s.applies(&req, &res.MissingContext) {
				continue
			}
			m := Match{Policy: pi, Sid: s.sid, Start: s.start, End: s.end}
			if s.deny && !denied {
				denied = true
				res.Matched = res.Matched[:0]
			}
			res.Matched = append(res.Matched, m)
		}
	}
	switch {
	case denied:
		res.Decision = ExplicitDeny
	case len(res.Matched) > 0:
		res.Decision = Allowed
	}
	return res
}

// applies reports whether the statement covers the request.
func (s *statement) applies(req *Request, missing *[]string) bool {
	if !s.matchAction(req.Action) {
		return false
	}
	v := vars{ctx: req.Context, missing: missing}
	if !s.matchResource(req.Resource, v) {
		return false
	}
	if s.hasPrincipal && s.principals.match(req.Principal) == s.notPrincipal {
		return false
	}
	for i := range s.conds {
		if !s.conds[i].eval(req.Context, missing) {
			return false
		}
	}
	return true
}

func (s *statement) matchAction(action string) bool {
	found := false
	for i := range s.actions {
		if s.actions[i].match(action, true, vars{}) {
			found = true
			break
		}
	}
	return found != s.notAction
}

func (s *statement) matchResource(resource string, v vars) bool {
	if s.anyResource {
		return true
	}
	found := false
	for i := range s.resources {
		if s.resources[i].match(resource, false, v) {
			found = true
			break
		}
	}
	return found != s.notResource
}

// principalSet is a compiled Principal or NotPrincipal element.
type principalSet struct {
	any  bool                // "*" or {"AWS": "*"}
	ids  map[string][]string // principal type to ids; AWS account ids as root ARNs
	wild map[string]bool     // principal types listed with "*"
}

func (ps *principalSet) match(req map[string][]string) bool {
	if ps.any {
		return true
	}
	for typ, ids := range req {
		if len(ids) > 0 && ps.wild[typ] {
			return true
		}
		for _, want := range ps.ids[typ] {
			for _, id := range ids {
				if principalMatches(typ, want, id) {
					return true
				}
			}
		}
	}
	return false
}

// principalMatches compares one policy id with one request id. An AWS
// account principal (arn:...:iam::<account>:root) stands for every principal
// in that account.
func principalMatches(typ, want, id string) bool {
	if want == id {
		return true
	}
	if typ != "AWS" {
		return false
	}
	account, ok := rootAccount(want)
	if !ok {
		return false
	}
	if id == account {
		return true
	}
	// arn:partition:service:region:account:resource
	parts := 0
	rest := id
	if !strings.HasPrefix(rest, "arn:") {
		return false
	}
	for parts < 4 {
		j := strings.IndexByte(rest, ':')
		if j < 0 {
			return false
		}
		rest = rest[j+1:]
		parts++
	}
	j := strings.IndexByte(rest, ':')
	return j >= 0 && rest[:j] == account
}

func rootAccount(arn string) (string, bool) {
	if !strings.HasPrefix(arn, "arn:") || !strings.HasSuffix(arn, ":root") {
		return "", false
	}
	parts := strings.Split(arn, ":")
	if len(parts) != 6 || parts[2] != "iam" || parts[5] != "root" {
		return "", false
	}
	return parts[4], true
}

// ContextKeys lists the condition keys the policy refers to, in conditions
// and in policy variables, each once (compared without case), in document
// order: what IAM's GetContextKeysForCustomPolicy reports.
func (p *Policy) ContextKeys() []string {
	var keys []string
	addVars := func(pt *pattern) {
		for _, c := range pt.chunks {
			for _, s := range c {
				if s.kind == segVar {
					addMissing(&keys, s.key)
				}
			}
		}
	}
	for i := range p.stmts {
		s := &p.stmts[i]
		for j := range s.resources {
			addVars(&s.resources[j])
		}
		for j := range s.conds {
			addMissing(&keys, s.conds[j].key)
			for k := range s.conds[j].values {
				addVars(&s.conds[j].values[k].pat)
			}
		}
	}
	return keys
}
