package policy_test

import (
	"fmt"

	"github.com/cognate-auth/cognate/authz/policy"
)

func Example() {
	doc := `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "OwnPrefix",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject"],
      "Resource": "arn:aws:s3:::photos/private/${cognito-identity.amazonaws.com:sub}/*"
    },
    {
      "Sid": "NoPlainHTTP",
      "Effect": "Deny",
      "Action": "s3:*",
      "Resource": "*",
      "Condition": {"Bool": {"aws:SecureTransport": "false"}}
    }
  ]
}`
	p, err := policy.Parse(doc, policy.Identity)
	if err != nil {
		fmt.Println(err)
		return
	}
	req := policy.Request{
		Action:   "s3:GetObject",
		Resource: "arn:aws:s3:::photos/private/us-east-1:1234/cat.jpg",
		Context: map[string][]string{
			"cognito-identity.amazonaws.com:sub": {"us-east-1:1234"},
			"aws:SecureTransport":                {"true"},
		},
	}
	r := policy.Evaluate(req, p)
	fmt.Println(r.Decision, r.Matched[0].Sid, r.Matched[0].Start)

	req.Resource = "arn:aws:s3:::photos/private/us-east-1:9999/dog.jpg"
	fmt.Println(policy.Evaluate(req, p).Decision)

	req.Context["aws:SecureTransport"] = []string{"false"}
	r = policy.Evaluate(req, p)
	fmt.Println(r.Decision, r.Matched[0].Sid)

	_, err = policy.Parse(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*"}}`, policy.Identity)
	fmt.Println(err)
	// Output:
	// allowed OwnPrefix {4 5}
	// implicitDeny
	// explicitDeny NoPlainHTTP
	// Policy statement must contain resources. (line 1, column 37)
}
