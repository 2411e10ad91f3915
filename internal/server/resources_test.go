package server

import (
	"context"
	"net/url"
	"testing"

	"github.com/cognate-auth/cognate/internal/wire/awsjson"
	"github.com/cognate-auth/cognate/internal/wire/iamapi"
	"github.com/cognate-auth/cognate/internal/wire/identityapi"
	"github.com/cognate-auth/cognate/internal/wire/idpapi"
	"github.com/cognate-auth/cognate/internal/wire/query"
)

// TestResourceOfReadsWhatOperationsRead: the check must authorize the
// resource the operation will act on, so the member it reads is the
// member the operation's own decoder reads, however the request spells
// or repeats it.
func TestResourceOfReadsWhatOperationsRead(t *testing.T) {
	const prefix = "arn:aws:cognito-idp:us-east-1:000000000000:userpool/"
	for _, body := range []string{
		`{"UserPoolId":"us-east-1_mine"}`,
		`{"userpoolid":"us-east-1_theirs"}`,
		`{"UserPoolId":"us-east-1_mine","userPoolId":"us-east-1_theirs"}`,
		`{"userPoolId":"us-east-1_theirs","UserPoolId":"us-east-1_mine"}`,
		`{"UserPoolId":"us-east-1_mine","UserPoolId":"us-east-1_theirs"}`,
		`{}`,
		`{"UserPoolId":5}`,
		`not json`,
	} {
		var in idpapi.DescribeUserPoolRequest
		want := "*"
		if awsjson.Decode([]byte(body), &in) == nil && in.UserPoolId != "" {
			want = prefix + in.UserPoolId
		}
		if got := resourceOf(context.Background(), nil, "cognito-idp", "us-east-1", "000000000000", []byte(body)); got != want {
			t.Errorf("%s: resource %q, the operation acts on %q", body, got, want)
		}
	}

	var pool identityapi.DescribeIdentityPoolInput
	body := `{"IdentityPoolId":"us-east-1:a","identitypoolid":"us-east-1:b"}`
	if err := awsjson.Decode([]byte(body), &pool); err != nil {
		t.Fatal(err)
	}
	if got, want := resourceOf(context.Background(), nil, "cognito-identity", "us-east-1", "000000000000", []byte(body)),
		"arn:aws:cognito-identity:us-east-1:000000000000:identitypool/"+pool.IdentityPoolId; got != want {
		t.Errorf("identity pool: %q, want %q", got, want)
	}

	for _, form := range []string{
		"Action=GetRole&RoleName=app",
		"Action=GetRole&RoleName=app&RoleName=ops",
		"Action=GetRole&rolename=ops",
		"Action=GetRole",
	} {
		values, _ := url.ParseQuery(form)
		var in iamapi.GetRoleRequest
		want := "*"
		if query.Decode(values, &in) == nil && in.RoleName != "" {
			want = "arn:aws:iam::000000000000:role/" + in.RoleName
		}
		if got := resourceOf(context.Background(), nil, "iam", "us-east-1", "000000000000", []byte(form)); got != want {
			t.Errorf("%s: resource %q, the operation acts on %q", form, got, want)
		}
	}
}
