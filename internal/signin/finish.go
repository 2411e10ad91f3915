package signin

import (
	"context"
	"encoding/json"

	"github.com/google/uuid"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/triggers/events"
)

// After the password: the user's state, a new password when the password
// was temporary, then the MFA the pool and the user call for (mfa.go),
// then the device the sign-in presented (device.go), then tokens.

// afterPassword goes on with a sign-in whose password was checked (ok). A
// wrong password, and a decoy's, fail alike; only then does the user's
// state show, so that it tells nothing to whoever lacks the password.
// typed is the name the user signed in with, deviceKey the DEVICE_KEY it
// presented ("" for none).
func (e *Engine) afterPassword(ctx context.Context, a *attempt, s signer, ok bool, nonce []byte, typed, deviceKey string) (Result, error) {
	if !ok {
		return Result{}, errBadCredentials
	}
	u := s.user
	if !u.Enabled {
		return Result{}, errUserDisabled
	}
	switch u.Status {
	case store.StatusUnconfirmed:
		return Result{}, apierr.New(apierr.UserNotConfirmed, "User is not confirmed.")
	case store.StatusResetRequired:
		return Result{}, apierr.New(apierr.PasswordResetRequired, "Password reset required for the user")
	}
	dev, err := e.signInDevice(ctx, a.pool, u, deviceKey)
	if err != nil {
		return Result{}, err
	}
	st := state{PoolID: a.pool.ID, ClientID: a.client.ID, Sub: u.Sub, Username: u.Username, Typed: typed, Nonce: nonce,
		Minutes: a.client.Settings.AuthSessionValidity, Device: deviceKeyOf(dev)}
	if u.Status == store.StatusForceChangePassword {
		if !u.PasswordExpiresAt.IsZero() && e.now().After(u.PasswordExpiresAt) {
			return Result{}, apierr.New(apierr.NotAuthorized, "Temporary password has expired and must be reset by an administrator.")
		}
		return e.newPasswordChallenge(a, u, st), nil
	}
	return e.finish(ctx, a, u, st, dev)
}

// newPasswordChallenge asks a user with a temporary password for a new one.
// The sign-in keeps its nonce and device, for the MFA and the device
// authentication that may follow.
func (e *Engine) newPasswordChallenge(a *attempt, u store.User, prev state) Result {
	st := e.next(stepNewPassword, prev)
	attrs, required := e.dir.NewPasswordAttributes(a.pool, a.client, u)
	req := make([]string, 0, len(required))
	for _, name := range required {
		req = append(req, "userAttributes."+name)
	}
	attrJSON, _ := json.Marshal(attrs)
	reqJSON, _ := json.Marshal(req)
	return Result{
		Challenge: NewPasswordRequired,
		Session:   e.seal(st),
		Parameters: map[string]string{
			"USER_ID_FOR_SRP":    u.Username,
			"requiredAttributes": string(reqJSON),
			"userAttributes":     string(attrJSON),
		},
	}
}

// answerNewPassword answers NEW_PASSWORD_REQUIRED: the new password and any
// attributes are set, the user confirmed and signed in, through the MFA the
// pool and the user call for.
func (e *Engine) answerNewPassword(ctx context.Context, a *attempt) (Result, error) {
	u, err := e.user(ctx, a)
	if err != nil {
		return Result{}, err
	}
	attrs := map[string]string{}
	for k, v := range a.params {
		if name, ok := cutPrefix(k, "userAttributes."); ok {
			attrs[name] = v
		}
	}
	u, err = e.dir.SetNewPassword(ctx, a.pool, a.client, u, a.params["NEW_PASSWORD"], attrs)
	if err != nil {
		return Result{}, err
	}
	dev, err := e.signInDevice(ctx, a.pool, u, a.state.Device)
	if err != nil {
		return Result{}, err
	}
	st := a.state
	st.NewPassword = true
	return e.finish(ctx, a, u, st, dev)
}

func cutPrefix(s, prefix string) (string, bool) {
	if len(s) > len(prefix) && s[:len(prefix)] == prefix {
		return s[len(prefix):], true
	}
	return "", false
}

// user loads the user a sign-in under way is for, who must still be
// enabled. Past the password, a sign-in is a user's, never a decoy's.
func (e *Engine) user(ctx context.Context, a *attempt) (store.User, error) {
	u, found, err := e.dir.UserBySub(ctx, a.pool, a.state.Sub)
	if err != nil {
		return u, err
	}
	if !found {
		return u, errUserNotFound
	}
	if !u.Enabled {
		return u, errUserDisabled
	}
	if u.MFA == nil {
		u.MFA = &store.UserMFA{}
	}
	return u, nil
}

// finish ends a sign-in whose password passed: with the MFA challenge the
// pool and the user call for, unless the device skips it; then with the
// device's authentication when the sign-in presented one (dev), else with
// tokens.
func (e *Engine) finish(ctx context.Context, a *attempt, u store.User, st state, dev *store.Device) (Result, error) {
	st.Device = deviceKeyOf(dev)
	plan := planMFA(a.pool, u)
	if skipsMFA(a.pool, dev) {
		plan = mfaPlan{}
	}
	switch {
	case plan.Factor != "":
		return e.mfaChallenge(ctx, a, u, st, plan.Factor, false)
	case plan.Choose != nil:
		next := e.next(stepSelectMFA, st)
		next.Factors = plan.Choose
		return Result{Challenge: SelectMFAType, Session: e.seal(next),
			Parameters: map[string]string{"MFAS_CAN_CHOOSE": factorList(plan.Choose), "USER_ID_FOR_SRP": u.Username}}, nil
	case plan.Setup != nil:
		next := e.next(stepMFASetup, st)
		next.Factors = plan.Setup
		return Result{Challenge: MFASetup, Session: e.seal(next),
			Parameters: map[string]string{"MFAS_CAN_SETUP": factorList(plan.Setup), "USER_ID_FOR_SRP": u.Username}}, nil
	}
	return e.afterMFA(ctx, a, u, st)
}

// afterMFA ends a sign-in whose MFA passed (or that had none): with the
// device's authentication when it presented a device, else with tokens.
func (e *Engine) afterMFA(ctx context.Context, a *attempt, u store.User, st state) (Result, error) {
	if st.Device != "" {
		return e.deviceChallenge(st), nil
	}
	return e.endSignIn(ctx, a, u, st.Nonce, "")
}

// endSignIn issues the tokens of a sign-in: the one place every sign-in
// ends. One that authenticated a device is bound to it; one that presented
// none, in a pool that tracks devices, gets a new device key in
// NewDeviceMetadata and is bound to it.
func (e *Engine) endSignIn(ctx context.Context, a *attempt, u store.User, nonce []byte, deviceKey string) (Result, error) {
	var nd *NewDevice
	if deviceKey == "" && a.pool.Settings.Devices != nil {
		d := e.dir.NewDevice(a.pool, u)
		nd, deviceKey = &d, d.Key
	}
	// Before the tokens, so that a refusal leaves no session behind.
	if err := e.dir.PostAuthentication(ctx, a.pool, a.client, u, a.meta, nd != nil); err != nil {
		return Result{}, err
	}
	t, err := e.dir.IssueTokens(ctx, a.pool, a.client, u, e.clock(), originJTI(nonce), deviceKey, tokenSource(a), a.meta)
	if err != nil {
		return Result{}, err
	}
	t.NewDevice = nd
	return Result{Tokens: &t}, nil
}

// tokenSource is the pre token generation trigger's source for a sign-in
// ending: a device's authentication, the answer to NEW_PASSWORD_REQUIRED
// (or a later step of the sign-in that set the password), else a sign-in.
func tokenSource(a *attempt) events.PreTokenGenerationSource {
	switch {
	case a.state.Kind == stepDevicePassword:
		return events.TokenGenerationAuthenticateDevice
	case a.state.Kind == stepNewPassword || a.state.NewPassword:
		return events.TokenGenerationNewPasswordChallenge
	}
	return events.TokenGenerationAuthentication
}

// originJTI turns a sign-in's nonce into the origin_jti (a UUID) of the
// tokens it yields.
func originJTI(nonce []byte) string {
	u, err := uuid.FromBytes(nonce[:16])
	if err != nil {
		panic(err)
	}
	u[6] = (u[6] & 0x0f) | 0x40 // present it as a version 4 UUID
	u[8] = (u[8] & 0x3f) | 0x80
	return u.String()
}

// refresh runs REFRESH_TOKEN_AUTH.
func (e *Engine) refresh(ctx context.Context, a *attempt) (Result, error) {
	if a.client.Settings.RefreshTokenRotation {
		return Result{}, apierr.New(apierr.InvalidParameter,
			"REFRESH_TOKEN_AUTH is not allowed when refresh token rotation is enabled; use GetTokensFromRefreshToken.")
	}
	t, err := e.dir.Refresh(ctx, a.pool, a.client, a.params, a.meta)
	if err != nil {
		return Result{}, err
	}
	return Result{Tokens: &t}, nil
}
