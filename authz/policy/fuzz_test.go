package policy

import (
	"errors"
	"testing"
)

var fuzzSeeds = []string{
	benchPolicy,
	cognitoTrust,
	`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
	`{"Version":"2008-10-17","Id":"x","Statement":[{"Effect":"Deny","NotAction":["s3:*"],"NotResource":"arn:aws:s3:::a/${aws:username}"}]}`,
	`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":["123456789012","arn:aws:iam::1:role/r"],"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"ForAllValues:StringLike":{"k":["a*","${x, 'd'}"]},"NullIfExists":{"n":true}}}}`,
	`{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotPrincipal":"*","Action":"sts:*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01"},"IpAddress":{"aws:SourceIp":["::1","10.0.0.0/8"]},"BinaryEquals":{"b":"QQ=="},"NumericLessThanIfExists":{"n":1e3}}}}`,
	`{"Statement":[{"Sid":"a","Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::${*}${?}${$}"}`,
	`[[[[[[[[[[[[[[[[[[[[`,
}

var fuzzRequests = []Request{
	benchRequest,
	{},
	{
		Principal: map[string][]string{"Federated": {"cognito-identity.amazonaws.com"}, "AWS": {"arn:aws:iam::123456789012:user/admin"}},
		Action:    "sts:AssumeRoleWithWebIdentity",
		Resource:  "arn:aws:s3:::a/bob",
		Context: map[string][]string{
			"cognito-identity.amazonaws.com:aud": {"us-east-1:11111111-2222-3333-4444-555555555555"},
			"cognito-identity.amazonaws.com:amr": {"authenticated"},
			"aws:username":                       {"bob"},
			"k":                                  {"a", "b"},
			"aws:CurrentTime":                    {"garbage"},
			"aws:SourceIp":                       {"::1"},
			"b":                                  {"QQ=="},
			"n":                                  {"NaN"},
		},
	},
}

// FuzzParse checks that Parse never panics, only returns *SyntaxError, and
// that whatever it accepts Evaluate can decide.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, doc string, trust bool) {
		kind := Identity
		if trust {
			kind = Trust
		}
		p, err := Parse(doc, kind)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Message == "" {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		for _, req := range fuzzRequests {
			r := Evaluate(req, p, p)
			if r.Decision != ImplicitDeny && len(r.Matched) == 0 {
				t.Fatalf("decision %v with no matched statement", r.Decision)
			}
		}
	})
}

// FuzzEvaluate feeds arbitrary requests to a fixed set of policies.
func FuzzEvaluate(f *testing.F) {
	f.Add("s3:GetObject", "arn:aws:s3:::photos/private/x/y", "cognito-identity.amazonaws.com:sub", "x", "Federated", "cognito-identity.amazonaws.com")
	f.Add("sts:AssumeRoleWithWebIdentity", "", "cognito-identity.amazonaws.com:amr", "authenticated", "AWS", "arn:aws:iam::123456789012:root")
	f.Add("*", "arn:", "aws:SourceIp", "10.0.0.1", "", "")
	var policies []*Policy
	for _, s := range fuzzSeeds {
		for _, k := range []Kind{Identity, Trust} {
			if p, err := Parse(s, k); err == nil {
				policies = append(policies, p)
			}
		}
	}
	f.Fuzz(func(t *testing.T, action, resource, key, value, ptype, pid string) {
		req := Request{
			Action:    action,
			Resource:  resource,
			Context:   map[string][]string{key: {value}, "aws:CurrentTime": {value}},
			Principal: map[string][]string{ptype: {pid}},
		}
		r := Evaluate(req, policies...)
		if r.Decision == ExplicitDeny {
			for _, m := range r.Matched {
				if m.Policy < 0 || m.Policy >= len(policies) {
					t.Fatalf("match %+v", m)
				}
			}
		}
	})
}
