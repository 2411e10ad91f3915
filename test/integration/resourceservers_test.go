package integration

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestResourceServers(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, _ := e.poolWithClient(t, nil)
		pool := aws.String(poolID)
		scopes := []types.ResourceServerScopeType{{ScopeName: aws.String("read"), ScopeDescription: aws.String("Read orders")},
			{ScopeName: aws.String("write"), ScopeDescription: aws.String("Write orders")}}
		created, err := e.Admin.CreateResourceServer(ctx(t), &cip.CreateResourceServerInput{UserPoolId: pool,
			Identifier: aws.String("https://api.example.com/orders"), Name: aws.String("orders"), Scopes: scopes})
		if err != nil {
			t.Fatal(err)
		}
		if rs := created.ResourceServer; aws.ToString(rs.UserPoolId) != poolID || aws.ToString(rs.Name) != "orders" || len(rs.Scopes) != 2 {
			t.Fatalf("CreateResourceServer = %+v", rs)
		}
		_, err = e.Admin.CreateResourceServer(ctx(t), &cip.CreateResourceServerInput{UserPoolId: pool,
			Identifier: aws.String("https://api.example.com/orders"), Name: aws.String("again")})
		wantCode(t, err, "InvalidParameterException")
		_, err = e.Admin.CreateResourceServer(ctx(t), &cip.CreateResourceServerInput{UserPoolId: pool, Identifier: aws.String("dup"), Name: aws.String("dup"),
			Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("a"), ScopeDescription: aws.String("a")}, {ScopeName: aws.String("a"), ScopeDescription: aws.String("b")}}})
		wantCode(t, err, "InvalidParameterException")

		for i := range 4 {
			if _, err := e.Admin.CreateResourceServer(ctx(t), &cip.CreateResourceServerInput{UserPoolId: pool,
				Identifier: aws.String(fmt.Sprintf("api-%d", i)), Name: aws.String(fmt.Sprintf("api %d", i))}); err != nil {
				t.Fatal(err)
			}
		}
		// Pages of two, in identifier order, then the end.
		var ids []string
		var next *string
		for {
			out, err := e.Admin.ListResourceServers(ctx(t), &cip.ListResourceServersInput{UserPoolId: pool, MaxResults: aws.Int32(2), NextToken: next})
			if err != nil {
				t.Fatal(err)
			}
			for _, rs := range out.ResourceServers {
				ids = append(ids, *rs.Identifier)
			}
			if next = out.NextToken; next == nil {
				break
			}
		}
		if want := []string{"api-0", "api-1", "api-2", "api-3", "https://api.example.com/orders"}; fmt.Sprint(ids) != fmt.Sprint(want) {
			t.Errorf("listed %v, want %v", ids, want)
		}

		if _, err := e.Admin.UpdateResourceServer(ctx(t), &cip.UpdateResourceServerInput{UserPoolId: pool, Identifier: aws.String("api-1"),
			Name: aws.String("renamed"), Scopes: scopes[:1]}); err != nil {
			t.Fatal(err)
		}
		// UpdateUserPool leaves resource servers alone.
		if _, err := e.Admin.UpdateUserPool(ctx(t), &cip.UpdateUserPoolInput{UserPoolId: pool}); err != nil {
			t.Fatal(err)
		}
		d, err := e.Admin.DescribeResourceServer(ctx(t), &cip.DescribeResourceServerInput{UserPoolId: pool, Identifier: aws.String("api-1")})
		if err != nil {
			t.Fatal(err)
		}
		if rs := d.ResourceServer; aws.ToString(rs.Name) != "renamed" || len(rs.Scopes) != 1 || aws.ToString(rs.Scopes[0].ScopeName) != "read" {
			t.Errorf("DescribeResourceServer after update = %+v", rs)
		}
		if _, err := e.Admin.DeleteResourceServer(ctx(t), &cip.DeleteResourceServerInput{UserPoolId: pool, Identifier: aws.String("api-1")}); err != nil {
			t.Fatal(err)
		}
		for _, call := range []func() error{
			func() error {
				_, err := e.Admin.DescribeResourceServer(ctx(t), &cip.DescribeResourceServerInput{UserPoolId: pool, Identifier: aws.String("api-1")})
				return err
			},
			func() error {
				_, err := e.Admin.DeleteResourceServer(ctx(t), &cip.DeleteResourceServerInput{UserPoolId: pool, Identifier: aws.String("api-1")})
				return err
			},
			func() error {
				_, err := e.Admin.UpdateResourceServer(ctx(t), &cip.UpdateResourceServerInput{UserPoolId: pool, Identifier: aws.String("api-1"), Name: aws.String("x")})
				return err
			},
		} {
			wantCode(t, call(), "ResourceNotFoundException")
		}
		_, err = e.Admin.ListResourceServers(ctx(t), &cip.ListResourceServersInput{UserPoolId: aws.String(region + "_nosuchpool"), MaxResults: aws.Int32(5)})
		wantCode(t, err, "ResourceNotFoundException")
	})
}
