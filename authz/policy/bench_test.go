package policy

import "testing"

// benchPolicy is a ten-statement role policy of the kind an identity pool's
// authenticated role carries.
const benchPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "S1", "Effect": "Allow", "Action": ["mobileanalytics:PutEvents", "cognito-sync:*"], "Resource": "*"},
    {"Sid": "S2", "Effect": "Allow", "Action": "dynamodb:*", "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/Notes"},
    {"Sid": "S3", "Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:ReceiveMessage"], "Resource": "arn:aws:sqs:*:123456789012:jobs-*"},
    {"Sid": "S4", "Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"},
    {"Sid": "S5", "Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:123456789012:api/prod/GET/*"},
    {"Sid": "S6", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::photos",
     "Condition": {"StringLike": {"s3:prefix": ["private/${cognito-identity.amazonaws.com:sub}/*"]}}},
    {"Sid": "S7", "Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
    {"Sid": "S8", "Effect": "Allow", "Action": "sns:Publish", "Resource": "arn:aws:sns:us-east-1:123456789012:alerts",
     "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}},
    {"Sid": "S9", "Effect": "Deny", "NotAction": ["s3:*", "sqs:*", "sns:*", "dynamodb:*", "execute-api:*", "cognito-sync:*", "mobileanalytics:*"], "Resource": "*"},
    {"Sid": "S10", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::photos/private/${cognito-identity.amazonaws.com:sub}/*",
     "Condition": {"StringEquals": {"aws:PrincipalTag/plan": "pro"}, "DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}}
  ]
}`

var benchRequest = Request{
	Action:   "s3:GetObject",
	Resource: "arn:aws:s3:::photos/private/us-east-1:7d6f3c2a-1111-2222-3333-444455556666/cat.jpg",
	Context: map[string][]string{
		"cognito-identity.amazonaws.com:sub": {"us-east-1:7d6f3c2a-1111-2222-3333-444455556666"},
		"aws:PrincipalTag/plan":              {"pro"},
		"aws:CurrentTime":                    {"2026-12-04T04:00:00Z"},
		"aws:SecureTransport":                {"true"},
		"aws:SourceIp":                       {"10.1.2.3"},
	},
}

func BenchmarkEvaluate10Statements(b *testing.B) {
	p := mustParse(b, benchPolicy, Identity)
	if r := Evaluate(benchRequest, p); r.Decision != Allowed || len(r.Matched) != 1 || r.Matched[0].Sid != "S10" {
		b.Fatalf("unexpected %+v", r)
	}
	b.ReportAllocs()
	for b.Loop() {
		Evaluate(benchRequest, p)
	}
}

func BenchmarkEvaluateImplicitDeny(b *testing.B) {
	p := mustParse(b, benchPolicy, Identity)
	req := benchRequest
	req.Action = "s3:PutBucketPolicy"
	b.ReportAllocs()
	for b.Loop() {
		Evaluate(req, p)
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(benchPolicy, Identity); err != nil {
			b.Fatal(err)
		}
	}
}
