package integration

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// amplifyDevicesResult is what test/js/amplify-devices.mjs prints: the
// calls (flows and challenges by name) each step made.
type amplifyDevicesResult struct {
	Amplify struct {
		FirstSignIn         []string `json:"firstSignIn"`
		NotRememberedSignIn []string `json:"notRememberedSignIn"`
		RememberCalls       []string `json:"rememberCalls"`
		RememberedSignIn    []string `json:"rememberedSignIn"`
		RefreshCalls        []string `json:"refreshCalls"`
		ForgetFlow          []string `json:"forgetFlow"`
	} `json:"amplify"`
	IdentityJS struct {
		FirstSignIn    []string `json:"firstSignIn"`
		DeviceSignIn   []string `json:"deviceSignIn"`
		StaleKeySignIn []string `json:"staleKeySignIn"`
	} `json:"identityJs"`
	Trace []traceEntry `json:"trace"`
}

// TestAmplifyJSDevices has Amplify JS v6 and amazon-cognito-identity-js
// remember devices: Amplify confirms the device of a sign-in, asks for TOTP
// until rememberDevice, then signs in with device SRP instead, refreshes
// with the device key and forgets the device; identity-js remembers its
// device, signs in with it, and retries without a key Cognate does not
// know.
func TestAmplifyJSDevices(t *testing.T) {
	node := tool(t, "node", "the Amplify JS interop test runs on Node.js")
	jsDir, err := filepath.Abs("../js")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(jsDir, "node_modules", "aws-amplify", "package.json")); err != nil {
		missing(t, "test/js/node_modules is not installed (run npm ci in test/js, as scripts/test.sh does)")
	}
	binaryEngines(t, func(t *testing.T, p *process) {
		out, err := p.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("amplify-devices"),
			AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
			DeviceConfiguration:    &types.DeviceConfigurationType{ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true}})
		if err != nil {
			t.Fatal(err)
		}
		poolID := *out.UserPool.Id
		if _, err := p.Admin.SetUserPoolMfaConfig(ctx(t), &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(poolID),
			MfaConfiguration: types.UserPoolMfaTypeOptional, SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}}); err != nil {
			t.Fatal(err)
		}
		c, err := p.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("web"),
			ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
		if err != nil {
			t.Fatal(err)
		}

		var res amplifyDevicesResult
		runScript(t, node, filepath.Join(jsDir, "amplify-devices.mjs"), p, "dora", &res,
			"COGNATE_POOL_ID="+poolID, "COGNATE_CLIENT_ID="+*c.UserPoolClient.ClientId)
		for _, f := range []struct {
			what      string
			got, want []string
		}{
			{"Amplify's first sign-in (it confirms the new device)", res.Amplify.FirstSignIn,
				[]string{"USER_SRP_AUTH", "PASSWORD_VERIFIER", "ConfirmDevice"}},
			{"Amplify's sign-in with a device not remembered", res.Amplify.NotRememberedSignIn,
				[]string{"USER_SRP_AUTH", "PASSWORD_VERIFIER", "SOFTWARE_TOKEN_MFA", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"}},
			{"rememberDevice, fetchDevices", res.Amplify.RememberCalls, []string{"UpdateDeviceStatus", "ListDevices"}},
			{"Amplify's sign-in with a remembered device", res.Amplify.RememberedSignIn,
				[]string{"USER_SRP_AUTH", "PASSWORD_VERIFIER", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"}},
			{"Amplify's refresh", res.Amplify.RefreshCalls, []string{"GetTokensFromRefreshToken"}},
			{"forgetDevice, then signIn", res.Amplify.ForgetFlow,
				[]string{"ForgetDevice", "ListDevices", "RevokeToken", "USER_SRP_AUTH", "PASSWORD_VERIFIER"}},
			{"identity-js's first sign-in", res.IdentityJS.FirstSignIn,
				[]string{"USER_SRP_AUTH", "PASSWORD_VERIFIER", "ConfirmDevice", "UpdateDeviceStatus"}},
			{"identity-js's sign-in with its device", res.IdentityJS.DeviceSignIn,
				[]string{"USER_SRP_AUTH", "PASSWORD_VERIFIER", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"}},
			{"identity-js's sign-in with a key Cognate does not know", res.IdentityJS.StaleKeySignIn,
				[]string{"USER_SRP_AUTH:200", "PASSWORD_VERIFIER:400", "PASSWORD_VERIFIER:200", "ConfirmDevice:200"}},
		} {
			if !slices.Equal(f.got, f.want) {
				t.Errorf("%s = %v, want %v", f.what, f.got, f.want)
			}
		}
		// The only failure is the one provoked.
		if failures := failedCalls(t, res.Trace); !slices.Equal(failures, []string{"RespondToAuthChallenge:ResourceNotFoundException"}) {
			t.Errorf("failed calls %v", failures)
		}

		// Cognate holds what the clients did: Amplify's device forgotten,
		// identity-js's two devices, the first remembered.
		for user, want := range map[string][]string{"dora": nil, "dora.identity": {"remembered", "not_remembered"}} {
			got, err := p.Admin.AdminListDevices(ctx(t), &cip.AdminListDevicesInput{UserPoolId: aws.String(poolID), Username: aws.String(user)})
			if err != nil {
				t.Fatal(err)
			}
			var statuses []string
			for _, d := range got.Devices {
				statuses = append(statuses, deviceAttributes(&d)["dev:device_remembered_status"])
			}
			slices.Sort(statuses)
			if slices.Sort(want); !slices.Equal(statuses, want) {
				t.Errorf("devices of %s: %v, want %v", user, statuses, want)
			}
		}
	})
}
