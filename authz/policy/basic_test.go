package policy

import "testing"

func TestBasicAllowDeny(t *testing.T) {
	t.Parallel()
	p, err := Parse(`{"Version":"2012-10-17","Statement":[
 {"Sid":"A","Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::bucket/*"},
 {"Sid":"D","Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/secret/*"}]}`, Identity)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		action, resource string
		want             Decision
	}{
		{"s3:GetObject", "arn:aws:s3:::bucket/a", Allowed},
		{"S3:getobject", "arn:aws:s3:::bucket/a", Allowed},
		{"s3:GetObject", "arn:aws:s3:::bucket/secret/x", ExplicitDeny},
		{"s3:PutObject", "arn:aws:s3:::bucket/a", ImplicitDeny},
		{"s3:GetObject", "arn:aws:s3:::Bucket/a", ImplicitDeny},
	}
	for _, c := range cases {
		got := Evaluate(Request{Action: c.action, Resource: c.resource}, p)
		if got.Decision != c.want {
			t.Errorf("%s %s: got %v want %v", c.action, c.resource, got.Decision, c.want)
		}
	}
}
