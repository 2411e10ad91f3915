package integration

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

const (
	adminRole  = "arn:aws:iam::123456789012:role/cognate-admin"
	editorRole = "arn:aws:iam::123456789012:role/cognate-editor"
)

// groupClaims are the group claims of a sign-in's tokens.
type groupClaims struct {
	idGroups, accessGroups, roles []string
	preferred                     any // nil when absent
}

// tokenGroups verifies a sign-in's tokens against the pool's JWKS and
// returns their group claims; it fails t if the access token carries an
// ID token's group claim.
func (e *env) tokenGroups(t *testing.T, poolID string, auth *types.AuthenticationResultType) groupClaims {
	t.Helper()
	jwks := e.URL + "/" + poolID + "/.well-known/jwks.json"
	id, access := verifyWithJWKS(t, jwks, *auth.IdToken), verifyWithJWKS(t, jwks, *auth.AccessToken)
	for _, k := range []string{"cognito:roles", "cognito:preferred_role"} {
		if v, ok := access[k]; ok {
			t.Errorf("access token carries %s = %v", k, v)
		}
	}
	return groupClaims{idGroups: claimStrings(t, id["cognito:groups"]), accessGroups: claimStrings(t, access["cognito:groups"]),
		roles: claimStrings(t, id["cognito:roles"]), preferred: id["cognito:preferred_role"]}
}

// claimStrings turns a JSON array of strings into a slice; nil for no claim.
func claimStrings(t *testing.T, v any) []string {
	t.Helper()
	if v == nil {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		t.Fatalf("claim %v is not an array", v)
	}
	var out []string
	for _, s := range list {
		out = append(out, s.(string))
	}
	return out
}

func (c groupClaims) check(t *testing.T, what string, groups, roles []string, preferred any) {
	t.Helper()
	if !slices.Equal(c.idGroups, groups) || !slices.Equal(c.accessGroups, groups) {
		t.Errorf("%s: cognito:groups ID %v, access %v, want %v", what, c.idGroups, c.accessGroups, groups)
	}
	if !slices.Equal(c.roles, roles) {
		t.Errorf("%s: cognito:roles %v, want %v", what, c.roles, roles)
	}
	if c.preferred != preferred {
		t.Errorf("%s: cognito:preferred_role %v, want %v", what, c.preferred, preferred)
	}
}

func TestGroups(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.poolWithClient(t, nil)
		e.signUpConfirmed(t, poolID, clientID, "gwen", password)
		e.signUpConfirmed(t, poolID, clientID, "hugo", password)

		create := func(name, description, role string, precedence *int32) *types.GroupType {
			t.Helper()
			in := &cip.CreateGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String(name), Precedence: precedence}
			if description != "" {
				in.Description = aws.String(description)
			}
			if role != "" {
				in.RoleArn = aws.String(role)
			}
			out, err := e.Admin.CreateGroup(ctx(t), in)
			if err != nil {
				t.Fatalf("CreateGroup %s: %v", name, err)
			}
			return out.Group
		}
		admins := create("admins", "Administrators", adminRole, aws.Int32(1))
		if aws.ToString(admins.GroupName) != "admins" || aws.ToString(admins.UserPoolId) != poolID || aws.ToString(admins.RoleArn) != adminRole ||
			aws.ToInt32(admins.Precedence) != 1 || aws.ToString(admins.Description) != "Administrators" ||
			admins.CreationDate == nil || !admins.CreationDate.Equal(aws.ToTime(admins.LastModifiedDate)) {
			t.Fatalf("created group %+v", admins)
		}
		create("editors", "", editorRole, aws.Int32(5))
		readers := create("readers", "", "", nil)
		if readers.Precedence != nil || readers.RoleArn != nil {
			t.Fatalf("group without precedence or role: %+v", readers)
		}

		// Errors, from the service and from the model's validation.
		_, err := e.Admin.CreateGroup(ctx(t), &cip.CreateGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("admins")})
		wantCode(t, err, "GroupExistsException")
		_, err = e.Admin.GetGroup(ctx(t), &cip.GetGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("nobody")})
		wantCode(t, err, "ResourceNotFoundException")
		_, err = e.Admin.ListGroups(ctx(t), &cip.ListGroupsInput{UserPoolId: aws.String(region + "_AAAAAAAAA")})
		wantCode(t, err, "ResourceNotFoundException")
		_, err = e.Admin.AdminAddUserToGroup(ctx(t), &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(poolID),
			Username: aws.String("nobody"), GroupName: aws.String("admins")})
		wantCode(t, err, "UserNotFoundException")
		_, err = e.Admin.AdminAddUserToGroup(ctx(t), &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(poolID),
			Username: aws.String("gwen"), GroupName: aws.String("nobody")})
		wantCode(t, err, "ResourceNotFoundException")
		_, err = e.Admin.UpdateGroup(ctx(t), &cip.UpdateGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("nobody")})
		wantCode(t, err, "ResourceNotFoundException")
		_, err = e.Admin.DeleteGroup(ctx(t), &cip.DeleteGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("nobody")})
		wantCode(t, err, "ResourceNotFoundException")
		_, err = e.Admin.ListUsersInGroup(ctx(t), &cip.ListUsersInGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("nobody")})
		wantCode(t, err, "ResourceNotFoundException")
		for name, in := range map[string]*cip.CreateGroupInput{
			"role that is no ARN": {RoleArn: aws.String("not-an-arn-but-long-enough")},
			"negative precedence": {Precedence: aws.Int32(-1)},
			"name with a space":   {GroupName: aws.String("two words")},
		} {
			in.UserPoolId = aws.String(poolID)
			if in.GroupName == nil {
				in.GroupName = aws.String("invalid")
			}
			_, err := e.Admin.CreateGroup(ctx(t), in)
			if apiCode(err) != "InvalidParameterException" {
				t.Fatalf("CreateGroup with a %s: %v, want InvalidParameterException", name, err)
			}
		}
		_, err = e.Admin.ListGroups(ctx(t), &cip.ListGroupsInput{UserPoolId: aws.String(poolID), Limit: aws.Int32(61)})
		wantCode(t, err, "InvalidParameterException")
		// Group operations are administrators' only.
		_, err = e.Anon.ListGroups(ctx(t), &cip.ListGroupsInput{UserPoolId: aws.String(poolID)})
		wantCode(t, err, "MissingAuthenticationTokenException")

		// Memberships; adding a member again succeeds.
		for _, g := range []string{"readers", "editors", "admins", "admins"} {
			if _, err := e.Admin.AdminAddUserToGroup(ctx(t), &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(poolID),
				Username: aws.String("gwen"), GroupName: aws.String(g)}); err != nil {
				t.Fatalf("AdminAddUserToGroup %s: %v", g, err)
			}
		}
		if _, err := e.Admin.AdminAddUserToGroup(ctx(t), &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(poolID),
			Username: aws.String("hugo"), GroupName: aws.String("admins")}); err != nil {
			t.Fatal(err)
		}

		var listed []string
		pages := cip.NewListGroupsPaginator(e.Admin, &cip.ListGroupsInput{UserPoolId: aws.String(poolID), Limit: aws.Int32(2)})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range page.Groups {
				listed = append(listed, aws.ToString(g.GroupName))
			}
		}
		if !slices.Equal(listed, []string{"admins", "editors", "readers"}) {
			t.Fatalf("ListGroups %v", listed)
		}
		forUser, err := e.Admin.AdminListGroupsForUser(ctx(t), &cip.AdminListGroupsForUserInput{UserPoolId: aws.String(poolID), Username: aws.String("gwen")})
		if err != nil {
			t.Fatal(err)
		}
		var gwens []string
		for _, g := range forUser.Groups {
			gwens = append(gwens, aws.ToString(g.GroupName))
		}
		if !slices.Equal(gwens, []string{"admins", "editors", "readers"}) || forUser.NextToken != nil {
			t.Fatalf("AdminListGroupsForUser %v, next %v", gwens, forUser.NextToken)
		}
		var members []string
		users := cip.NewListUsersInGroupPaginator(e.Admin, &cip.ListUsersInGroupInput{UserPoolId: aws.String(poolID),
			GroupName: aws.String("admins"), Limit: aws.Int32(1)})
		for users.HasMorePages() {
			page, err := users.NextPage(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range page.Users {
				members = append(members, aws.ToString(u.Username))
				email := ""
				for _, a := range u.Attributes {
					if aws.ToString(a.Name) == "email" {
						email = aws.ToString(a.Value)
					}
				}
				if email != aws.ToString(u.Username)+"@example.com" || !u.Enabled || u.UserStatus != types.UserStatusTypeConfirmed || u.UserCreateDate == nil {
					t.Errorf("member rendered as %+v", u)
				}
			}
		}
		if !slices.Equal(members, []string{"gwen", "hugo"}) {
			t.Fatalf("ListUsersInGroup %v", members)
		}

		// Sign-in: both tokens list the groups, the ID token their roles.
		auth, err := e.srpSignIn(t, poolID, clientID, "gwen", password)
		if err != nil {
			t.Fatal(err)
		}
		e.tokenGroups(t, poolID, auth).check(t, "sign-in", []string{"admins", "editors", "readers"}, []string{adminRole, editorRole}, adminRole)

		// A refresh reads groups and memberships again.
		if _, err := e.Admin.UpdateGroup(ctx(t), &cip.UpdateGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("editors"),
			Precedence: aws.Int32(0)}); err != nil {
			t.Fatal(err)
		}
		refreshed, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
			ClientId: aws.String(clientID), AuthParameters: map[string]string{"REFRESH_TOKEN": *auth.RefreshToken}})
		if err != nil {
			t.Fatal(err)
		}
		e.tokenGroups(t, poolID, refreshed.AuthenticationResult).check(t, "refresh",
			[]string{"editors", "admins", "readers"}, []string{editorRole, adminRole}, editorRole)
		// UpdateGroup kept what it was not sent.
		editors, err := e.Admin.GetGroup(ctx(t), &cip.GetGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("editors")})
		if err != nil || aws.ToString(editors.Group.RoleArn) != editorRole || aws.ToInt32(editors.Group.Precedence) != 0 {
			t.Fatalf("editors after UpdateGroup: %+v, %v", editors, err)
		}

		// Leaving groups, and deleting one with members, show at the next
		// sign-in. Removing a non-member succeeds.
		for range 2 {
			if _, err := e.Admin.AdminRemoveUserFromGroup(ctx(t), &cip.AdminRemoveUserFromGroupInput{UserPoolId: aws.String(poolID),
				Username: aws.String("gwen"), GroupName: aws.String("editors")}); err != nil {
				t.Fatal(err)
			}
		}
		auth, err = e.srpSignIn(t, poolID, clientID, "gwen", password)
		if err != nil {
			t.Fatal(err)
		}
		e.tokenGroups(t, poolID, auth).check(t, "after leaving editors", []string{"admins", "readers"}, []string{adminRole}, adminRole)
		if _, err := e.Admin.DeleteGroup(ctx(t), &cip.DeleteGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("admins")}); err != nil {
			t.Fatal(err)
		}
		auth, err = e.srpSignIn(t, poolID, clientID, "gwen", password)
		if err != nil {
			t.Fatal(err)
		}
		e.tokenGroups(t, poolID, auth).check(t, "after deleting admins", []string{"readers"}, nil, nil)
	})
}
