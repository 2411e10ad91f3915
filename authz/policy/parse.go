package policy

import (
	"fmt"
	"strings"
)

// IAM's MalformedPolicyDocument messages.
const (
	msgSyntax          = "Syntax errors in policy."
	msgVersion         = "Policy document must be version 2012-10-17 or greater."
	msgLegacy          = "The policy failed legacy parsing"
	msgSidUnique       = "Statement IDs (SID) in a single policy must be unique."
	msgNoActions       = "Policy statement must contain actions."
	msgNoResources     = "Policy statement must contain resources."
	msgPrincipalBanned = "Has prohibited field Principal"
	msgResourceBanned  = "Has prohibited field Resource"
	msgNoPrincipal     = "Missing required field Principal"
	msgVendor          = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
	msgOneColon        = "Actions/Condition can contain only one colon."
	msgTooLarge        = "Cannot exceed quota for PolicySize: 131072"
)

const (
	version2012 = "2012-10-17"
	version2008 = "2008-10-17"
)

var topFields = map[string]bool{"Version": true, "Id": true, "Statement": true}

var statementFields = map[string]bool{
	"Sid": true, "Effect": true, "Principal": true, "NotPrincipal": true,
	"Action": true, "NotAction": true, "Resource": true, "NotResource": true, "Condition": true,
}

// parser carries a document through compilation.
type parser struct {
	doc  string
	kind Kind
	vars bool // the document's version has policy variables
}

func (ps *parser) errAt(off int, msg string) *SyntaxError {
	pos := position(ps.doc, off)
	return &SyntaxError{Message: msg, Line: pos.Line, Column: pos.Column}
}

// Parse reads a policy document of the given kind and compiles it for
// Evaluate. Errors are *SyntaxError, carrying IAM's MalformedPolicyDocument
// message.
func Parse(doc string, kind Kind) (*Policy, error) {
	if len(doc) > MaxDocumentSize {
		return nil, &SyntaxError{Message: msgTooLarge}
	}
	ps := &parser{doc: doc, kind: kind}
	root, off, err := readTree(doc)
	if err != nil {
		return nil, ps.errAt(off, msgSyntax)
	}
	if root.kind != nObject {
		return nil, ps.errAt(0, msgSyntax)
	}
	for _, k := range root.keys {
		if !topFields[k] {
			return nil, ps.errAt(root.start, msgSyntax)
		}
	}
	p := &Policy{kind: kind}
	if v := root.get("Version"); v != nil {
		if v.kind != nString || (v.str != version2012 && v.str != version2008) {
			return nil, ps.errAt(root.start, msgSyntax)
		}
		p.version = v.str
	}
	ps.vars = p.version == version2012
	if id := root.get("Id"); id != nil {
		if id.kind != nString {
			return nil, ps.errAt(root.start, msgSyntax)
		}
		p.id = id.str
	}
	stmts, err := ps.statementNodes(root)
	if err != nil {
		return nil, err
	}
	for _, s := range stmts {
		c, err := ps.statement(s)
		if err != nil {
			return nil, err
		}
		p.stmts = append(p.stmts, c)
	}
	return p, nil
}

// statementNodes finds the statements and applies the checks that concern
// them all. IAM checks every statement's shape before the rules that
// follow, so the order of these passes decides which message a document
// gets.
func (ps *parser) statementNodes(root *node) ([]*node, error) {
	st := root.get("Statement")
	var stmts []*node
	switch {
	case st == nil:
		return nil, ps.errAt(root.start, msgSyntax)
	case st.kind == nObject:
		stmts = []*node{st}
	case st.kind == nArray && len(st.elems) > 0:
		stmts = st.elems
	default:
		return nil, ps.errAt(root.start, msgSyntax)
	}
	for _, s := range stmts {
		if err := ps.checkShape(s); err != nil {
			return nil, err
		}
	}
	for _, s := range stmts {
		if e := s.get("Effect"); e.str != "Allow" && e.str != "Deny" {
			return nil, ps.errAt(s.start, msgLegacy)
		}
	}
	sids := map[string]bool{}
	for _, s := range stmts {
		if sid := s.get("Sid"); sid != nil && sid.str != "" {
			if sids[sid.str] {
				return nil, ps.errAt(s.start, msgSidUnique)
			}
			sids[sid.str] = true
		}
	}
	return stmts, nil
}

// checkShape enforces the JSON types IAM's grammar allows.
func (ps *parser) checkShape(s *node) error {
	bad := ps.errAt(s.start, msgSyntax)
	if s.kind != nObject {
		if s.kind == nArray {
			return bad
		}
		return ps.errAt(0, msgSyntax)
	}
	for _, k := range s.keys {
		if !statementFields[k] {
			return bad
		}
	}
	if s.get("Action") != nil && s.get("NotAction") != nil ||
		s.get("Resource") != nil && s.get("NotResource") != nil ||
		s.get("Principal") != nil && s.get("NotPrincipal") != nil {
		return bad
	}
	e := s.get("Effect")
	if e == nil || e.kind != nString || (!strings.EqualFold(e.str, "Allow") && !strings.EqualFold(e.str, "Deny")) {
		return bad
	}
	if sid := s.get("Sid"); sid != nil && sid.kind != nString {
		return bad
	}
	for _, k := range []string{"Action", "NotAction", "Resource", "NotResource"} {
		if n := s.get(k); n != nil && !isStringList(n) {
			return bad
		}
	}
	for _, k := range []string{"Principal", "NotPrincipal"} {
		if n := s.get(k); n != nil && !isPrincipalShape(n) {
			return bad
		}
	}
	if c := s.get("Condition"); c != nil {
		if c.kind != nObject {
			return bad
		}
		for i, opName := range c.keys {
			block := c.vals[i]
			if block.kind != nObject {
				return bad
			}
			if _, _, _, ok := parseOperator(opName); !ok && len(block.keys) > 0 {
				return bad
			}
			for _, v := range block.vals {
				if !isScalarList(v) {
					return bad
				}
			}
		}
	}
	return nil
}

func isStringList(n *node) bool {
	if n.kind == nString {
		return true
	}
	if n.kind != nArray {
		return false
	}
	for _, e := range n.elems {
		if e.kind != nString {
			return false
		}
	}
	return true
}

func isScalar(n *node) bool {
	return n.kind == nString || n.kind == nNumber || n.kind == nBool
}

func isScalarList(n *node) bool {
	if isScalar(n) {
		return true
	}
	if n.kind != nArray {
		return false
	}
	for _, e := range n.elems {
		if !isScalar(e) {
			return false
		}
	}
	return true
}

func isPrincipalShape(n *node) bool {
	if n.kind == nString {
		return n.str == "*"
	}
	if n.kind != nObject {
		return false
	}
	for _, v := range n.vals {
		if !isStringList(v) {
			return false
		}
	}
	return true
}

// stringList returns a string, number, boolean or array of them as strings.
func stringList(n *node) []string {
	if isScalar(n) {
		return []string{n.str}
	}
	out := make([]string, 0, len(n.elems))
	for _, e := range n.elems {
		out = append(out, e.str)
	}
	return out
}

func (ps *parser) statement(s *node) (statement, error) {
	st := statement{
		deny:  s.get("Effect").str == "Deny",
		start: position(ps.doc, s.start),
		end:   position(ps.doc, s.end),
	}
	if sid := s.get("Sid"); sid != nil {
		st.sid = sid.str
	}
	if err := ps.actions(s, &st); err != nil {
		return st, err
	}
	if err := ps.principals(s, &st); err != nil {
		return st, err
	}
	if err := ps.resources(s, &st); err != nil {
		return st, err
	}
	if err := ps.conditions(s, &st); err != nil {
		return st, err
	}
	return st, nil
}

func (ps *parser) actions(s *node, st *statement) error {
	n := s.get("Action")
	if n == nil {
		n = s.get("NotAction")
		st.notAction = n != nil
	}
	if n == nil {
		return ps.errAt(s.start, msgNoActions)
	}
	list := stringList(n)
	if len(list) == 0 {
		return ps.errAt(s.start, msgNoActions)
	}
	for _, a := range list {
		if a != "*" {
			vendor, rest, ok := strings.Cut(a, ":")
			switch {
			case !ok:
				return ps.errAt(s.start, msgVendor)
			case strings.IndexByte(rest, ':') >= 0:
				return ps.errAt(s.start, msgOneColon)
			case !validVendor(vendor):
				return ps.errAt(s.start, fmt.Sprintf("Vendor %s is not valid", vendor))
			}
		}
		st.actions = append(st.actions, compilePattern(a, compileOpts{wildcards: true, lower: true}))
	}
	return nil
}

func validVendor(v string) bool {
	if v == "*" {
		return true
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return v != ""
}

func (ps *parser) resources(s *node, st *statement) error {
	n := s.get("Resource")
	if n == nil {
		n = s.get("NotResource")
		st.notResource = n != nil
	}
	if ps.kind == Trust {
		if n != nil {
			return ps.errAt(s.start, msgResourceBanned)
		}
		st.anyResource = true
		return nil
	}
	if n == nil {
		return ps.errAt(s.start, msgNoResources)
	}
	list := stringList(n)
	if len(list) == 0 {
		return ps.errAt(s.start, msgNoResources)
	}
	for _, r := range list {
		if r != "*" && strings.IndexByte(r, ':') < 0 {
			return ps.errAt(s.start, fmt.Sprintf("Resource %s must be in ARN format or \"*\".", r))
		}
		st.resources = append(st.resources, compileARNPattern(r, compileOpts{wildcards: true, variables: ps.vars}))
	}
	return nil
}

func (ps *parser) conditions(s *node, st *statement) error {
	c := s.get("Condition")
	if c == nil {
		return nil
	}
	for i, opName := range c.keys {
		block := c.vals[i]
		if len(block.keys) == 0 {
			continue
		}
		op, set, ifExists, _ := parseOperator(opName)
		for j, key := range block.keys {
			cond := condition{op: op, set: set, ifExists: ifExists, key: key}
			for _, raw := range stringList(block.vals[j]) {
				cv := compileCondValue(op.base, raw, ps.vars)
				if !cv.valid && op.base.date() {
					return ps.errAt(s.start, msgLegacy)
				}
				cond.values = append(cond.values, cv)
			}
			st.conds = append(st.conds, cond)
		}
	}
	return nil
}

var principalTypes = map[string]bool{"AWS": true, "Federated": true, "Service": true, "CanonicalUser": true}

func (ps *parser) principals(s *node, st *statement) error {
	n := s.get("Principal")
	if n == nil {
		n = s.get("NotPrincipal")
		st.notPrincipal = n != nil
	}
	if ps.kind == Identity {
		if n != nil {
			return ps.errAt(s.start, msgPrincipalBanned)
		}
		return nil
	}
	if n == nil {
		return ps.errAt(s.start, msgNoPrincipal)
	}
	st.hasPrincipal = true
	if n.kind == nString {
		st.principals.any = true
		return nil
	}
	st.principals.ids = map[string][]string{}
	st.principals.wild = map[string]bool{}
	for i, typ := range n.keys {
		if !principalTypes[typ] {
			return ps.errAt(s.start, fmt.Sprintf("Invalid principal in policy: %q", typ))
		}
		for _, id := range stringList(n.vals[i]) {
			switch {
			case id == "*" && typ == "AWS":
				st.principals.any = true
			case id == "*":
				st.principals.wild[typ] = true
			case id == "":
				return ps.errAt(s.start, fmt.Sprintf("Invalid principal in policy: %q:%q", typ, id))
			case typ == "AWS" && len(id) == 12 && isDigits(id):
				st.principals.ids[typ] = append(st.principals.ids[typ], "arn:aws:iam::"+id+":root")
			default:
				st.principals.ids[typ] = append(st.principals.ids[typ], id)
			}
		}
	}
	return nil
}
