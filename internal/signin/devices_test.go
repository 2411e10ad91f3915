package signin_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/cognate-auth/cognate/auth/cognitosrp"
	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/signin"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/testutil/domaintest"
	"github.com/cognate-auth/cognate/internal/userpool"
)

// deviceEnv is a service on a fresh SQLite store with a clock the test
// moves, a pool that tracks devices (remembered devices skip MFA, and are
// remembered only when the user says so) and offers email MFA as OPTIONAL,
// a client for the password and refresh flows, and users alice and bob
// whose sign-ins ask for an email code.
type deviceEnv struct {
	*domaintest.Env
	svc              *userpool.Service
	signIn           *signin.Engine
	st               store.Store
	poolID, clientID string
}

const devicePassword = "Device-Passw0rd!"

func (e *deviceEnv) clock() time.Time { return e.Now() }

func (e *deviceEnv) advance(d time.Duration) { e.Advance(d) }

func newDeviceEnv(t *testing.T, devices store.DeviceSettings) *deviceEnv {
	t.Helper()
	ctx := t.Context()
	env := domaintest.New(t, false)
	e := &deviceEnv{Env: env, svc: env.Pools, signIn: env.SignIn, st: env.Store}
	p, err := e.svc.CreatePool(ctx, "eu-west-2", userpool.PoolInput{Name: "devices", Settings: store.PoolSettings{Devices: &devices}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetPoolMFA(ctx, userpool.PoolMFAInput{PoolID: p.ID, Mode: userpool.MFAOptional, Email: &userpool.EmailMFAConfig{}}); err != nil {
		t.Fatal(err)
	}
	c, err := e.svc.CreateClient(ctx, p.ID, userpool.ClientInput{Name: "app", Settings: store.ClientSettings{
		ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}})
	if err != nil {
		t.Fatal(err)
	}
	e.poolID, e.clientID = p.ID, c.ID
	for _, name := range []string{"alice", "bob"} {
		if _, err := e.svc.SignUp(ctx, userpool.SignUpInput{ClientID: c.ID, Username: name, Password: devicePassword,
			Attributes: []userpool.Attribute{{Name: "email", Value: name + "@example.com"}}}); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.AdminConfirmSignUp(ctx, p.ID, name, nil); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.AdminSetUserMFAPreference(ctx, p.ID, name, userpool.MFAPreference{
			Email: &userpool.MFASetting{Enabled: true, Preferred: true}}); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// password starts USER_PASSWORD_AUTH, with a device key when it is not "".
func (e *deviceEnv) password(t *testing.T, username, deviceKey string) (signin.Result, error) {
	t.Helper()
	params := map[string]string{"USERNAME": username, "PASSWORD": devicePassword}
	if deviceKey != "" {
		params["DEVICE_KEY"] = deviceKey
	}
	return e.signIn.Start(t.Context(), signin.StartInput{ClientID: e.clientID, Flow: signin.UserPassword, Parameters: params})
}

func (e *deviceEnv) respond(t *testing.T, challenge signin.Challenge, session string, responses map[string]string) (signin.Result, error) {
	t.Helper()
	return e.signIn.Respond(t.Context(), signin.RespondInput{ClientID: e.clientID, Challenge: challenge,
		Session: session, Responses: responses})
}

// emailCode answers an EMAIL_OTP challenge with the code in the outbox.
func (e *deviceEnv) emailCode(t *testing.T, ch signin.Result, username string) (signin.Result, error) {
	t.Helper()
	wantChallengeName(t, ch, signin.EmailOTP)
	msgs, err := e.st.ListMessages(t.Context(), store.MessageFilter{PoolID: e.poolID, Username: username})
	if err != nil || len(msgs) == 0 {
		t.Fatalf("outbox of %s: %v, %v", username, msgs, err)
	}
	return e.respond(t, signin.EmailOTP, ch.Session, map[string]string{"USERNAME": username, "EMAIL_OTP_CODE": msgs[len(msgs)-1].Code})
}

// deviceSRP answers DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER as a
// client holding the device's password does.
func (e *deviceEnv) deviceSRP(t *testing.T, ch signin.Result, username string, dev device) (signin.Result, error) {
	t.Helper()
	wantChallengeName(t, ch, signin.DeviceSRPAuth)
	if ch.Parameters["USERNAME"] != username || ch.Session == "" {
		t.Fatalf("DEVICE_SRP_AUTH parameters %v, session %q", ch.Parameters, ch.Session)
	}
	c, err := cognitosrp.NewDeviceClient(dev.groupKey, dev.key, dev.secret.Password)
	if err != nil {
		t.Fatal(err)
	}
	verifier, err := e.respond(t, signin.DeviceSRPAuth, ch.Session, c.AuthResponses(username))
	if err != nil {
		t.Fatal(err)
	}
	wantChallengeName(t, verifier, signin.DevicePasswordVerifier)
	p := verifier.Parameters
	if p["DEVICE_KEY"] != dev.key || p["USERNAME"] != username || p["SRP_B"] == "" || p["SALT"] == "" || p["SECRET_BLOCK"] == "" {
		t.Fatalf("DEVICE_PASSWORD_VERIFIER parameters %v", p)
	}
	responses, err := c.ChallengeResponses(username, p, e.clock())
	if err != nil {
		t.Fatal(err)
	}
	return e.respond(t, signin.DevicePasswordVerifier, verifier.Session, responses)
}

// device is what a client keeps of a confirmed device.
type device struct {
	key, groupKey string
	secret        cognitosrp.DeviceSecret
}

// confirm registers the device a sign-in's tokens name, as a client does.
func (e *deviceEnv) confirm(t *testing.T, tok *signin.Tokens, name string) (device, bool) {
	t.Helper()
	nd := tok.NewDevice
	if nd == nil {
		t.Fatal("no NewDeviceMetadata")
	}
	secret, err := cognitosrp.NewDeviceSecret(nd.GroupKey, nd.Key)
	if err != nil {
		t.Fatal(err)
	}
	necessary, err := e.svc.ConfirmDevice(t.Context(), userpool.ConfirmDeviceInput{AccessToken: tok.AccessToken, DeviceKey: nd.Key,
		DeviceName: name, Verifier: &userpool.DeviceVerifierConfig{PasswordVerifier: secret.PasswordVerifier, Salt: secret.Salt}})
	if err != nil {
		t.Fatal(err)
	}
	return device{nd.Key, nd.GroupKey, secret}, necessary
}

func (e *deviceEnv) refresh(t *testing.T, tok *signin.Tokens, deviceKey string) (signin.Result, error) {
	t.Helper()
	params := map[string]string{"REFRESH_TOKEN": tok.RefreshToken}
	if deviceKey != "" {
		params["DEVICE_KEY"] = deviceKey
	}
	return e.signIn.Start(t.Context(), signin.StartInput{ClientID: e.clientID, Flow: signin.RefreshToken, Parameters: params})
}

func wantChallengeName(t *testing.T, r signin.Result, name signin.Challenge) {
	t.Helper()
	if r.Challenge != name || r.Tokens != nil {
		t.Fatalf("result %+v, want the %s challenge", r, name)
	}
}

// tokensIn returns a function that fails t unless a sign-in step ended
// with tokens, and returns them.
func tokensIn(t *testing.T) func(signin.Result, error) *signin.Tokens {
	return func(r signin.Result, err error) *signin.Tokens {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if r.Tokens == nil {
			t.Fatalf("result %+v, want tokens", r)
		}
		return r.Tokens
	}
}

func wantDeviceError(t *testing.T, err error, code, message string) {
	t.Helper()
	if !apierr.HasCode(err, code) {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if message != "" && apierr.As(err).Message != message {
		t.Fatalf("message %q, want %q", apierr.As(err).Message, message)
	}
}

// accessDeviceKey returns the device_key claim of an access token.
func accessDeviceKey(t *testing.T, token string) string {
	t.Helper()
	payload, err := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[1])
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		DeviceKey string `json:"device_key"`
	}
	if err := json.Unmarshal(payload, &c); err != nil {
		t.Fatal(err)
	}
	return c.DeviceKey
}

func TestDeviceLifecycle(t *testing.T) {
	ctx := t.Context()
	e := newDeviceEnv(t, store.DeviceSettings{ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true})

	// A sign-in without a device: MFA, then tokens with a new device key.
	ch, err := e.password(t, "alice", "")
	if err != nil {
		t.Fatal(err)
	}
	first := tokensIn(t)(e.emailCode(t, ch, "alice"))
	nd := first.NewDevice
	if nd == nil || !strings.HasPrefix(nd.Key, "eu-west-2_") || len(nd.Key) != len("eu-west-2_")+36 ||
		len(nd.GroupKey) != 9 || nd.GroupKey[0] != '-' {
		t.Fatalf("NewDeviceMetadata = %+v", nd)
	}
	if got := accessDeviceKey(t, first.AccessToken); got != nd.Key {
		t.Fatalf("device_key claim %q, want %q", got, nd.Key)
	}
	// The refresh token is bound to the device, which is not confirmed yet.
	_, err = e.refresh(t, first, "")
	wantDeviceError(t, err, apierr.NotAuthorized, "Invalid Refresh Token")
	_, err = e.refresh(t, first, nd.Key)
	wantDeviceError(t, err, apierr.NotAuthorized, "Invalid Refresh Token")

	// ConfirmDevice takes only the key the token is bound to, and a verifier.
	secret, err := cognitosrp.NewDeviceSecret(nd.GroupKey, nd.Key)
	if err != nil {
		t.Fatal(err)
	}
	good := &userpool.DeviceVerifierConfig{PasswordVerifier: secret.PasswordVerifier, Salt: secret.Salt}
	for _, c := range []struct {
		in   userpool.ConfirmDeviceInput
		code string
	}{
		{userpool.ConfirmDeviceInput{AccessToken: first.AccessToken, DeviceKey: "eu-west-2_00000000-0000-4000-a000-000000000000", Verifier: good},
			apierr.ResourceNotFound},
		{userpool.ConfirmDeviceInput{AccessToken: first.AccessToken, DeviceKey: nd.Key}, apierr.InvalidParameter},
		{userpool.ConfirmDeviceInput{AccessToken: first.AccessToken, DeviceKey: nd.Key,
			Verifier: &userpool.DeviceVerifierConfig{PasswordVerifier: base64.StdEncoding.EncodeToString(make([]byte, 384)), Salt: secret.Salt}},
			apierr.InvalidParameter},
		{userpool.ConfirmDeviceInput{AccessToken: first.AccessToken, DeviceKey: nd.Key,
			Verifier: &userpool.DeviceVerifierConfig{PasswordVerifier: secret.PasswordVerifier, Salt: "not base64!"}}, apierr.InvalidParameter},
		{userpool.ConfirmDeviceInput{AccessToken: "not a token", DeviceKey: nd.Key, Verifier: good}, apierr.NotAuthorized},
	} {
		_, err := e.svc.ConfirmDevice(ctx, c.in)
		wantDeviceError(t, err, c.code, "")
	}
	necessary, err := e.svc.ConfirmDevice(ctx, userpool.ConfirmDeviceInput{AccessToken: first.AccessToken, DeviceKey: nd.Key,
		DeviceName: "alice's laptop", Verifier: good})
	if err != nil || !necessary {
		t.Fatalf("ConfirmDevice = %v, %v; want the user to be asked", necessary, err)
	}
	_, err = e.svc.ConfirmDevice(ctx, userpool.ConfirmDeviceInput{AccessToken: first.AccessToken, DeviceKey: nd.Key, Verifier: good})
	wantDeviceError(t, err, apierr.DeviceKeyExists, "Device key already exists.")
	dev := device{nd.Key, nd.GroupKey, secret}

	// Now the refresh token works with the device's key, and only with it.
	refreshed := tokensIn(t)(e.refresh(t, first, dev.key))
	if refreshed.NewDevice != nil || accessDeviceKey(t, refreshed.AccessToken) != dev.key {
		t.Fatalf("refreshed tokens %+v", refreshed)
	}
	_, err = e.refresh(t, first, "")
	wantDeviceError(t, err, apierr.NotAuthorized, "Invalid Refresh Token")

	// Not remembered yet: the user does not see it, an administrator does.
	_, err = e.svc.GetDevice(ctx, first.AccessToken, dev.key)
	wantDeviceError(t, err, apierr.ResourceNotFound, "Device does not exist.")
	if ds, next, err := e.svc.ListDevices(ctx, first.AccessToken, 0, ""); err != nil || len(ds) != 0 || next != "" {
		t.Fatalf("ListDevices = %v, %q, %v", ds, next, err)
	}
	got, err := e.svc.AdminGetDevice(ctx, e.poolID, "alice", dev.key)
	if err != nil || got.Remembered || got.Name != "alice's laptop" || got.Username != "alice" || got.GroupKey != dev.groupKey {
		t.Fatalf("AdminGetDevice = %+v, %v", got, err)
	}

	// A device that is not remembered authenticates after MFA, not instead.
	ch, err = e.password(t, "alice", dev.key)
	if err != nil {
		t.Fatal(err)
	}
	ch, err = e.emailCode(t, ch, "alice")
	if err != nil {
		t.Fatal(err)
	}
	withDevice := tokensIn(t)(e.deviceSRP(t, ch, "alice", dev))
	if withDevice.NewDevice != nil || accessDeviceKey(t, withDevice.AccessToken) != dev.key {
		t.Fatalf("tokens after device SRP: %+v", withDevice)
	}

	// Remembered, it replaces MFA.
	if err := e.svc.UpdateDeviceStatus(ctx, withDevice.AccessToken, dev.key, "remembered"); err != nil {
		t.Fatal(err)
	}
	e.advance(2 * time.Minute)
	ch, err = e.password(t, "alice", dev.key)
	if err != nil {
		t.Fatal(err)
	}
	remembered := tokensIn(t)(e.deviceSRP(t, ch, "alice", dev))
	got, err = e.svc.GetDevice(ctx, remembered.AccessToken, dev.key)
	if err != nil || !got.Remembered || !got.LastAuthenticatedAt.Equal(e.clock().Truncate(time.Second)) || got.CreatedAt.After(got.UpdatedAt) {
		t.Fatalf("GetDevice = %+v, %v", got, err)
	}
	if ds, _, err := e.svc.ListDevices(ctx, remembered.AccessToken, 0, ""); err != nil || len(ds) != 1 || ds[0].Key != dev.key {
		t.Fatalf("ListDevices = %v, %v", ds, err)
	}

	// A wrong device password fails like a wrong password.
	ch, err = e.password(t, "alice", dev.key)
	if err != nil {
		t.Fatal(err)
	}
	impostor := dev
	impostor.secret.Password += "x"
	_, err = e.deviceSRP(t, ch, "alice", impostor)
	wantDeviceError(t, err, apierr.NotAuthorized, "Incorrect username or password.")

	// A key that is not one of the user's devices.
	for _, key := range []string{"eu-west-2_00000000-0000-4000-a000-000000000000", dev.key} {
		_, err = e.password(t, "bob", key)
		wantDeviceError(t, err, apierr.ResourceNotFound, "Device does not exist.")
	}
	_, err = e.svc.AdminGetDevice(ctx, e.poolID, "bob", dev.key)
	wantDeviceError(t, err, apierr.ResourceNotFound, "Device does not exist.")

	// Forgotten, the key is unknown and the device's refresh tokens end.
	if err := e.svc.ForgetDevice(ctx, remembered.AccessToken, dev.key); err != nil {
		t.Fatal(err)
	}
	_, err = e.password(t, "alice", dev.key)
	wantDeviceError(t, err, apierr.ResourceNotFound, "Device does not exist.")
	_, err = e.refresh(t, remembered, dev.key)
	wantDeviceError(t, err, apierr.NotAuthorized, "Invalid Refresh Token")
	err = e.svc.ForgetDevice(ctx, remembered.AccessToken, dev.key)
	wantDeviceError(t, err, apierr.ResourceNotFound, "Device does not exist.")
}

func TestDeviceRememberedAtOnce(t *testing.T) {
	ctx := t.Context()
	e := newDeviceEnv(t, store.DeviceSettings{ChallengeRequiredOnNewDevice: true})
	ch, err := e.password(t, "alice", "")
	if err != nil {
		t.Fatal(err)
	}
	tok := tokensIn(t)(e.emailCode(t, ch, "alice"))
	dev, necessary := e.confirm(t, tok, "")
	if necessary {
		t.Fatal("UserConfirmationNecessary without DeviceOnlyRememberedOnUserPrompt")
	}
	got, err := e.svc.GetDevice(ctx, tok.AccessToken, dev.key)
	if err != nil || !got.Remembered || got.Name != "" {
		t.Fatalf("GetDevice = %+v, %v", got, err)
	}
	// The device skips MFA; an administrator stops remembering it, and it
	// does not any more.
	ch, err = e.password(t, "alice", dev.key)
	if err != nil {
		t.Fatal(err)
	}
	tokensIn(t)(e.deviceSRP(t, ch, "alice", dev))
	if err := e.svc.AdminUpdateDeviceStatus(ctx, e.poolID, "alice", dev.key, "not_remembered"); err != nil {
		t.Fatal(err)
	}
	err = e.svc.AdminUpdateDeviceStatus(ctx, e.poolID, "alice", dev.key, "forgotten")
	wantDeviceError(t, err, apierr.InvalidParameter, "")
	ch, err = e.password(t, "alice", dev.key)
	if err != nil {
		t.Fatal(err)
	}
	wantChallengeName(t, ch, signin.EmailOTP)

	// Deleting the user takes its devices with it.
	ds, _, err := e.svc.AdminListDevices(ctx, e.poolID, "alice", 0, "")
	if err != nil || len(ds) != 1 {
		t.Fatalf("AdminListDevices = %v, %v", ds, err)
	}
	if err := e.svc.AdminDeleteUser(ctx, e.poolID, "alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.GetDevice(ctx, e.poolID, dev.key); err == nil {
		t.Fatal("the device outlived its user")
	}
}

// TestDeviceDoesNotSkipMFA: without ChallengeRequiredOnNewDevice a
// remembered device authenticates, but after MFA.
func TestDeviceDoesNotSkipMFA(t *testing.T) {
	e := newDeviceEnv(t, store.DeviceSettings{})
	ch, err := e.password(t, "alice", "")
	if err != nil {
		t.Fatal(err)
	}
	tok := tokensIn(t)(e.emailCode(t, ch, "alice"))
	dev, _ := e.confirm(t, tok, "phone")
	ch, err = e.password(t, "alice", dev.key)
	if err != nil {
		t.Fatal(err)
	}
	ch, err = e.emailCode(t, ch, "alice")
	if err != nil {
		t.Fatal(err)
	}
	tokensIn(t)(e.deviceSRP(t, ch, "alice", dev))
}

func TestDeviceSignInErrors(t *testing.T) {
	e := newDeviceEnv(t, store.DeviceSettings{ChallengeRequiredOnNewDevice: true})
	ch, err := e.password(t, "alice", "")
	if err != nil {
		t.Fatal(err)
	}
	dev, _ := e.confirm(t, tokensIn(t)(e.emailCode(t, ch, "alice")), "")

	ch, err = e.password(t, "alice", dev.key)
	if err != nil {
		t.Fatal(err)
	}
	wantChallengeName(t, ch, signin.DeviceSRPAuth)
	c, err := cognitosrp.NewDeviceClient(dev.groupKey, dev.key, dev.secret.Password)
	if err != nil {
		t.Fatal(err)
	}
	responses := c.AuthResponses("alice")
	for _, k := range []string{"USERNAME", "DEVICE_KEY", "SRP_A"} {
		partial := map[string]string{}
		for kk, v := range responses {
			if kk != k {
				partial[kk] = v
			}
		}
		_, err := e.respond(t, signin.DeviceSRPAuth, ch.Session, partial)
		wantDeviceError(t, err, apierr.InvalidParameter, "Missing required parameter "+k)
	}
	other := map[string]string{"USERNAME": "alice", "DEVICE_KEY": "eu-west-2_00000000-0000-4000-a000-000000000000", "SRP_A": c.PublicA()}
	_, err = e.respond(t, signin.DeviceSRPAuth, ch.Session, other)
	wantDeviceError(t, err, apierr.ResourceNotFound, "Device does not exist.")
	// The session of one step does not open as another's.
	_, err = e.respond(t, signin.DevicePasswordVerifier, ch.Session, map[string]string{"USERNAME": "alice", "DEVICE_KEY": dev.key,
		"PASSWORD_CLAIM_SECRET_BLOCK": ch.Session, "PASSWORD_CLAIM_SIGNATURE": "c2ln", "TIMESTAMP": "Tue Nov 3 09:04:05 UTC 2026"})
	wantDeviceError(t, err, apierr.NotAuthorized, "Invalid session for the user.")

	verifier, err := e.respond(t, signin.DeviceSRPAuth, ch.Session, responses)
	if err != nil {
		t.Fatal(err)
	}
	answer, err := c.ChallengeResponses("alice", verifier.Parameters, e.clock())
	if err != nil {
		t.Fatal(err)
	}
	stale := map[string]string{}
	for k, v := range answer {
		stale[k] = v
	}
	stale["TIMESTAMP"] = "Tuesday"
	_, err = e.respond(t, signin.DevicePasswordVerifier, "", stale)
	wantDeviceError(t, err, apierr.InvalidParameter, "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.")
	tok := tokensIn(t)(e.respond(t, signin.DevicePasswordVerifier, "", answer))
	if tok.RefreshToken == "" {
		t.Fatal("no refresh token")
	}
	// The last step replayed is refused, like every sign-in's.
	_, err = e.respond(t, signin.DevicePasswordVerifier, "", answer)
	wantDeviceError(t, err, apierr.NotAuthorized, "")
	// The state expires with the client's session validity.
	ch, err = e.password(t, "alice", dev.key)
	if err != nil {
		t.Fatal(err)
	}
	e.advance(4 * time.Minute)
	_, err = e.respond(t, signin.DeviceSRPAuth, ch.Session, c.AuthResponses("alice"))
	wantDeviceError(t, err, apierr.NotAuthorized, "Invalid session for the user, session is expired.")
}

// TestDevicesNotTracked: in a pool that does not track devices, sign-ins
// get no device key, a DEVICE_KEY is ignored and ConfirmDevice is refused.
func TestDevicesNotTracked(t *testing.T) {
	ctx := t.Context()
	e := newDeviceEnv(t, store.DeviceSettings{ChallengeRequiredOnNewDevice: true})
	ch, err := e.password(t, "alice", "")
	if err != nil {
		t.Fatal(err)
	}
	tok := tokensIn(t)(e.emailCode(t, ch, "alice"))
	dev, _ := e.confirm(t, tok, "")

	if _, err := e.svc.UpdatePool(ctx, e.poolID, userpool.PoolInput{Name: "devices"}); err != nil {
		t.Fatal(err)
	}
	p, err := e.svc.Pool(ctx, e.poolID)
	if err != nil || userpool.DeviceSettingsOf(p) != nil {
		t.Fatalf("pool after UpdatePool without DeviceConfiguration: %+v, %v", p.Settings.Devices, err)
	}
	ch, err = e.password(t, "alice", dev.key)
	if err != nil {
		t.Fatal(err)
	}
	plain := tokensIn(t)(e.emailCode(t, ch, "alice"))
	if plain.NewDevice != nil || accessDeviceKey(t, plain.AccessToken) != "" {
		t.Fatalf("tokens in a pool without device tracking: %+v", plain)
	}
	// Refresh tokens bound to a device no longer need it.
	tokensIn(t)(e.refresh(t, tok, ""))
	_, err = e.svc.ConfirmDevice(ctx, userpool.ConfirmDeviceInput{AccessToken: tok.AccessToken, DeviceKey: dev.key,
		Verifier: &userpool.DeviceVerifierConfig{PasswordVerifier: dev.secret.PasswordVerifier, Salt: dev.secret.Salt}})
	wantDeviceError(t, err, apierr.InvalidUserPoolConfiguration, "")
}

func TestDeviceGroupKeyPerUser(t *testing.T) {
	e := newDeviceEnv(t, store.DeviceSettings{})
	keys := map[string][]string{}
	for _, name := range []string{"alice", "alice", "bob"} {
		ch, err := e.password(t, name, "")
		if err != nil {
			t.Fatal(err)
		}
		nd := tokensIn(t)(e.emailCode(t, ch, name)).NewDevice
		keys[name] = append(keys[name], nd.GroupKey, nd.Key)
	}
	a, b := keys["alice"], keys["bob"]
	if a[0] != a[2] || a[0] == b[0] || a[1] == a[3] {
		t.Fatalf("group and device keys %v: want one group key per user and a device key per sign-in", keys)
	}
}
