package integration

import (
	"encoding/base64"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognate-auth/cognate/auth/cognitosrp"
)

// device is what a client keeps of a confirmed device.
type device struct {
	key, groupKey string
	secret        cognitosrp.DeviceSecret
}

// devicePool creates a pool that tracks devices as cfg says and offers
// TOTP MFA as OPTIONAL, and a client for every flow.
func (e *env) devicePool(t *testing.T, cfg *types.DeviceConfigurationType) (poolID, clientID string) {
	t.Helper()
	p, err := e.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("devices"), DeviceConfiguration: cfg,
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}})
	if err != nil {
		t.Fatal(err)
	}
	poolID = *p.UserPool.Id
	if _, err := e.Admin.SetUserPoolMfaConfig(ctx(t), &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(poolID),
		MfaConfiguration: types.UserPoolMfaTypeOptional, SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}}); err != nil {
		t.Fatal(err)
	}
	c, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID),
		ClientName: aws.String("app"), ExplicitAuthFlows: mfaFlows})
	if err != nil {
		t.Fatal(err)
	}
	return poolID, *c.UserPoolClient.ClientId
}

// setUpTOTP gives a signed-in user a verified, preferred authenticator and
// returns its secret.
func (e *env) setUpTOTP(t *testing.T, access *string) string {
	t.Helper()
	assoc, err := e.Anon.AssociateSoftwareToken(ctx(t), &cip.AssociateSoftwareTokenInput{AccessToken: access})
	if err != nil {
		t.Fatal(err)
	}
	secret := aws.ToString(assoc.SecretCode)
	if _, err := e.Anon.VerifySoftwareToken(ctx(t), &cip.VerifySoftwareTokenInput{AccessToken: access,
		UserCode: aws.String(totpCode(t, secret, e.Clock.Now()))}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Anon.SetUserMFAPreference(ctx(t), &cip.SetUserMFAPreferenceInput{AccessToken: access,
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}}); err != nil {
		t.Fatal(err)
	}
	return secret
}

// srpWithDevice signs in with SRP presenting deviceKey: in InitiateAuth and
// the PASSWORD_VERIFIER answer as Amplify does, or, when inInitiate is
// false, only in the answer, as amazon-cognito-identity-js does.
func (e *env) srpWithDevice(t *testing.T, poolID, clientID, username, deviceKey string, inInitiate bool) (*cip.RespondToAuthChallengeOutput, error) {
	t.Helper()
	c, err := cognitosrp.NewClient(poolID, username, password)
	if err != nil {
		t.Fatal(err)
	}
	params := c.AuthParameters()
	if inInitiate {
		params["DEVICE_KEY"] = deviceKey
	}
	init, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth,
		ClientId: aws.String(clientID), AuthParameters: params})
	if err != nil {
		return nil, err
	}
	responses, err := c.ChallengeResponses(init.ChallengeParameters, e.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	responses["DEVICE_KEY"] = deviceKey
	return e.Anon.RespondToAuthChallenge(ctx(t), &cip.RespondToAuthChallengeInput{ChallengeName: types.ChallengeNameTypePasswordVerifier,
		ClientId: aws.String(clientID), ChallengeResponses: responses, Session: init.Session}, noRetry)
}

// totpAnswer answers SOFTWARE_TOKEN_MFA with a code of the next step.
func (e *env) totpAnswer(t *testing.T, clientID, username, secret string, session *string) *cip.RespondToAuthChallengeOutput {
	t.Helper()
	e.nextTOTPStep()
	out, err := e.answer(t, clientID, types.ChallengeNameTypeSoftwareTokenMfa, session, username, "SOFTWARE_TOKEN_MFA_CODE",
		totpCode(t, secret, e.Clock.Now()))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// respond is RespondToAuthChallenge, or with admin set, its Admin variant.
func (e *env) respond(t *testing.T, admin bool, poolID, clientID string, name types.ChallengeNameType, session *string,
	responses map[string]string) (types.ChallengeNameType, map[string]string, *string, *types.AuthenticationResultType, error) {
	t.Helper()
	if admin {
		out, err := e.Admin.AdminRespondToAuthChallenge(ctx(t), &cip.AdminRespondToAuthChallengeInput{UserPoolId: aws.String(poolID),
			ClientId: aws.String(clientID), ChallengeName: name, Session: session, ChallengeResponses: responses}, noRetry)
		if err != nil {
			return "", nil, nil, nil, err
		}
		return out.ChallengeName, out.ChallengeParameters, out.Session, out.AuthenticationResult, nil
	}
	out, err := e.Anon.RespondToAuthChallenge(ctx(t), &cip.RespondToAuthChallengeInput{ClientId: aws.String(clientID),
		ChallengeName: name, Session: session, ChallengeResponses: responses}, noRetry)
	if err != nil {
		return "", nil, nil, nil, err
	}
	return out.ChallengeName, out.ChallengeParameters, out.Session, out.AuthenticationResult, nil
}

// deviceSRP answers DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER with the
// device's password.
func (e *env) deviceSRP(t *testing.T, admin bool, poolID, clientID, username string, name types.ChallengeNameType,
	params map[string]string, session *string, dev device) (*types.AuthenticationResultType, error) {
	t.Helper()
	wantChallenge(t, name, params, types.ChallengeNameTypeDeviceSrpAuth, map[string]string{"USERNAME": username})
	c, err := cognitosrp.NewDeviceClient(dev.groupKey, dev.key, dev.secret.Password)
	if err != nil {
		t.Fatal(err)
	}
	name, params, session, tokens, err := e.respond(t, admin, poolID, clientID, types.ChallengeNameTypeDeviceSrpAuth, session,
		c.AuthResponses(username))
	if err != nil {
		t.Fatal(err)
	}
	if tokens != nil {
		t.Fatalf("DEVICE_SRP_AUTH answered with tokens")
	}
	wantChallenge(t, name, params, types.ChallengeNameTypeDevicePasswordVerifier, map[string]string{"USERNAME": username, "DEVICE_KEY": dev.key})
	responses, err := c.ChallengeResponses(username, params, e.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	_, _, _, tokens, err = e.respond(t, admin, poolID, clientID, types.ChallengeNameTypeDevicePasswordVerifier, session, responses)
	if err == nil && (tokens == nil || tokens.NewDeviceMetadata != nil) {
		t.Fatalf("DEVICE_PASSWORD_VERIFIER answer %+v: want tokens without NewDeviceMetadata", tokens)
	}
	return tokens, err
}

// confirmDevice registers the device NewDeviceMetadata named.
func (e *env) confirmDevice(t *testing.T, auth *types.AuthenticationResultType, name string) (device, bool) {
	t.Helper()
	nd := auth.NewDeviceMetadata
	if nd == nil {
		t.Fatal("sign-in without NewDeviceMetadata")
	}
	secret, err := cognitosrp.NewDeviceSecret(*nd.DeviceGroupKey, *nd.DeviceKey)
	if err != nil {
		t.Fatal(err)
	}
	in := &cip.ConfirmDeviceInput{AccessToken: auth.AccessToken, DeviceKey: nd.DeviceKey,
		DeviceSecretVerifierConfig: &types.DeviceSecretVerifierConfigType{
			PasswordVerifier: aws.String(secret.PasswordVerifier), Salt: aws.String(secret.Salt)}}
	if name != "" {
		in.DeviceName = aws.String(name)
	}
	out, err := e.Anon.ConfirmDevice(ctx(t), in)
	if err != nil {
		t.Fatal(err)
	}
	return device{*nd.DeviceKey, *nd.DeviceGroupKey, secret}, out.UserConfirmationNecessary
}

// claims decodes a JWT's payload without verifying it.
func claims(t *testing.T, token *string) map[string]any {
	t.Helper()
	payload, err := base64.RawURLEncoding.DecodeString(strings.Split(aws.ToString(token), ".")[1])
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(payload, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func deviceAttributes(d *types.DeviceType) map[string]string {
	out := map[string]string{}
	for _, a := range d.DeviceAttributes {
		out[aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	return out
}

var deviceKeyPattern = regexp.MustCompile(`^us-east-1_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestRememberedDevices(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.devicePool(t, &types.DeviceConfigurationType{ChallengeRequiredOnNewDevice: true,
			DeviceOnlyRememberedOnUserPrompt: true})
		described, err := e.Admin.DescribeUserPool(ctx(t), &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
		if err != nil {
			t.Fatal(err)
		}
		if d := described.UserPool.DeviceConfiguration; d == nil || !d.ChallengeRequiredOnNewDevice || !d.DeviceOnlyRememberedOnUserPrompt {
			t.Fatalf("DescribeUserPool DeviceConfiguration = %+v", d)
		}
		e.signUpConfirmed(t, poolID, clientID, "alice", password)
		first, err := e.srpSignIn(t, poolID, clientID, "alice", password)
		if err != nil {
			t.Fatal(err)
		}
		secret := e.setUpTOTP(t, first.AccessToken)

		// With TOTP on, SRP then SOFTWARE_TOKEN_MFA, then tokens naming a
		// new device.
		ch, err := e.srpPassword(t, clientID, poolID, "alice", password)
		if err != nil {
			t.Fatal(err)
		}
		wantChallenge(t, ch.ChallengeName, ch.ChallengeParameters, types.ChallengeNameTypeSoftwareTokenMfa, nil)
		signedIn := e.totpAnswer(t, clientID, "alice", secret, ch.Session).AuthenticationResult
		nd := signedIn.NewDeviceMetadata
		if nd == nil || !deviceKeyPattern.MatchString(aws.ToString(nd.DeviceKey)) ||
			!regexp.MustCompile(`^-[0-9A-Za-z]{8}$`).MatchString(aws.ToString(nd.DeviceGroupKey)) {
			t.Fatalf("NewDeviceMetadata = %+v", nd)
		}
		if c := claims(t, signedIn.AccessToken); c["device_key"] != *nd.DeviceKey {
			t.Fatalf("access token device_key = %v, want %s", c["device_key"], *nd.DeviceKey)
		}
		dev, necessary := e.confirmDevice(t, signedIn, "alice's laptop")
		if !necessary {
			t.Fatal("UserConfirmationNecessary = false with DeviceOnlyRememberedOnUserPrompt")
		}
		_, err = e.Anon.ConfirmDevice(ctx(t), &cip.ConfirmDeviceInput{AccessToken: signedIn.AccessToken, DeviceKey: aws.String(dev.key),
			DeviceSecretVerifierConfig: &types.DeviceSecretVerifierConfigType{PasswordVerifier: aws.String(dev.secret.PasswordVerifier),
				Salt: aws.String(dev.secret.Salt)}})
		wantMessage(t, err, "DeviceKeyExistsException", "Device key already exists.")

		// Not remembered: the user does not see it; an administrator does.
		_, err = e.Anon.GetDevice(ctx(t), &cip.GetDeviceInput{AccessToken: signedIn.AccessToken, DeviceKey: aws.String(dev.key)})
		wantMessage(t, err, "ResourceNotFoundException", "Device does not exist.")
		got, err := e.Admin.AdminGetDevice(ctx(t), &cip.AdminGetDeviceInput{UserPoolId: aws.String(poolID), Username: aws.String("alice"),
			DeviceKey: aws.String(dev.key)})
		if err != nil {
			t.Fatal(err)
		}
		attrs := deviceAttributes(got.Device)
		wantAttrs := map[string]string{"device_status": "valid", "device_name": "alice's laptop", "last_ip_used": "127.0.0.1",
			"dev:device_remembered_status": "not_remembered", "dev:device_owner": "alice." + poolID,
			"dev:device_arn": "arn:aws:cognito-idp:us-east-1:000000000000:owner/alice." + poolID + "/device/" + dev.key}
		for k, v := range wantAttrs {
			if attrs[k] != v {
				t.Errorf("AdminGetDevice attribute %s = %q, want %q", k, attrs[k], v)
			}
		}
		if d := got.Device; aws.ToString(d.DeviceKey) != dev.key || d.DeviceCreateDate == nil || d.DeviceLastModifiedDate == nil ||
			d.DeviceLastAuthenticatedDate == nil || d.DeviceLastAuthenticatedDate.Nanosecond() != 0 {
			t.Fatalf("AdminGetDevice = %+v", d)
		}

		// A device that is not remembered does not skip MFA: the key comes
		// in the PASSWORD_VERIFIER answer only, as amazon-cognito-identity-js
		// sends it, then TOTP, then the device authenticates.
		ch, err = e.srpWithDevice(t, poolID, clientID, "alice", dev.key, false)
		if err != nil {
			t.Fatal(err)
		}
		wantChallenge(t, ch.ChallengeName, ch.ChallengeParameters, types.ChallengeNameTypeSoftwareTokenMfa, nil)
		mfa := e.totpAnswer(t, clientID, "alice", secret, ch.Session)
		withDevice, err := e.deviceSRP(t, false, poolID, clientID, "alice", mfa.ChallengeName, mfa.ChallengeParameters, mfa.Session, dev)
		if err != nil {
			t.Fatal(err)
		}
		if c := claims(t, withDevice.AccessToken); c["device_key"] != dev.key {
			t.Fatalf("device_key claim %v", c["device_key"])
		}

		// Remembered, it replaces MFA: SRP, then the device, then tokens.
		if _, err := e.Anon.UpdateDeviceStatus(ctx(t), &cip.UpdateDeviceStatusInput{AccessToken: withDevice.AccessToken,
			DeviceKey: aws.String(dev.key), DeviceRememberedStatus: types.DeviceRememberedStatusTypeRemembered}); err != nil {
			t.Fatal(err)
		}
		ch, err = e.srpWithDevice(t, poolID, clientID, "alice", dev.key, true)
		if err != nil {
			t.Fatal(err)
		}
		remembered, err := e.deviceSRP(t, false, poolID, clientID, "alice", ch.ChallengeName, ch.ChallengeParameters, ch.Session, dev)
		if err != nil {
			t.Fatal(err)
		}
		// USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH take the key too.
		pw, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(clientID),
			AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": password, "DEVICE_KEY": dev.key}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.deviceSRP(t, false, poolID, clientID, "alice", pw.ChallengeName, pw.ChallengeParameters, pw.Session, dev); err != nil {
			t.Fatal(err)
		}
		admin, err := e.Admin.AdminInitiateAuth(ctx(t), &cip.AdminInitiateAuthInput{AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth,
			UserPoolId: aws.String(poolID), ClientId: aws.String(clientID),
			AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": password, "DEVICE_KEY": dev.key}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.deviceSRP(t, true, poolID, clientID, "alice", admin.ChallengeName, admin.ChallengeParameters, admin.Session, dev); err != nil {
			t.Fatal(err)
		}

		// A wrong device password fails like a wrong password.
		ch, err = e.srpWithDevice(t, poolID, clientID, "alice", dev.key, true)
		if err != nil {
			t.Fatal(err)
		}
		impostor := dev
		impostor.secret.Password = strings.ToUpper(dev.secret.Password)
		_, err = e.deviceSRP(t, false, poolID, clientID, "alice", ch.ChallengeName, ch.ChallengeParameters, ch.Session, impostor)
		wantMessage(t, err, "NotAuthorizedException", "Incorrect username or password.")

		// Refreshing needs the device's key.
		refresh := func(deviceKey string) (*cip.InitiateAuthOutput, error) {
			params := map[string]string{"REFRESH_TOKEN": *remembered.RefreshToken}
			if deviceKey != "" {
				params["DEVICE_KEY"] = deviceKey
			}
			return e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
				ClientId: aws.String(clientID), AuthParameters: params}, noRetry)
		}
		refreshed, err := refresh(dev.key)
		if err != nil || refreshed.AuthenticationResult == nil || claims(t, refreshed.AuthenticationResult.AccessToken)["device_key"] != dev.key {
			t.Fatalf("REFRESH_TOKEN_AUTH with DEVICE_KEY = %+v, %v", refreshed, err)
		}
		_, err = refresh("")
		wantMessage(t, err, "NotAuthorizedException", "Invalid Refresh Token")
		fromRefresh, err := e.Anon.GetTokensFromRefreshToken(ctx(t), &cip.GetTokensFromRefreshTokenInput{ClientId: aws.String(clientID),
			RefreshToken: remembered.RefreshToken, DeviceKey: aws.String(dev.key)})
		if err != nil || fromRefresh.AuthenticationResult.AccessToken == nil {
			t.Fatalf("GetTokensFromRefreshToken with DeviceKey = %+v, %v", fromRefresh, err)
		}

		// A second device, not remembered: the user lists one device, an
		// administrator both, a page at a time.
		ch, err = e.srpPassword(t, clientID, poolID, "alice", password)
		if err != nil {
			t.Fatal(err)
		}
		phone, _ := e.confirmDevice(t, e.totpAnswer(t, clientID, "alice", secret, ch.Session).AuthenticationResult, "alice's phone")
		listed, err := e.Anon.ListDevices(ctx(t), &cip.ListDevicesInput{AccessToken: remembered.AccessToken})
		if err != nil || len(listed.Devices) != 1 || aws.ToString(listed.Devices[0].DeviceKey) != dev.key || listed.PaginationToken != nil {
			t.Fatalf("ListDevices = %+v, %v", listed, err)
		}
		one, err := e.Anon.GetDevice(ctx(t), &cip.GetDeviceInput{AccessToken: remembered.AccessToken, DeviceKey: aws.String(dev.key)})
		if err != nil || deviceAttributes(one.Device)["dev:device_remembered_status"] != "remembered" {
			t.Fatalf("GetDevice = %+v, %v", one, err)
		}
		var all []string
		var token *string
		for {
			page, err := e.Admin.AdminListDevices(ctx(t), &cip.AdminListDevicesInput{UserPoolId: aws.String(poolID), Username: aws.String("alice"),
				Limit: aws.Int32(1), PaginationToken: token})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range page.Devices {
				all = append(all, aws.ToString(d.DeviceKey))
			}
			if token = page.PaginationToken; token == nil {
				break
			}
		}
		if len(all) != 2 || !((all[0] == dev.key && all[1] == phone.key) || (all[0] == phone.key && all[1] == dev.key)) || all[0] > all[1] {
			t.Fatalf("AdminListDevices keys %v, want %s and %s in order", all, dev.key, phone.key)
		}

		// Errors.
		_, err = e.srpWithDevice(t, poolID, clientID, "alice", "us-east-1_00000000-0000-4000-8000-000000000000", true)
		wantMessage(t, err, "ResourceNotFoundException", "Device does not exist.")
		_, err = e.Anon.UpdateDeviceStatus(ctx(t), &cip.UpdateDeviceStatusInput{AccessToken: remembered.AccessToken,
			DeviceKey: aws.String(dev.key), DeviceRememberedStatus: "forever"})
		wantCode(t, err, "InvalidParameterException")
		_, err = e.Anon.GetDevice(ctx(t), &cip.GetDeviceInput{AccessToken: aws.String("not-a-token"), DeviceKey: aws.String(dev.key)})
		wantCode(t, err, "NotAuthorizedException")
		_, err = e.Admin.AdminGetDevice(ctx(t), &cip.AdminGetDeviceInput{UserPoolId: aws.String(poolID), Username: aws.String("nobody"),
			DeviceKey: aws.String(dev.key)})
		wantCode(t, err, "UserNotFoundException")
		_, err = e.Anon.ConfirmDevice(ctx(t), &cip.ConfirmDeviceInput{AccessToken: remembered.AccessToken, DeviceKey: aws.String(phone.key),
			DeviceSecretVerifierConfig: &types.DeviceSecretVerifierConfigType{PasswordVerifier: aws.String(phone.secret.PasswordVerifier),
				Salt: aws.String(phone.secret.Salt)}})
		wantMessage(t, err, "ResourceNotFoundException", "Device does not exist.")

		// An administrator remembers the phone and forgets it again.
		if _, err := e.Admin.AdminUpdateDeviceStatus(ctx(t), &cip.AdminUpdateDeviceStatusInput{UserPoolId: aws.String(poolID),
			Username: aws.String("alice"), DeviceKey: aws.String(phone.key), DeviceRememberedStatus: types.DeviceRememberedStatusTypeRemembered}); err != nil {
			t.Fatal(err)
		}
		listed, err = e.Anon.ListDevices(ctx(t), &cip.ListDevicesInput{AccessToken: remembered.AccessToken, Limit: aws.Int32(60)})
		if err != nil || len(listed.Devices) != 2 {
			t.Fatalf("ListDevices after remembering the phone = %+v, %v", listed, err)
		}
		if _, err := e.Admin.AdminForgetDevice(ctx(t), &cip.AdminForgetDeviceInput{UserPoolId: aws.String(poolID), Username: aws.String("alice"),
			DeviceKey: aws.String(phone.key)}); err != nil {
			t.Fatal(err)
		}

		// Signing out everywhere revokes tokens but keeps devices.
		if _, err := e.Anon.GlobalSignOut(ctx(t), &cip.GlobalSignOutInput{AccessToken: remembered.AccessToken}); err != nil {
			t.Fatal(err)
		}
		_, err = refresh(dev.key)
		wantCode(t, err, "NotAuthorizedException")
		ch, err = e.srpWithDevice(t, poolID, clientID, "alice", dev.key, true)
		if err != nil {
			t.Fatal(err)
		}
		latest, err := e.deviceSRP(t, false, poolID, clientID, "alice", ch.ChallengeName, ch.ChallengeParameters, ch.Session, dev)
		if err != nil {
			t.Fatal(err)
		}

		// Forgetting the device: its key no longer signs in, its refresh
		// tokens end.
		if _, err := e.Anon.ForgetDevice(ctx(t), &cip.ForgetDeviceInput{AccessToken: latest.AccessToken, DeviceKey: aws.String(dev.key)}); err != nil {
			t.Fatal(err)
		}
		_, err = e.srpWithDevice(t, poolID, clientID, "alice", dev.key, false)
		wantMessage(t, err, "ResourceNotFoundException", "Device does not exist.")
		_, err = e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(clientID),
			AuthParameters: map[string]string{"REFRESH_TOKEN": *latest.RefreshToken, "DEVICE_KEY": dev.key}}, noRetry)
		wantMessage(t, err, "NotAuthorizedException", "Invalid Refresh Token")
		_, err = e.Anon.ForgetDevice(ctx(t), &cip.ForgetDeviceInput{AccessToken: latest.AccessToken, DeviceKey: aws.String(dev.key)})
		wantMessage(t, err, "ResourceNotFoundException", "Device does not exist.")
		emptied, err := e.Admin.AdminListDevices(ctx(t), &cip.AdminListDevicesInput{UserPoolId: aws.String(poolID), Username: aws.String("alice")})
		if err != nil || len(emptied.Devices) != 0 {
			t.Fatalf("AdminListDevices after forgetting both = %+v, %v", emptied, err)
		}

		// Deleting the user takes its devices.
		ch, err = e.srpPassword(t, clientID, poolID, "alice", password)
		if err != nil {
			t.Fatal(err)
		}
		e.confirmDevice(t, e.totpAnswer(t, clientID, "alice", secret, ch.Session).AuthenticationResult, "")
		if _, err := e.Admin.AdminDeleteUser(ctx(t), &cip.AdminDeleteUserInput{UserPoolId: aws.String(poolID), Username: aws.String("alice")}); err != nil {
			t.Fatal(err)
		}
		e.signUpConfirmed(t, poolID, clientID, "alice", password)
		fresh, err := e.Admin.AdminListDevices(ctx(t), &cip.AdminListDevicesInput{UserPoolId: aws.String(poolID), Username: aws.String("alice")})
		if err != nil || len(fresh.Devices) != 0 {
			t.Fatalf("AdminListDevices of a new alice = %+v, %v", fresh, err)
		}
	})
}

// TestDevicesNotTrackedByDefault: a pool without DeviceConfiguration hands
// out no device keys and ignores DEVICE_KEY.
func TestDevicesNotTrackedByDefault(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.devicePool(t, nil)
		e.signUpConfirmed(t, poolID, clientID, "bob", password)
		out, err := e.srpWithDevice(t, poolID, clientID, "bob", "us-east-1_00000000-0000-4000-8000-000000000000", true)
		if err != nil {
			t.Fatal(err)
		}
		if out.AuthenticationResult == nil || out.AuthenticationResult.NewDeviceMetadata != nil {
			t.Fatalf("sign-in in a pool without device tracking: %+v", out)
		}
		if _, ok := claims(t, out.AuthenticationResult.AccessToken)["device_key"]; ok {
			t.Fatal("access token with a device_key claim")
		}
		described, err := e.Admin.DescribeUserPool(ctx(t), &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
		if err != nil || described.UserPool.DeviceConfiguration != nil {
			t.Fatalf("DescribeUserPool DeviceConfiguration = %+v, %v", described.UserPool.DeviceConfiguration, err)
		}
	})
}
