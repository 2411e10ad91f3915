package server

import (
	"context"
	"encoding/json"
	"net/url"

	"github.com/cognate-auth/cognate/internal/iam"
)

// resourceOf is the ARN an operation acts on, for the check of the
// caller's policies: the user pool (UserPoolId), identity pool
// (IdentityPoolId), role (RoleName), user (UserName) or provider ARN the
// request names, in the account and region it was signed for; "*" when it
// names none (CreateUserPool, ListRoles, ...). The body is read with the
// very decoders the operations use (encoding/json's matching of member
// names; one value per form key), so the check sees what the operation
// will act on.
func resourceOf(ctx context.Context, svc *iam.Service, service, region, account string, body []byte) string {
	switch service {
	case "cognito-idp", "cognito-identity":
		var in struct {
			UserPoolID     string `json:"UserPoolId"`
			IdentityPoolID string `json:"IdentityPoolId"`
		}
		if json.Unmarshal(body, &in) != nil {
			return "*"
		}
		switch {
		case service == "cognito-idp" && in.UserPoolID != "":
			return "arn:aws:cognito-idp:" + region + ":" + account + ":userpool/" + in.UserPoolID
		case service == "cognito-identity" && in.IdentityPoolID != "":
			return "arn:aws:cognito-identity:" + region + ":" + account + ":identitypool/" + in.IdentityPoolID
		}
	case "iam":
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return "*"
		}
		one := func(key string) string {
			if v := form[key]; len(v) == 1 {
				return v[0]
			}
			return ""
		}
		if arn := one("OpenIDConnectProviderArn"); arn != "" {
			return arn
		}
		if arn := one("SAMLProviderArn"); arn != "" {
			return arn
		}
		if arn := one("PolicySourceArn"); arn != "" {
			return arn
		}
		if name := one("RoleName"); name != "" {
			if svc != nil {
				if r, err := svc.GetRole(ctx, name); err == nil {
					return r.ARN // with its path
				}
			}
			return "arn:aws:iam::" + account + ":role/" + name
		}
		if name := one("UserName"); name != "" {
			return "arn:aws:iam::" + account + ":user/" + name
		}
	}
	return "*"
}
