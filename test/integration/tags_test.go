package integration

import (
	"fmt"
	"maps"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

func TestPoolTags(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		p, err := e.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("tagged"), UserPoolTags: map[string]string{"env": "dev"}})
		if err != nil {
			t.Fatal(err)
		}
		arn := p.UserPool.Arn
		tags := func() map[string]string {
			t.Helper()
			out, err := e.Admin.ListTagsForResource(ctx(t), &cip.ListTagsForResourceInput{ResourceArn: arn})
			if err != nil {
				t.Fatal(err)
			}
			return out.Tags
		}
		if got := tags(); !maps.Equal(got, map[string]string{"env": "dev"}) {
			t.Errorf("tags after CreateUserPool = %v", got)
		}
		if _, err := e.Admin.TagResource(ctx(t), &cip.TagResourceInput{ResourceArn: arn, Tags: map[string]string{"team": "auth", "env": "prod"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Admin.UntagResource(ctx(t), &cip.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"env", "absent"}}); err != nil {
			t.Fatal(err)
		}
		if got := tags(); !maps.Equal(got, map[string]string{"team": "auth"}) {
			t.Errorf("tags after TagResource and UntagResource = %v", got)
		}
		// UpdateUserPool without UserPoolTags keeps them; DescribeUserPool shows them.
		if _, err := e.Admin.UpdateUserPool(ctx(t), &cip.UpdateUserPoolInput{UserPoolId: p.UserPool.Id}); err != nil {
			t.Fatal(err)
		}
		d, err := e.Admin.DescribeUserPool(ctx(t), &cip.DescribeUserPoolInput{UserPoolId: p.UserPool.Id})
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(d.UserPool.UserPoolTags, map[string]string{"team": "auth"}) {
			t.Errorf("DescribeUserPool tags after UpdateUserPool = %v", d.UserPool.UserPoolTags)
		}

		many := map[string]string{}
		for i := range 50 {
			many[fmt.Sprintf("k%02d", i)] = "v"
		}
		_, err = e.Admin.TagResource(ctx(t), &cip.TagResourceInput{ResourceArn: arn, Tags: many}) // 51 with "team"
		wantCode(t, err, "InvalidParameterException")

		for _, bad := range []string{
			"arn:aws:cognito-idp:" + region + ":000000000000:userpool/" + region + "_nosuchpool",
			"arn:aws:cognito-idp:" + region + ":123456789012:userpool/" + *p.UserPool.Id,
			"arn:aws:cognito-identity:" + region + ":000000000000:identitypool/" + region + ":x",
		} {
			_, err := e.Admin.ListTagsForResource(ctx(t), &cip.ListTagsForResourceInput{ResourceArn: aws.String(bad)})
			if apiCode(err) != "ResourceNotFoundException" {
				t.Errorf("ListTagsForResource(%s) = %v, want ResourceNotFoundException", bad, err)
			}
		}
		_, err = e.Anon.ListTagsForResource(ctx(t), &cip.ListTagsForResourceInput{ResourceArn: arn})
		if apiCode(err) == "" {
			t.Error("ListTagsForResource without credentials succeeded")
		}
	})
}
