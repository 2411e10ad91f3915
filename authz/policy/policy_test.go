package policy

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func mustParse(t testing.TB, doc string, kind Kind) *Policy {
	t.Helper()
	p, err := Parse(doc, kind)
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, doc)
	}
	return p
}

func TestDecisionString(t *testing.T) {
	t.Parallel()
	for d, want := range map[Decision]string{ImplicitDeny: "implicitDeny", Allowed: "allowed", ExplicitDeny: "explicitDeny"} {
		if d.String() != want {
			t.Errorf("%d: %q", d, d.String())
		}
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	const ok = `"Effect":"Allow","Action":"s3:GetObject","Resource":"*"`
	cases := []struct {
		name string
		doc  string
		kind Kind
		msg  string
	}{
		{"not json", `{"Version":`, Identity, msgSyntax},
		{"trailing", `{"Statement":{` + ok + `}} x`, Identity, msgSyntax},
		{"array top", `[]`, Identity, msgSyntax},
		{"no statement", `{"Version":"2012-10-17"}`, Identity, msgSyntax},
		{"empty statement list", `{"Version":"2012-10-17","Statement":[]}`, Identity, msgSyntax},
		{"unknown top", `{"Version":"2012-10-17","Foo":1,"Statement":{` + ok + `}}`, Identity, msgSyntax},
		{"bad version", `{"Version":"2012-10-18","Statement":{` + ok + `}}`, Identity, msgSyntax},
		{"number version", `{"Version":2012,"Statement":{` + ok + `}}`, Identity, msgSyntax},
		{"id not string", `{"Id":1,"Statement":{` + ok + `}}`, Identity, msgSyntax},
		{"unknown field", `{"Statement":{` + ok + `,"Effects":"Allow"}}`, Identity, msgSyntax},
		{"no effect", `{"Statement":{"Action":"s3:*","Resource":"*"}}`, Identity, msgSyntax},
		{"bad effect", `{"Statement":{"Effect":"Permit","Action":"s3:*","Resource":"*"}}`, Identity, msgSyntax},
		{"lower effect", `{"Statement":{"Effect":"allow","Action":"s3:*","Resource":"*"}}`, Identity, msgLegacy},
		{"action and notaction", `{"Statement":{` + ok + `,"NotAction":"s3:*"}}`, Identity, msgSyntax},
		{"resource and notresource", `{"Statement":{` + ok + `,"NotResource":"*"}}`, Identity, msgSyntax},
		{"action number", `{"Statement":{"Effect":"Allow","Action":1,"Resource":"*"}}`, Identity, msgSyntax},
		{"action nested", `{"Statement":{"Effect":"Allow","Action":[["s3:*"]],"Resource":"*"}}`, Identity, msgSyntax},
		{"statement string", `{"Statement":["x"]}`, Identity, msgSyntax},
		{"condition not object", `{"Statement":{` + ok + `,"Condition":"x"}}`, Identity, msgSyntax},
		{"condition value object", `{"Statement":{` + ok + `,"Condition":{"StringEquals":{"a":{"b":"c"}}}}}`, Identity, msgSyntax},
		{"unknown operator", `{"Statement":{` + ok + `,"Condition":{"StringEqualz":{"a":"b"}}}}`, Identity, msgSyntax},
		{"null ifexists", `{"Statement":{` + ok + `,"Condition":{"NullIfExists":{"a":"true"}}}}`, Identity, msgSyntax},
		{"duplicate sid", `{"Statement":[{"Sid":"a",` + ok + `},{"Sid":"a",` + ok + `}]}`, Identity, msgSidUnique},
		{"no action", `{"Statement":{"Effect":"Allow","Resource":"*"}}`, Identity, msgNoActions},
		{"empty actions", `{"Statement":{"Effect":"Allow","Action":[],"Resource":"*"}}`, Identity, msgNoActions},
		{"no vendor", `{"Statement":{"Effect":"Allow","Action":"GetObject","Resource":"*"}}`, Identity, msgVendor},
		{"two colons", `{"Statement":{"Effect":"Allow","Action":"s3:a:b","Resource":"*"}}`, Identity, msgOneColon},
		{"bad vendor", `{"Statement":{"Effect":"Allow","Action":"s 3:Get","Resource":"*"}}`, Identity, "Vendor s 3 is not valid"},
		{"no resource", `{"Statement":{"Effect":"Allow","Action":"s3:*"}}`, Identity, msgNoResources},
		{"empty resources", `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":[]}}`, Identity, msgNoResources},
		{"resource not arn", `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"bucket"}}`, Identity, `Resource bucket must be in ARN format or "*".`},
		{"identity principal", `{"Statement":{` + ok + `,"Principal":"*"}}`, Identity, msgPrincipalBanned},
		{"identity notprincipal", `{"Statement":{` + ok + `,"NotPrincipal":{"AWS":"123456789012"}}}`, Identity, msgPrincipalBanned},
		{"trust no principal", `{"Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}}`, Trust, msgNoPrincipal},
		{"trust resource", `{"Statement":{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Resource":"*"}}`, Trust, msgResourceBanned},
		{"principal string", `{"Statement":{"Effect":"Allow","Principal":"me","Action":"sts:AssumeRole"}}`, Trust, msgSyntax},
		{"principal type", `{"Statement":{"Effect":"Allow","Principal":{"Robot":"x"},"Action":"sts:AssumeRole"}}`, Trust, `Invalid principal in policy: "Robot"`},
		{"bad date", `{"Statement":{` + ok + `,"Condition":{"DateLessThan":{"aws:CurrentTime":"soon"}}}}`, Identity, msgLegacy},
		{"too deep", `{"Statement":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, Identity, msgSyntax},
		{"too large", `{"Statement":{` + ok + `},"Id":"` + strings.Repeat("x", MaxDocumentSize) + `"}`, Identity, msgTooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(c.doc, c.kind)
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want *SyntaxError", err)
			}
			if se.Message != c.msg {
				t.Errorf("message %q, want %q", se.Message, c.msg)
			}
			if !strings.Contains(se.Error(), c.msg) {
				t.Errorf("Error() %q lacks message", se.Error())
			}
		})
	}
}

func TestParseAccepts(t *testing.T) {
	t.Parallel()
	docs := []string{
		`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
		`{"Version":"2008-10-17","Id":"x","Statement":[{"Effect":"Deny","NotAction":["s3:*"],"NotResource":"arn:aws:s3:::a"}]}`,
		`{"Version":"2012-10-17","Statement":{"Sid":"","Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bogus":{}}}}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":true},"NumericLessThan":{"n":[1,2.5]}}}}`,
		"\ufeff" + `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
	}
	for _, d := range docs[:4] {
		mustParse(t, d, Identity)
	}
	// A byte-order mark is not JSON; IAM's parser rejects it as well.
	if _, err := Parse(docs[4], Identity); err == nil {
		t.Error("BOM accepted")
	}
	p := mustParse(t, docs[1], Identity)
	if p.ID() != "x" || p.Version() != "2008-10-17" || p.Kind() != Identity {
		t.Errorf("ID %q Version %q", p.ID(), p.Version())
	}
}

func identity(stmts ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
}

func TestActionsAndResources(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		stmt     string
		action   string
		resource string
		want     Decision
	}{
		{"exact", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/k"}`, "s3:GetObject", "arn:aws:s3:::b/k", Allowed},
		{"action case", `{"Effect":"Allow","Action":"S3:getObject","Resource":"*"}`, "s3:GETOBJECT", "x", Allowed},
		{"action wildcard", `{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}`, "s3:GetObjectAcl", "x", Allowed},
		{"action wildcard no", `{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}`, "s3:PutObject", "x", ImplicitDeny},
		{"action question", `{"Effect":"Allow","Action":"s3:Get?bject","Resource":"*"}`, "s3:GetObject", "x", Allowed},
		{"action question needs one", `{"Effect":"Allow","Action":"s3:Get?Object","Resource":"*"}`, "s3:GetObject", "x", ImplicitDeny},
		{"action service", `{"Effect":"Allow","Action":"s3:*","Resource":"*"}`, "s3x:GetObject", "x", ImplicitDeny},
		{"action star", `{"Effect":"Allow","Action":"*","Resource":"*"}`, "anything:Go", "x", Allowed},
		{"action list", `{"Effect":"Allow","Action":["ec2:*","s3:List*"],"Resource":"*"}`, "s3:ListBucket", "x", Allowed},
		{"action middle star", `{"Effect":"Allow","Action":"iam:*AccessKey*","Resource":"*"}`, "iam:CreateAccessKey", "x", Allowed},
		{"action middle star miss", `{"Effect":"Allow","Action":"iam:*AccessKey*","Resource":"*"}`, "iam:CreateUser", "x", ImplicitDeny},
		{"notaction excludes", `{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}`, "iam:CreateUser", "x", ImplicitDeny},
		{"notaction includes", `{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}`, "s3:GetObject", "x", Allowed},
		{"resource case sensitive", `{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::Bucket/*"}`, "s3:GetObject", "arn:aws:s3:::bucket/a", ImplicitDeny},
		{"resource star", `{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b/*"}`, "s3:GetObject", "arn:aws:s3:::b/a/b/c", Allowed},
		{"resource star empty", `{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b/*"}`, "s3:GetObject", "arn:aws:s3:::b/", Allowed},
		{"resource prefix only", `{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b/*"}`, "s3:GetObject", "arn:aws:s3:::bb/a", ImplicitDeny},
		{"resource colon in id", `{"Effect":"Allow","Action":"*","Resource":"arn:aws:dynamodb:us-east-1:1:table/t"}`, "d:x", "arn:aws:dynamodb:us-east-1:1:table/t", Allowed},
		{"resource part star", `{"Effect":"Allow","Action":"*","Resource":"arn:aws:sqs:*:123456789012:q"}`, "sqs:Send", "arn:aws:sqs:eu-west-1:123456789012:q", Allowed},
		{"resource part star stays in part", `{"Effect":"Allow","Action":"*","Resource":"arn:aws:sqs:*:123456789012:q"}`, "sqs:Send", "arn:aws:sqs:eu:west:123456789012:q", ImplicitDeny},
		{"resource tail with colons", `{"Effect":"Allow","Action":"*","Resource":"arn:aws:logs:*:*:log-group:g:*"}`, "logs:Put", "arn:aws:logs:us-east-1:1:log-group:g:log-stream:s", Allowed},
		{"resource short arn", `{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b"}`, "s3:Get", "arn:aws:s3", ImplicitDeny},
		{"resource question", `{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b/?"}`, "s3:Get", "arn:aws:s3:::b/é", Allowed},
		{"resource many stars", `{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::*a*a*a*b"}`, "s3:Get", "arn:aws:s3:::aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac", ImplicitDeny},
		{"resource many stars hit", `{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::*a*a*a*b"}`, "s3:Get", "arn:aws:s3:::xaayaab", Allowed},
		{"notresource", `{"Effect":"Allow","Action":"*","NotResource":"arn:aws:s3:::secret/*"}`, "s3:Get", "arn:aws:s3:::public/a", Allowed},
		{"notresource excludes", `{"Effect":"Allow","Action":"*","NotResource":"arn:aws:s3:::secret/*"}`, "s3:Get", "arn:aws:s3:::secret/a", ImplicitDeny},
		{"deny wins", `{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:Delete*","Resource":"*"}`, "s3:DeleteObject", "x", ExplicitDeny},
		{"deny notaction", `{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","NotAction":"s3:Get*","Resource":"*"}`, "s3:PutObject", "x", ExplicitDeny},
		{"deny only", `{"Effect":"Deny","Action":"s3:Delete*","Resource":"*"}`, "s3:GetObject", "x", ImplicitDeny},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := mustParse(t, identity(c.stmt), Identity)
			got := Evaluate(Request{Action: c.action, Resource: c.resource}, p)
			if got.Decision != c.want {
				t.Errorf("got %v, want %v", got.Decision, c.want)
			}
		})
	}
}

// cond evaluates one Condition block against a context.
func cond(t *testing.T, block string, ctx map[string][]string) (bool, []string) {
	t.Helper()
	p := mustParse(t, identity(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":`+block+`}`), Identity)
	r := Evaluate(Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", Context: ctx}, p)
	return r.Decision == Allowed, r.MissingContext
}

type ctx = map[string][]string

func TestConditions(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		block string
		ctx   ctx
		want  bool
	}{
		// strings
		{"StringEquals", `{"StringEquals":{"k":"v"}}`, ctx{"k": {"v"}}, true},
		{"StringEquals case", `{"StringEquals":{"k":"v"}}`, ctx{"k": {"V"}}, false},
		{"StringEquals key case", `{"StringEquals":{"aws:UserName":"bob"}}`, ctx{"AWS:username": {"bob"}}, true},
		{"StringEquals or values", `{"StringEquals":{"k":["a","b"]}}`, ctx{"k": {"b"}}, true},
		{"StringEquals literal star", `{"StringEquals":{"k":"a*"}}`, ctx{"k": {"abc"}}, false},
		{"StringEquals missing", `{"StringEquals":{"k":"v"}}`, nil, false},
		{"StringEquals number value", `{"StringEquals":{"k":5}}`, ctx{"k": {"5"}}, true},
		{"StringNotEquals", `{"StringNotEquals":{"k":["a","b"]}}`, ctx{"k": {"c"}}, true},
		{"StringNotEquals hit", `{"StringNotEquals":{"k":["a","b"]}}`, ctx{"k": {"a"}}, false},
		{"StringNotEquals missing", `{"StringNotEquals":{"k":"a"}}`, nil, true},
		{"StringEqualsIgnoreCase", `{"StringEqualsIgnoreCase":{"k":"Value"}}`, ctx{"k": {"vALUE"}}, true},
		{"StringNotEqualsIgnoreCase", `{"StringNotEqualsIgnoreCase":{"k":"Value"}}`, ctx{"k": {"vALUE"}}, false},
		{"StringLike", `{"StringLike":{"s3:prefix":["home/*"]}}`, ctx{"s3:prefix": {"home/bob/x"}}, true},
		{"StringLike question", `{"StringLike":{"k":"a?c"}}`, ctx{"k": {"abc"}}, true},
		{"StringLike miss", `{"StringLike":{"k":"a*"}}`, ctx{"k": {"ba"}}, false},
		{"StringLike case", `{"StringLike":{"k":"A*"}}`, ctx{"k": {"abc"}}, false},
		{"StringNotLike", `{"StringNotLike":{"k":"a*"}}`, ctx{"k": {"ba"}}, true},
		{"StringNotLike missing", `{"StringNotLike":{"k":"a*"}}`, nil, true},
		// AND across operators and keys
		{"and keys", `{"StringEquals":{"a":"1","b":"2"}}`, ctx{"a": {"1"}, "b": {"3"}}, false},
		{"and operators", `{"StringEquals":{"a":"1"},"StringLike":{"b":"2*"}}`, ctx{"a": {"1"}, "b": {"20"}}, true},
		// numbers
		{"NumericEquals", `{"NumericEquals":{"n":"10"}}`, ctx{"n": {"10.0"}}, true},
		{"NumericNotEquals", `{"NumericNotEquals":{"n":10}}`, ctx{"n": {"11"}}, true},
		{"NumericNotEquals hit", `{"NumericNotEquals":{"n":10}}`, ctx{"n": {"10"}}, false},
		{"NumericLessThan", `{"NumericLessThan":{"n":"10"}}`, ctx{"n": {"9.5"}}, true},
		{"NumericLessThan equal", `{"NumericLessThan":{"n":"10"}}`, ctx{"n": {"10"}}, false},
		{"NumericLessThanEquals", `{"NumericLessThanEquals":{"n":"10"}}`, ctx{"n": {"10"}}, true},
		{"NumericGreaterThan", `{"NumericGreaterThan":{"n":"10"}}`, ctx{"n": {"11"}}, true},
		{"NumericGreaterThanEquals", `{"NumericGreaterThanEquals":{"n":"10"}}`, ctx{"n": {"9"}}, false},
		{"Numeric not a number", `{"NumericEquals":{"n":"10"}}`, ctx{"n": {"ten"}}, false},
		{"Numeric bad policy value", `{"NumericEquals":{"n":"ten"}}`, ctx{"n": {"10"}}, false},
		// dates
		{"DateLessThan", `{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}`, ctx{"aws:CurrentTime": {"2026-12-04T04:00:00Z"}}, true},
		{"DateLessThan after", `{"DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}`, ctx{"aws:CurrentTime": {"2026-12-04T04:00:00Z"}}, false},
		{"DateGreaterThan epoch", `{"DateGreaterThan":{"aws:EpochTime":"1577836800"}}`, ctx{"aws:EpochTime": {"1796356800"}}, true},
		{"Date mixed forms", `{"DateEquals":{"t":"2020-01-01T00:00:00Z"}}`, ctx{"t": {"1577836800"}}, true},
		{"Date offset", `{"DateEquals":{"t":"2020-01-01T01:00:00+01:00"}}`, ctx{"t": {"2020-01-01T00:00:00Z"}}, true},
		{"Date day only", `{"DateGreaterThanEquals":{"t":"2020-01-01"}}`, ctx{"t": {"2020-01-01T00:00:00Z"}}, true},
		{"Date fraction", `{"DateLessThanEquals":{"t":"2020-01-01T00:00:00.5Z"}}`, ctx{"t": {"2020-01-01T00:00:00Z"}}, true},
		{"DateNotEquals", `{"DateNotEquals":{"t":"2020-01-01T00:00:00Z"}}`, ctx{"t": {"2021-01-01T00:00:00Z"}}, true},
		{"Date garbage context", `{"DateLessThan":{"t":"2030-01-01T00:00:00Z"}}`, ctx{"t": {"yesterday"}}, false},
		// booleans and binary
		{"Bool true", `{"Bool":{"aws:SecureTransport":"true"}}`, ctx{"aws:SecureTransport": {"TRUE"}}, true},
		{"Bool json", `{"Bool":{"aws:SecureTransport":false}}`, ctx{"aws:SecureTransport": {"false"}}, true},
		{"Bool mismatch", `{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`, ctx{"aws:MultiFactorAuthPresent": {"false"}}, false},
		{"BinaryEquals", `{"BinaryEquals":{"b":"QmluYXJ5"}}`, ctx{"b": {"QmluYXJ5"}}, true},
		{"BinaryEquals differs", `{"BinaryEquals":{"b":"QmluYXJ5"}}`, ctx{"b": {"QmluYXJ6"}}, false},
		// addresses
		{"IpAddress v4", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, ctx{"aws:SourceIp": {"203.0.113.7"}}, true},
		{"IpAddress v4 out", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, ctx{"aws:SourceIp": {"203.0.114.7"}}, false},
		{"IpAddress single", `{"IpAddress":{"aws:SourceIp":"127.0.0.1"}}`, ctx{"aws:SourceIp": {"127.0.0.1"}}, true},
		{"IpAddress v6", `{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}`, ctx{"aws:SourceIp": {"2001:db8:1::5"}}, true},
		{"IpAddress v6 in v4", `{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}`, ctx{"aws:SourceIp": {"10.0.0.1"}}, false},
		{"IpAddress mapped", `{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, ctx{"aws:SourceIp": {"::ffff:10.1.2.3"}}, true},
		{"IpAddress unmasked", `{"IpAddress":{"aws:SourceIp":"10.1.2.3/8"}}`, ctx{"aws:SourceIp": {"10.200.0.1"}}, true},
		{"IpAddress list", `{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","10.0.0.0/8"]}}`, ctx{"aws:SourceIp": {"10.0.0.1"}}, true},
		{"NotIpAddress", `{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, ctx{"aws:SourceIp": {"192.0.2.1"}}, true},
		{"NotIpAddress in", `{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, ctx{"aws:SourceIp": {"10.0.0.1"}}, false},
		{"IpAddress garbage", `{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, ctx{"aws:SourceIp": {"ten"}}, false},
		// ARNs
		{"ArnEquals", `{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:123456789012:t"}}`, ctx{"aws:SourceArn": {"arn:aws:sns:us-east-1:123456789012:t"}}, true},
		{"ArnLike", `{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:123456789012:*"}}`, ctx{"aws:SourceArn": {"arn:aws:sns:eu-west-1:123456789012:topic"}}, true},
		{"ArnLike account", `{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:123456789012:*"}}`, ctx{"aws:SourceArn": {"arn:aws:sns:eu-west-1:999999999999:topic"}}, false},
		{"ArnLike not arn", `{"ArnLike":{"aws:SourceArn":"arn:*"}}`, ctx{"aws:SourceArn": {"nope"}}, false},
		{"ArnNotEquals", `{"ArnNotEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:1:t"}}`, ctx{"aws:SourceArn": {"arn:aws:sns:us-east-1:1:u"}}, true},
		{"ArnNotLike", `{"ArnNotLike":{"aws:SourceArn":"arn:aws:sns:*:1:*"}}`, ctx{"aws:SourceArn": {"arn:aws:sns:us-east-1:1:u"}}, false},
		// Null
		{"Null true absent", `{"Null":{"aws:TokenIssueTime":"true"}}`, nil, true},
		{"Null true present", `{"Null":{"aws:TokenIssueTime":"true"}}`, ctx{"aws:TokenIssueTime": {"x"}}, false},
		{"Null false present", `{"Null":{"aws:TokenIssueTime":false}}`, ctx{"aws:tokenissuetime": {"x"}}, true},
		{"Null false absent", `{"Null":{"aws:TokenIssueTime":"false"}}`, nil, false},
		{"Null empty values absent", `{"Null":{"k":"true"}}`, ctx{"k": {}}, true},
		{"Null not a boolean", `{"Null":{"k":"yes"}}`, ctx{"k": {"x"}}, false},
		// IfExists
		{"IfExists absent", `{"StringEqualsIfExists":{"k":"v"}}`, nil, true},
		{"IfExists present ok", `{"StringEqualsIfExists":{"k":"v"}}`, ctx{"k": {"v"}}, true},
		{"IfExists present bad", `{"StringEqualsIfExists":{"k":"v"}}`, ctx{"k": {"w"}}, false},
		{"NumericIfExists", `{"NumericLessThanIfExists":{"n":"3"}}`, nil, true},
		{"IpAddressIfExists", `{"IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"}}`, ctx{"aws:SourceIp": {"11.0.0.1"}}, false},
		{"NotIfExists absent", `{"StringNotEqualsIfExists":{"k":"v"}}`, nil, true},
		{"NotIfExists present", `{"StringNotEqualsIfExists":{"k":"v"}}`, ctx{"k": {"v"}}, false},
		// set operators
		{"ForAnyValue hit", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]}}`, ctx{"aws:TagKeys": {"x", "b"}}, true},
		{"ForAnyValue miss", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]}}`, ctx{"aws:TagKeys": {"x", "y"}}, false},
		{"ForAnyValue absent", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["a"]}}`, nil, false},
		{"ForAnyValue negated", `{"ForAnyValue:StringNotEquals":{"k":["a"]}}`, ctx{"k": {"a", "b"}}, true},
		{"ForAnyValue negated all in", `{"ForAnyValue:StringNotEquals":{"k":["a","b"]}}`, ctx{"k": {"a", "b"}}, false},
		{"ForAnyValue negated absent", `{"ForAnyValue:StringNotEquals":{"k":["a"]}}`, nil, false},
		{"ForAllValues subset", `{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b","c"]}}`, ctx{"aws:TagKeys": {"a", "c"}}, true},
		{"ForAllValues extra", `{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}`, ctx{"aws:TagKeys": {"a", "z"}}, false},
		{"ForAllValues absent", `{"ForAllValues:StringEquals":{"aws:TagKeys":["a"]}}`, nil, true},
		{"ForAllValues negated", `{"ForAllValues:StringNotLike":{"k":["adm*"]}}`, ctx{"k": {"user", "dev"}}, true},
		{"ForAllValues negated hit", `{"ForAllValues:StringNotLike":{"k":["adm*"]}}`, ctx{"k": {"user", "admin"}}, false},
		{"ForAllValues negated absent", `{"ForAllValues:StringNotLike":{"k":["adm*"]}}`, nil, true},
		{"ForAnyValue IfExists absent", `{"ForAnyValue:StringLikeIfExists":{"k":["a*"]}}`, nil, true},
		{"ForAnyValue like", `{"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}`, ctx{"cognito-identity.amazonaws.com:amr": {"authenticated", "cognito-idp.us-east-1.amazonaws.com/p"}}, true},
		{"plain multivalued positive", `{"StringEquals":{"k":"b"}}`, ctx{"k": {"a", "b"}}, true},
		{"plain multivalued negated", `{"StringNotEquals":{"k":"b"}}`, ctx{"k": {"a", "b"}}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got, _ := cond(t, c.block, c.ctx); got != c.want {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestVariables(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		version  string
		resource string // policy Resource
		block    string // optional condition
		ctx      ctx
		req      string // request resource
		want     bool
	}{
		{"username", "2012-10-17", "arn:aws:s3:::home/${aws:username}/*", "", ctx{"aws:username": {"bob"}}, "arn:aws:s3:::home/bob/x", true},
		{"username other", "2012-10-17", "arn:aws:s3:::home/${aws:username}/*", "", ctx{"aws:username": {"bob"}}, "arn:aws:s3:::home/alice/x", false},
		{"variable key case", "2012-10-17", "arn:aws:s3:::home/${AWS:UserName}/*", "", ctx{"aws:username": {"bob"}}, "arn:aws:s3:::home/bob/x", true},
		{"missing", "2012-10-17", "arn:aws:s3:::home/${aws:username}/*", "", nil, "arn:aws:s3:::home//x", false},
		{"missing literal", "2012-10-17", "arn:aws:s3:::home/${aws:username}/*", "", nil, "arn:aws:s3:::home/${aws:username}/x", false},
		{"multivalued", "2012-10-17", "arn:aws:s3:::home/${k}/*", "", ctx{"k": {"a", "b"}}, "arn:aws:s3:::home/a/x", false},
		{"default", "2012-10-17", "arn:aws:s3:::home/${aws:username, 'guest'}/*", "", nil, "arn:aws:s3:::home/guest/x", true},
		{"default unused", "2012-10-17", "arn:aws:s3:::home/${aws:username, 'guest'}/*", "", ctx{"aws:username": {"bob"}}, "arn:aws:s3:::home/guest/x", false},
		{"default quote", "2012-10-17", "arn:aws:s3:::home/${k, 'it''s'}", "", nil, "arn:aws:s3:::home/it's", true},
		{"value is literal", "2012-10-17", "arn:aws:s3:::home/${k}", "", ctx{"k": {"*"}}, "arn:aws:s3:::home/anything", false},
		{"value star literal", "2012-10-17", "arn:aws:s3:::home/${k}", "", ctx{"k": {"*"}}, "arn:aws:s3:::home/*", true},
		{"escaped star", "2012-10-17", "arn:aws:s3:::home/${*}", "", nil, "arn:aws:s3:::home/*", true},
		{"escaped star not wildcard", "2012-10-17", "arn:aws:s3:::home/${*}", "", nil, "arn:aws:s3:::home/x", false},
		{"escaped question", "2012-10-17", "arn:aws:s3:::home/${?}", "", nil, "arn:aws:s3:::home/?", true},
		{"escaped dollar", "2012-10-17", "arn:aws:s3:::home/${$}{x}", "", nil, "arn:aws:s3:::home/${x}", true},
		{"cognito sub", "2012-10-17", "arn:aws:s3:::b/${cognito-identity.amazonaws.com:sub}/*", "", ctx{"cognito-identity.amazonaws.com:sub": {"us-east-1:abc"}}, "arn:aws:s3:::b/us-east-1:abc/f", true},
		{"principal tag", "2012-10-17", "arn:aws:s3:::b/${aws:PrincipalTag/dept}/*", "", ctx{"aws:PrincipalTag/dept": {"eng"}}, "arn:aws:s3:::b/eng/f", true},
		{"2008 literal", "2008-10-17", "arn:aws:s3:::home/${aws:username}/*", "", ctx{"aws:username": {"bob"}}, "arn:aws:s3:::home/${aws:username}/x", true},
		{"2008 not substituted", "2008-10-17", "arn:aws:s3:::home/${aws:username}/*", "", ctx{"aws:username": {"bob"}}, "arn:aws:s3:::home/bob/x", false},
		{"no version literal", "", "arn:aws:s3:::home/${aws:username}", "", ctx{"aws:username": {"bob"}}, "arn:aws:s3:::home/${aws:username}", true},
		{"unclosed", "2012-10-17", "arn:aws:s3:::home/${aws:username", "", nil, "arn:aws:s3:::home/${aws:username", true},
		{"condition variable", "2012-10-17", "*", `{"StringEquals":{"aws:PrincipalTag/owner":"${aws:username}"}}`, ctx{"aws:username": {"bob"}, "aws:PrincipalTag/owner": {"bob"}}, "x", true},
		{"condition variable like", "2012-10-17", "*", `{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}`, ctx{"aws:username": {"bob"}, "s3:prefix": {"home/bob/docs"}}, "x", true},
		{"condition variable missing", "2012-10-17", "*", `{"StringEquals":{"k":"${aws:username}"}}`, ctx{"k": {""}}, "x", false},
		{"condition negated variable missing", "2012-10-17", "*", `{"StringNotEquals":{"k":"${aws:username}"}}`, ctx{"k": {"x"}}, "x", false},
		{"condition variable default", "2012-10-17", "*", `{"StringEquals":{"k":"${aws:username,'anon'}"}}`, ctx{"k": {"anon"}}, "x", true},
		{"condition arn variable", "2012-10-17", "*", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/${aws:username}"}}`, ctx{"aws:username": {"bob"}, "aws:PrincipalArn": {"arn:aws:iam::1:user/bob"}}, "x", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var sb strings.Builder
			sb.WriteString(`{`)
			if c.version != "" {
				fmt.Fprintf(&sb, `"Version":%q,`, c.version)
			}
			fmt.Fprintf(&sb, `"Statement":{"Effect":"Allow","Action":"*","Resource":%q`, c.resource)
			if c.block != "" {
				sb.WriteString(`,"Condition":` + c.block)
			}
			sb.WriteString(`}}`)
			p := mustParse(t, sb.String(), Identity)
			got := Evaluate(Request{Action: "s3:GetObject", Resource: c.req, Context: c.ctx}, p).Decision == Allowed
			if got != c.want {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

const cognitoTrust = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Authenticated",
      "Effect": "Allow",
      "Principal": {"Federated": "cognito-identity.amazonaws.com"},
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:11111111-2222-3333-4444-555555555555"},
        "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}
      }
    }
  ]
}`

func TestCognitoTrustPolicy(t *testing.T) {
	t.Parallel()
	p := mustParse(t, cognitoTrust, Trust)
	fed := map[string][]string{"Federated": {"cognito-identity.amazonaws.com"}}
	const pool = "us-east-1:11111111-2222-3333-4444-555555555555"
	cases := []struct {
		name      string
		principal map[string][]string
		action    string
		ctx       ctx
		want      Decision
	}{
		{"authenticated", fed, "sts:AssumeRoleWithWebIdentity", ctx{"cognito-identity.amazonaws.com:aud": {pool}, "cognito-identity.amazonaws.com:amr": {"authenticated", "cognito-idp.us-east-1.amazonaws.com/us-east-1_x"}}, Allowed},
		{"unauthenticated", fed, "sts:AssumeRoleWithWebIdentity", ctx{"cognito-identity.amazonaws.com:aud": {pool}, "cognito-identity.amazonaws.com:amr": {"unauthenticated"}}, ImplicitDeny},
		{"other pool", fed, "sts:AssumeRoleWithWebIdentity", ctx{"cognito-identity.amazonaws.com:aud": {"us-east-1:other"}, "cognito-identity.amazonaws.com:amr": {"authenticated"}}, ImplicitDeny},
		{"no amr", fed, "sts:AssumeRoleWithWebIdentity", ctx{"cognito-identity.amazonaws.com:aud": {pool}}, ImplicitDeny},
		{"other provider", map[string][]string{"Federated": {"accounts.google.com"}}, "sts:AssumeRoleWithWebIdentity", ctx{"cognito-identity.amazonaws.com:aud": {pool}, "cognito-identity.amazonaws.com:amr": {"authenticated"}}, ImplicitDeny},
		{"no principal", nil, "sts:AssumeRoleWithWebIdentity", ctx{"cognito-identity.amazonaws.com:aud": {pool}, "cognito-identity.amazonaws.com:amr": {"authenticated"}}, ImplicitDeny},
		{"other action", fed, "sts:AssumeRole", ctx{"cognito-identity.amazonaws.com:aud": {pool}, "cognito-identity.amazonaws.com:amr": {"authenticated"}}, ImplicitDeny},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := Evaluate(Request{Principal: c.principal, Action: c.action, Context: c.ctx}, p)
			if r.Decision != c.want {
				t.Errorf("got %v, want %v", r.Decision, c.want)
			}
			if c.want == Allowed && (len(r.Matched) != 1 || r.Matched[0].Sid != "Authenticated") {
				t.Errorf("matched %+v", r.Matched)
			}
		})
	}
	r := Evaluate(Request{Principal: fed, Action: "sts:AssumeRoleWithWebIdentity"}, p)
	if want := []string{"cognito-identity.amazonaws.com:aud"}; !reflect.DeepEqual(r.MissingContext, want) {
		t.Errorf("missing %v, want %v", r.MissingContext, want)
	}
}

func TestPrincipals(t *testing.T) {
	t.Parallel()
	trust := func(elem string) string {
		return `{"Version":"2012-10-17","Statement":{"Effect":"Allow",` + elem + `,"Action":"sts:AssumeRole"}}`
	}
	user := map[string][]string{"AWS": {"arn:aws:iam::123456789012:user/admin"}}
	cases := []struct {
		name  string
		elem  string
		who   map[string][]string
		allow bool
	}{
		{"star", `"Principal":"*"`, user, true},
		{"star anonymous", `"Principal":"*"`, nil, true},
		{"aws star", `"Principal":{"AWS":"*"}`, map[string][]string{"Service": {"ec2.amazonaws.com"}}, true},
		{"exact arn", `"Principal":{"AWS":"arn:aws:iam::123456789012:user/admin"}`, user, true},
		{"other arn", `"Principal":{"AWS":"arn:aws:iam::123456789012:user/bob"}`, user, false},
		{"account id", `"Principal":{"AWS":"123456789012"}`, user, true},
		{"account root", `"Principal":{"AWS":"arn:aws:iam::123456789012:root"}`, user, true},
		{"other account", `"Principal":{"AWS":"210987654321"}`, user, false},
		{"account given as id", `"Principal":{"AWS":"123456789012"}`, map[string][]string{"AWS": {"123456789012"}}, true},
		{"list", `"Principal":{"AWS":["arn:aws:iam::1:user/x","arn:aws:iam::123456789012:user/admin"]}`, user, true},
		{"service", `"Principal":{"Service":"lambda.amazonaws.com"}`, map[string][]string{"Service": {"lambda.amazonaws.com"}}, true},
		{"service type matters", `"Principal":{"Service":"lambda.amazonaws.com"}`, map[string][]string{"AWS": {"lambda.amazonaws.com"}}, false},
		{"canonical", `"Principal":{"CanonicalUser":"79a59df9"}`, map[string][]string{"CanonicalUser": {"79a59df9"}}, true},
		{"federated star", `"Principal":{"Federated":"*"}`, map[string][]string{"Federated": {"accounts.google.com"}}, true},
		{"federated star other type", `"Principal":{"Federated":"*"}`, user, false},
		{"notprincipal excludes", `"NotPrincipal":{"AWS":"arn:aws:iam::123456789012:user/admin"}`, user, false},
		{"notprincipal includes", `"NotPrincipal":{"AWS":"arn:aws:iam::123456789012:user/bob"}`, user, true},
		{"notprincipal anonymous", `"NotPrincipal":{"AWS":"arn:aws:iam::123456789012:user/bob"}`, nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := mustParse(t, trust(c.elem), Trust)
			got := Evaluate(Request{Principal: c.who, Action: "sts:AssumeRole"}, p).Decision == Allowed
			if got != c.allow {
				t.Errorf("got %v, want %v", got, c.allow)
			}
		})
	}
}

func TestDenyAcrossPolicies(t *testing.T) {
	t.Parallel()
	allow := mustParse(t, identity(`{"Sid":"All","Effect":"Allow","Action":"s3:*","Resource":"*"}`), Identity)
	allow2 := mustParse(t, identity(`{"Sid":"Get","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`), Identity)
	deny := mustParse(t, identity(`{"Sid":"NoSecrets","Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::secret/*"}`), Identity)
	req := Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::secret/a"}

	r := Evaluate(req, allow, nil, deny, allow2)
	if r.Decision != ExplicitDeny || len(r.Matched) != 1 || r.Matched[0].Sid != "NoSecrets" || r.Matched[0].Policy != 2 {
		t.Errorf("deny: %+v", r)
	}
	req.Resource = "arn:aws:s3:::public/a"
	r = Evaluate(req, allow, nil, deny, allow2)
	if r.Decision != Allowed || len(r.Matched) != 2 || r.Matched[0].Policy != 0 || r.Matched[1].Sid != "Get" || r.Matched[1].Policy != 3 {
		t.Errorf("allow: %+v", r)
	}
	if r := Evaluate(req); r.Decision != ImplicitDeny || r.Matched != nil {
		t.Errorf("no policies: %+v", r)
	}
}

func TestPositions(t *testing.T) {
	t.Parallel()
	doc := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Sid\": \"One\",\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:*\",\n      \"Resource\": \"*\"\n    },\n    {\"Sid\": \"Twö\", \"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}\n  ]\n}"
	p := mustParse(t, doc, Identity)
	r := Evaluate(Request{Action: "s3:GetObject", Resource: "x"}, p)
	want := []Match{
		{Policy: 0, Sid: "One", Start: Position{4, 5}, End: Position{9, 5}},
		{Policy: 0, Sid: "Twö", Start: Position{10, 5}, End: Position{10, 72}},
	}
	if !reflect.DeepEqual(r.Matched, want) {
		t.Errorf("matched %+v\nwant    %+v", r.Matched, want)
	}
	single := mustParse(t, `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, Identity)
	r = Evaluate(Request{Action: "a:b"}, single)
	if r.Matched[0].Start != (Position{1, 14}) || r.Matched[0].End != (Position{1, 59}) {
		t.Errorf("single: %+v", r.Matched[0])
	}

	_, err := Parse("{\n \"Statement\": [\n  {\"Effect\": \"Allow\"}\n ]\n}", Identity)
	var se *SyntaxError
	if !errors.As(err, &se) || se.Message != msgNoActions || se.Line != 3 || se.Column != 3 {
		t.Errorf("statement error position: %#v", err)
	}
	_, err = Parse("{\n \"Statement\": [,]}", Identity)
	if !errors.As(err, &se) || se.Message != msgSyntax || se.Line != 2 {
		t.Errorf("syntax error position: %#v", err)
	}
}

func TestMissingContext(t *testing.T) {
	t.Parallel()
	_, missing := cond(t, `{"StringEquals":{"aws:username":"bob","aws:PrincipalTag/dept":"eng"},"StringEqualsIfExists":{"opt":"x"},"Null":{"n":"true"}}`, ctx{"aws:username": {"bob"}})
	if want := []string{"aws:PrincipalTag/dept"}; !reflect.DeepEqual(missing, want) {
		t.Errorf("missing %v, want %v", missing, want)
	}
	p := mustParse(t, identity(`{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::home/${aws:username}/*"}`), Identity)
	r := Evaluate(Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::home/bob/x"}, p)
	if r.Decision != ImplicitDeny || !reflect.DeepEqual(r.MissingContext, []string{"aws:username"}) {
		t.Errorf("variable: %+v", r)
	}
}

func TestConcurrentEvaluate(t *testing.T) {
	t.Parallel()
	p := mustParse(t, benchPolicy, Identity)
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func() {
			for i := 0; i < 200; i++ {
				if Evaluate(benchRequest, p).Decision != Allowed {
					t.Error("not allowed")
				}
			}
			done <- true
		}()
	}
	for g := 0; g < 4; g++ {
		<-done
	}
}

func TestARNVariableParts(t *testing.T) {
	t.Parallel()
	p := mustParse(t, identity(`{"Effect":"Allow","Action":"*","Resource":"arn:aws:iam::${aws:PrincipalAccount}:role/${aws:username}-*"}`), Identity)
	c := ctx{"aws:PrincipalAccount": {"123456789012"}, "aws:username": {"bob"}}
	cases := []struct {
		resource string
		want     Decision
	}{
		{"arn:aws:iam::123456789012:role/bob-admin", Allowed},
		{"arn:aws:iam::210987654321:role/bob-admin", ImplicitDeny},
		{"arn:aws:iam::123456789012:role/alice-admin", ImplicitDeny},
	}
	for _, tc := range cases {
		if got := Evaluate(Request{Action: "iam:PassRole", Resource: tc.resource, Context: c}, p).Decision; got != tc.want {
			t.Errorf("%s: %v, want %v", tc.resource, got, tc.want)
		}
	}
	if got := splitARN("arn:aws:s3:::b/${a:b}:c", true); len(got) != 6 || got[5] != "b/${a:b}:c" {
		t.Errorf("splitARN: %q", got)
	}
	if got := splitARN("arn:${a:b}", true); len(got) != 2 {
		t.Errorf("splitARN short: %q", got)
	}
}

func TestContextKeys(t *testing.T) {
	t.Parallel()
	p := mustParse(t, benchPolicy, Identity)
	want := []string{"s3:prefix", "cognito-identity.amazonaws.com:sub", "aws:SecureTransport", "aws:SourceIp", "aws:PrincipalTag/plan", "aws:CurrentTime"}
	if got := p.ContextKeys(); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if got := mustParse(t, identity(`{"Effect":"Allow","Action":"*","Resource":"*"}`), Identity).ContextKeys(); got != nil {
		t.Errorf("no keys: %q", got)
	}
}
