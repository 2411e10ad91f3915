package userpool

import (
	"context"
	"encoding/base64"
	"errors"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/requestctx"
	"github.com/cognate-auth/cognate/internal/srp"
	"github.com/cognate-auth/cognate/internal/store"
)

// Signing in with a device, as Cognito and its JS clients run it. The
// client sends DEVICE_KEY with InitiateAuth or with its PASSWORD_VERIFIER
// answer. Once the password (and any new password) passed:
//
//   - a key that is not one of the user's devices is ResourceNotFoundException
//     "Device does not exist.", on which amazon-cognito-identity-js and
//     Amplify drop the key and sign in again without it;
//   - a remembered device, in a pool that lets remembered devices skip MFA,
//     skips it; any other device gets the MFA the pool and the user call
//     for first;
//   - then the device authenticates: DEVICE_SRP_AUTH (the client sends a new
//     SRP_A), DEVICE_PASSWORD_VERIFIER (SRP_B, SALT, SECRET_BLOCK; the
//     client's PASSWORD_CLAIM_SIGNATURE is checked against the device's
//     verifier), and tokens bound to the device, without NewDeviceMetadata.
//
// A sign-in without a device ends, in a pool that tracks devices, with
// NewDeviceMetadata (endSignIn). Each step's state travels sealed, as the
// other challenges' do, carrying the sign-in's nonce and device key.

// Device challenges.
const (
	ChallengeDeviceSRP      = "DEVICE_SRP_AUTH"
	ChallengeDevicePassword = "DEVICE_PASSWORD_VERIFIER"
)

const (
	stepDeviceSRP      = "devsrp" // DEVICE_SRP_AUTH issued
	stepDevicePassword = "devpw"  // DEVICE_PASSWORD_VERIFIER issued, with A, b and B
)

// signInDevice finds the device a sign-in presented, once its password
// passed: nil when it presented none or the pool does not track devices.
func (s *Service) signInDevice(ctx context.Context, p store.Pool, u store.User, key string) (*store.Device, error) {
	if key == "" || DeviceSettingsOf(p) == nil {
		return nil, nil
	}
	d, err := s.deviceOf(ctx, u, key, false)
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// skipsMFA reports whether a sign-in with device d skips MFA: d is
// remembered, and the pool lets remembered devices replace MFA.
func skipsMFA(p store.Pool, d *store.Device) bool {
	cfg := DeviceSettingsOf(p)
	return d != nil && d.Remembered && cfg != nil && cfg.ChallengeRequiredOnNewDevice
}

func deviceKeyOf(d *store.Device) string {
	if d == nil {
		return ""
	}
	return d.Key
}

// deviceChallenge asks the device of a sign-in to authenticate.
func (s *Service) deviceChallenge(prev authState) AuthResult {
	st := s.nextState(stepDeviceSRP, prev)
	return AuthResult{ChallengeName: ChallengeDeviceSRP, Session: s.sealState(st),
		ChallengeParameters: map[string]string{"USERNAME": st.Username}}
}

// afterMFA ends a sign-in whose MFA passed: with the device's
// authentication when it presented a device, else with tokens.
func (s *Service) afterMFA(ctx context.Context, c store.Client, p store.Pool, u store.User, st authState) (AuthResult, error) {
	if st.Device != "" {
		return s.deviceChallenge(st), nil
	}
	return s.endSignIn(ctx, c, p, u, st.Nonce, "")
}

// endSignIn issues the tokens of a sign-in. One that authenticated a
// device is bound to it; one that presented none, in a pool that tracks
// devices, gets a new device key in NewDeviceMetadata and is bound to it.
func (s *Service) endSignIn(ctx context.Context, c store.Client, p store.Pool, u store.User, nonce []byte, deviceKey string) (AuthResult, error) {
	var nd *NewDeviceMetadata
	if deviceKey == "" && DeviceSettingsOf(p) != nil {
		nd = &NewDeviceMetadata{DeviceKey: s.newDeviceKey(p.ID), DeviceGroupKey: s.deviceGroupKey(p.ID, u.Sub)}
		deviceKey = nd.DeviceKey
	}
	t, err := s.issueTokens(ctx, p, c, u, s.clock(), originJTI(nonce), deviceKey)
	if err != nil {
		return AuthResult{}, err
	}
	t.NewDevice = nd
	return AuthResult{Tokens: &t}, nil
}

// openDeviceStep opens the state of a device step and checks the
// DEVICE_KEY the client sent against the sign-in's, and that the device is
// still the user's.
func (s *Service) openDeviceStep(ctx context.Context, c store.Client, p store.Pool, sealed, kind string, r map[string]string) (authState, store.User, store.Device, error) {
	st, u, err := s.openMFAStep(ctx, c, p, sealed, kind, r)
	if err != nil {
		return st, u, store.Device{}, err
	}
	if r["DEVICE_KEY"] != st.Device {
		return st, u, store.Device{}, errDeviceNotFound
	}
	d, err := s.deviceOf(ctx, u, st.Device, false)
	return st, u, d, err
}

// answerDeviceSRP answers DEVICE_SRP_AUTH with DEVICE_PASSWORD_VERIFIER: a
// fresh B for the device's verifier, the state sealed in SECRET_BLOCK as
// PASSWORD_VERIFIER's is.
func (s *Service) answerDeviceSRP(ctx context.Context, c store.Client, p store.Pool, in RespondInput) (AuthResult, error) {
	r := in.Responses
	for _, k := range []string{"USERNAME", "DEVICE_KEY", "SRP_A"} {
		if r[k] == "" {
			return AuthResult{}, missing(k)
		}
	}
	a, err := srp.ParsePublic(r["SRP_A"])
	if err != nil {
		return AuthResult{}, apierr.New(apierr.InvalidParameter, "Invalid SRP_A.")
	}
	st, u, d, err := s.openDeviceStep(ctx, c, p, in.Session, stepDeviceSRP, r)
	if err != nil {
		return AuthResult{}, err
	}
	ch, err := srp.NewChallenge(d.Verifier.Verifier)
	if err != nil {
		return AuthResult{}, apierr.Internal(err)
	}
	next := s.nextState(stepDevicePassword, st)
	next.A, next.SecretB, next.B = a, ch.Secret, ch.Public
	return AuthResult{
		ChallengeName: ChallengeDevicePassword,
		ChallengeParameters: map[string]string{
			"DEVICE_KEY":   d.Key,
			"SALT":         srp.HexInt(d.Verifier.Salt),
			"SECRET_BLOCK": s.sealState(next),
			"SRP_B":        srp.HexInt(ch.Public),
			"USERNAME":     u.Username,
		},
	}, nil
}

// answerDevicePassword checks DEVICE_PASSWORD_VERIFIER: the claim signed
// with the device's password, over its group key and key. A wrong one is
// refused like a wrong password, without counting against the user, whose
// password was right.
func (s *Service) answerDevicePassword(ctx context.Context, c store.Client, p store.Pool, in RespondInput) (AuthResult, error) {
	r := in.Responses
	for _, k := range []string{"USERNAME", "DEVICE_KEY", "PASSWORD_CLAIM_SECRET_BLOCK", "PASSWORD_CLAIM_SIGNATURE", "TIMESTAMP"} {
		if r[k] == "" {
			return AuthResult{}, missing(k)
		}
	}
	st, u, d, err := s.openDeviceStep(ctx, c, p, r["PASSWORD_CLAIM_SECRET_BLOCK"], stepDevicePassword, r)
	if err != nil {
		return AuthResult{}, err
	}
	if _, err := srp.CheckTimestamp(r["TIMESTAMP"], s.now()); errors.Is(err, srp.ErrTimestampFormat) {
		return AuthResult{}, apierr.New(apierr.InvalidParameter, "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.")
	} else if err != nil {
		return AuthResult{}, errBadCredentials
	}
	// openState decoded the same string, so this cannot fail.
	block, _ := base64.StdEncoding.DecodeString(r["PASSWORD_CLAIM_SECRET_BLOCK"])
	if !srp.VerifyClaim(srp.Claim{
		PoolName: d.GroupKey, UserID: d.Key,
		Verifier: d.Verifier.Verifier, ClientPublic: st.A, ServerSecret: st.SecretB, ServerPublic: st.B,
		SecretBlock: block, Timestamp: r["TIMESTAMP"], Signature: r["PASSWORD_CLAIM_SIGNATURE"],
	}) {
		return AuthResult{}, errBadCredentials
	}
	ip := requestctx.ClientIP(ctx)
	_, err = s.store.UpdateDevice(ctx, p.ID, d.Key, func(d store.Device) (store.Device, error) {
		d.LastAuthenticatedAt = s.clock().Truncate(1e9)
		if ip != "" {
			d.LastIP = ip
		}
		return d, nil
	})
	if isNotFound(err) {
		return AuthResult{}, errDeviceNotFound
	}
	if err != nil {
		return AuthResult{}, apierr.Internal(err)
	}
	return s.endSignIn(ctx, c, p, u, st.Nonce, d.Key)
}
