package integration

import (
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	citypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentity/types"
)

// TestAmplifyJSIdentityPool runs test/js/amplify-identity.mjs: Amplify JS
// v6's fetchAuthSession as a guest and signed in, and the seed documents'
// custom credentials provider federating a token with the AWS SDK for
// JavaScript; every set of credentials is then checked by STS
// GetCallerIdentity signed with it.
func TestAmplifyJSIdentityPool(t *testing.T) {
	node, jsDir := jsClients(t)
	binaryEngines(t, func(t *testing.T, p *process) {
		c := newIdentityClients(p.URL)
		const username = "amplify-identity"
		poolID, clientID, _ := signedInUser(t, p.Admin, p.Anon, username, password)
		provider := "cognito-idp." + region + ".amazonaws.com/" + poolID
		// The federated login: a second pool's user, presented under the
		// token issuer's name as a custom provider would pass it.
		fedPool, fedClient, fedToken := signedInUser(t, p.Admin, p.Anon, "federated", password)
		created, err := c.Admin.CreateIdentityPool(ctx(t), &ci.CreateIdentityPoolInput{
			IdentityPoolName: aws.String("amplify"), AllowUnauthenticatedIdentities: true,
			CognitoIdentityProviders: []citypes.CognitoIdentityProvider{
				{ProviderName: aws.String(provider), ClientId: aws.String(clientID)},
				{ProviderName: aws.String("cognito-idp." + region + ".amazonaws.com/" + fedPool), ClientId: aws.String(fedClient)},
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		ipID := *created.IdentityPoolId
		authRole := c.createRole(t, "amplify-auth", trustPolicy(ipID, "authenticated"))
		guestRole := c.createRole(t, "amplify-guest", trustPolicy(ipID, "unauthenticated"))
		if _, err := c.Admin.SetIdentityPoolRoles(ctx(t), &ci.SetIdentityPoolRolesInput{IdentityPoolId: aws.String(ipID),
			Roles: map[string]string{"authenticated": authRole, "unauthenticated": guestRole}}); err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(p.URL)
		var out struct {
			Guest, SignedIn, Forced, Again, Federated, FederatedAgain struct {
				IdentityID string `json:"identityId"`
				Arn        string `json:"arn"`
				SignedIn   bool   `json:"signedIn"`
			}
			Forged string `json:"forged"`
		}
		runScript(t, node, filepath.Join(jsDir, "amplify-identity.mjs"), p, username, &out,
			"COGNATE_POOL_ID="+poolID, "COGNATE_CLIENT_ID="+clientID, "COGNATE_IDENTITY_POOL_ID="+ipID,
			"COGNATE_FEDERATED_DOMAIN="+u.Host+"/"+fedPool, "COGNATE_FEDERATED_TOKEN="+fedToken)

		guestARN := "arn:aws:sts::000000000000:assumed-role/amplify-guest/CognitoIdentityCredentials"
		authARN := "arn:aws:sts::000000000000:assumed-role/amplify-auth/CognitoIdentityCredentials"
		if out.Guest.Arn != guestARN || out.Guest.SignedIn {
			t.Errorf("guest session %+v, want %s", out.Guest, guestARN)
		}
		for name, s := range map[string]string{"signed in": out.SignedIn.Arn, "forced": out.Forced.Arn, "again": out.Again.Arn,
			"federated": out.Federated.Arn} {
			if s != authARN {
				t.Errorf("%s: caller %s, want %s", name, s, authARN)
			}
		}
		// Amplify keeps the guest's identity id and presents the login
		// for it: the guest identity becomes the user's, as in Cognito.
		if out.SignedIn.IdentityID != out.Guest.IdentityID || out.Federated.IdentityID == out.SignedIn.IdentityID {
			t.Errorf("identities: guest %s, signed in %s, federated %s", out.Guest.IdentityID, out.SignedIn.IdentityID, out.Federated.IdentityID)
		}
		if !strings.Contains(out.Forged, "NotAuthorized") {
			t.Errorf("a forged federated token: %q, want NotAuthorizedException", out.Forged)
		}
	})
}
