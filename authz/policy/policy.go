// Package policy parses IAM policy documents (identity policies and role trust
// policies) and evaluates requests against them the way IAM does: an explicit
// Deny in any policy wins, otherwise an Allow allows, otherwise the request is
// implicitly denied.
//
// Parse compiles a document once; Evaluate is then cheap enough to run on
// every request a resource server receives. The package uses only the
// standard library so that any Go service can embed it.
package policy

import "fmt"

// Kind says which sort of policy document Parse reads, because IAM validates
// the two differently.
type Kind int

const (
	// Identity is an identity-based policy (a role's or user's policy): it may
	// not name a Principal or NotPrincipal and every statement needs a Resource
	// or NotResource.
	Identity Kind = iota
	// Trust is a role's trust policy: every statement needs a Principal or
	// NotPrincipal and none may name a Resource or NotResource.
	Trust
)

// MaxDocumentSize is the largest document Parse accepts, in bytes. IAM's own
// quotas are smaller and are the caller's concern; this cap only keeps a
// hostile document from costing memory.
const MaxDocumentSize = 128 << 10

// maxDepth caps JSON nesting; a real policy nests at most seven levels.
const maxDepth = 16

// SyntaxError is the error Parse returns: IAM's MalformedPolicyDocument.
type SyntaxError struct {
	// Message is IAM's wording for the problem, e.g. "Syntax errors in policy."
	Message string
	// Line and Column (1-based) locate the problem in the document, or the
	// statement it concerns; zero when no place applies.
	Line, Column int
}

// Error returns the message with its position.
func (e *SyntaxError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s (line %d, column %d)", e.Message, e.Line, e.Column)
	}
	return e.Message
}

// Policy is a parsed, compiled policy document. It is immutable and safe for
// concurrent use.
type Policy struct {
	id      string
	version string
	kind    Kind
	stmts   []statement
}

// ID returns the document's Id element, or "".
func (p *Policy) ID() string { return p.id }

// Version returns the document's Version element, or "" when it had none
// (which IAM reads as 2008-10-17).
func (p *Policy) Version() string { return p.version }

// Kind returns the kind the policy was parsed as.
func (p *Policy) Kind() Kind { return p.kind }

// Request is what Evaluate decides on.
type Request struct {
	// Principal is who asks, for trust and resource policies: principal type to ids,
	// e.g. {"Federated": {"cognito-identity.amazonaws.com"}} or {"AWS": {"arn:aws:iam::000000000000:user/admin"}}.
	Principal map[string][]string
	// Action is the service-prefixed action, e.g. "s3:GetObject".
	Action string
	// Resource is the ARN acted on.
	Resource string
	// Context holds condition keys and their values; names match case-insensitively
	// (aws:username, aws:PrincipalTag/dept, cognito-identity.amazonaws.com:sub, aws:CurrentTime, aws:SourceIp, ...).
	Context map[string][]string
}

// Decision is the outcome of an evaluation.
type Decision int

const (
	// ImplicitDeny means no statement allowed the request.
	ImplicitDeny Decision = iota
	// Allowed means a statement allowed it and none denied it.
	Allowed
	// ExplicitDeny means a Deny statement matched.
	ExplicitDeny
)

// String returns IAM SimulatePolicy's EvalDecision word.
func (d Decision) String() string {
	switch d {
	case Allowed:
		return "allowed"
	case ExplicitDeny:
		return "explicitDeny"
	default:
		return "implicitDeny"
	}
}

// Position is a place in a document, 1-based, as IAM's
// SimulatePrincipalPolicy StartPosition/EndPosition.
type Position struct{ Line, Column int }

// Match names a statement that decided an evaluation.
type Match struct {
	Policy     int // index into the policies passed to Evaluate
	Sid        string
	Start, End Position // the statement's extent in the document: its opening and closing brace
}

// Result is the outcome of Evaluate.
type Result struct {
	Decision Decision
	// Matched lists the statements that decided: the denies when explicitly
	// denied, else the allows.
	Matched []Match
	// MissingContext lists condition keys a condition needed that Context
	// lacked (SimulatePolicy's MissingContextValues).
	MissingContext []string
}
