package iam_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cognate-auth/cognate/authz/policy"
	"github.com/cognate-auth/cognate/internal/iam"
)

const ownFolder = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Own",
      "Effect": "Allow",
      "Action": "s3:*",
      "Resource": "arn:aws:s3:::photos/${cognito-identity.amazonaws.com:sub}/*"
    },
    {
      "Sid": "NoDeletes",
      "Effect": "Deny",
      "Action": "s3:DeleteObject",
      "Resource": "*"
    },
    {
      "Sid": "FromOffice",
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "*",
      "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}
    }
  ]
}`

func TestSimulateCustomPolicy(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	in := iam.SimulationInput{
		Policies:     []string{s3Read, ownFolder},
		ActionNames:  []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"},
		ResourceARNs: []string{"arn:aws:s3:::photos/u1/cat.jpg", "arn:aws:s3:::videos/x"},
		ContextEntries: []iam.ContextEntry{
			{Key: "cognito-identity.amazonaws.com:sub", Values: []string{"u1"}, Type: "string"},
		},
	}
	res, err := e.svc.SimulateCustomPolicy(ctx, in)
	must(t, err)
	// One result per action, deciding as its most restrictive resource.
	type outcome struct{ Action, Resource, Decision string }
	var got []outcome
	for _, r := range res {
		got = append(got, outcome{r.Action, r.Resource, r.Decision})
		for _, rr := range r.Resources {
			got = append(got, outcome{"", rr.Resource, rr.Decision})
		}
	}
	want := []outcome{
		{"s3:GetObject", "", "implicitDeny"},
		{"", "arn:aws:s3:::photos/u1/cat.jpg", "allowed"},
		{"", "arn:aws:s3:::videos/x", "implicitDeny"},
		{"s3:PutObject", "", "implicitDeny"},
		{"", "arn:aws:s3:::photos/u1/cat.jpg", "allowed"},
		{"", "arn:aws:s3:::videos/x", "implicitDeny"},
		{"s3:DeleteObject", "", "explicitDeny"},
		{"", "arn:aws:s3:::photos/u1/cat.jpg", "explicitDeny"},
		{"", "arn:aws:s3:::videos/x", "explicitDeny"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Error(diff)
	}
	// Both policies allow the read of the cat; each statement is reported.
	wantMatched := []iam.MatchedStatement{
		{SourcePolicyID: "PolicyInputList.1", Start: policy.Position{Line: 1, Column: 38}, End: policy.Position{Line: 1, Column: 127}},
		{SourcePolicyID: "PolicyInputList.2", Start: policy.Position{Line: 4, Column: 5}, End: policy.Position{Line: 9, Column: 5}},
	}
	if diff := cmp.Diff(wantMatched, res[0].Resources[0].Matched); diff != "" {
		t.Error(diff)
	}
	// The deny decides both resources; the statement is listed once.
	if m := res[2].Matched; len(m) != 1 || m[0].SourcePolicyID != "PolicyInputList.2" || m[0].Start.Line != 10 {
		t.Errorf("deny matched %+v", m)
	}
	one, err := e.svc.SimulateCustomPolicy(ctx, iam.SimulationInput{Policies: []string{s3Read}, ActionNames: []string{"s3:GetObject"},
		ResourceARNs: []string{"arn:aws:s3:::photos/a"}})
	must(t, err)
	if one[0].Resource != "arn:aws:s3:::photos/a" || one[0].Decision != "allowed" || len(one[0].Matched) != 1 {
		t.Errorf("one resource: %+v", one[0])
	}

	// Without the identity the variable cannot be resolved, and without
	// the address the condition cannot be decided: both are reported.
	res, err = e.svc.SimulateCustomPolicy(ctx, iam.SimulationInput{Policies: []string{ownFolder}, ActionNames: []string{"s3:GetObject", "s3:ListBucket"}})
	must(t, err)
	if res[0].Resource != "*" || res[1].Decision != "implicitDeny" {
		t.Errorf("results = %+v", res)
	}
	if diff := cmp.Diff([]string{"cognito-identity.amazonaws.com:sub"}, res[0].MissingContext); diff != "" {
		t.Error(diff)
	}
	// s3:* covers ListBucket too, so the first statement's variable is
	// missing there as well.
	if diff := cmp.Diff([]string{"cognito-identity.amazonaws.com:sub", "aws:SourceIp"}, res[1].MissingContext); diff != "" {
		t.Error(diff)
	}
	res, err = e.svc.SimulateCustomPolicy(ctx, iam.SimulationInput{Policies: []string{ownFolder}, ActionNames: []string{"s3:ListBucket"},
		ContextEntries: []iam.ContextEntry{{Key: "aws:SourceIp", Values: []string{"10.1.2.3"}, Type: "ip"}}})
	must(t, err)
	if res[0].Decision != "allowed" || len(res[0].MissingContext) != 1 || res[0].Matched[0].Start.Line != 16 {
		t.Errorf("from the office: %+v", res[0])
	}

	tests := []struct {
		name string
		in   iam.SimulationInput
		code string
	}{
		{"malformed policy", iam.SimulationInput{Policies: []string{cognitoTrust}, ActionNames: []string{"s3:GetObject"}}, iam.CodeMalformedPolicyDocument},
		{"no actions", iam.SimulationInput{Policies: []string{s3Read}}, iam.CodeValidationError},
		{"bad ip", iam.SimulationInput{Policies: []string{s3Read}, ActionNames: []string{"s3:GetObject"},
			ContextEntries: []iam.ContextEntry{{Key: "aws:SourceIp", Values: []string{"nope"}, Type: "ip"}}}, iam.CodeInvalidInput},
		{"two values for a single type", iam.SimulationInput{Policies: []string{s3Read}, ActionNames: []string{"s3:GetObject"},
			ContextEntries: []iam.ContextEntry{{Key: "k", Values: []string{"1", "2"}, Type: "numeric"}}}, iam.CodeInvalidInput},
		{"bad boolean", iam.SimulationInput{Policies: []string{s3Read}, ActionNames: []string{"s3:GetObject"},
			ContextEntries: []iam.ContextEntry{{Key: "aws:SecureTransport", Values: []string{"yes"}, Type: "boolean"}}}, iam.CodeInvalidInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.SimulateCustomPolicy(ctx, tt.in)
			wantErr(t, err, tt.code, "")
		})
	}
}

func TestSimulatePrincipalPolicy(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	r, err := e.svc.CreateRole(ctx, iam.RoleInput{Name: "web", Path: "/app/", AssumeRolePolicy: cognitoTrust})
	must(t, err)
	must(t, e.svc.PutRolePolicy(ctx, "web", "read", s3Read))
	must(t, e.svc.PutUserPolicy(ctx, "cognate-admin", "all", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`))

	res, err := e.svc.SimulatePrincipalPolicy(ctx, iam.SimulationInput{PolicySourceARN: r.ARN,
		ActionNames: []string{"s3:GetObject", "s3:PutObject"}, ResourceARNs: []string{"arn:aws:s3:::photos/a"}})
	must(t, err)
	if res[0].Decision != "allowed" || res[1].Decision != "implicitDeny" {
		t.Errorf("role results = %+v", res)
	}
	if m := res[0].Matched; len(m) != 1 || m[0].SourcePolicyID != "read" || m[0].SourcePolicyType != "role" {
		t.Errorf("matched = %+v", m)
	}
	// The input policies add to the principal's.
	res, err = e.svc.SimulatePrincipalPolicy(ctx, iam.SimulationInput{PolicySourceARN: r.ARN, Policies: []string{ownFolder},
		ActionNames: []string{"s3:DeleteObject"}})
	must(t, err)
	if res[0].Decision != "explicitDeny" || res[0].Matched[0].SourcePolicyID != "PolicyInputList.1" {
		t.Errorf("with input: %+v", res[0])
	}

	res, err = e.svc.SimulatePrincipalPolicy(ctx, iam.SimulationInput{PolicySourceARN: e.svc.AdminCaller().ARN, ActionNames: []string{"iam:CreateRole"}})
	must(t, err)
	if res[0].Decision != "allowed" || res[0].Matched[0].SourcePolicyType != "user" || res[0].Matched[0].SourcePolicyID != "all" {
		t.Errorf("admin: %+v", res[0])
	}

	for _, tt := range []struct{ arn, code, msg string }{
		{"arn:aws:iam::123456789012:role/app/gone", iam.CodeNoSuchEntity, "The role with name gone cannot be found."},
		{"arn:aws:iam::123456789012:role/web", iam.CodeNoSuchEntity, "The role with name web cannot be found."},
		{"arn:aws:iam::123456789012:user/bob", iam.CodeNoSuchEntity, "The user with name bob cannot be found."},
		{"arn:aws:s3:::photos", iam.CodeInvalidInput, ""},
	} {
		_, err := e.svc.SimulatePrincipalPolicy(ctx, iam.SimulationInput{PolicySourceARN: tt.arn, ActionNames: []string{"s3:GetObject"}})
		wantErr(t, err, tt.code, tt.msg)
	}
}
