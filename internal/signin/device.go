package signin

import (
	"context"
	"encoding/base64"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/srp"
	"github.com/cognate-auth/cognate/internal/store"
)

// Signing in with a remembered device, as Cognito and its JS clients run
// it. The client sends DEVICE_KEY with InitiateAuth or with its
// PASSWORD_VERIFIER answer. Once the password (and any new password)
// passed:
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
// The device's proof is a password proof like the user's: admitted by the
// guard, answered once, refused while the user is locked out.

// signInDevice finds the device a sign-in presented, once its password
// passed: nil when it presented none or the pool does not track devices.
func (e *Engine) signInDevice(ctx context.Context, p store.Pool, u store.User, key string) (*store.Device, error) {
	if key == "" || p.Settings.Devices == nil {
		return nil, nil
	}
	d, err := e.dir.Device(ctx, u, key)
	if err != nil {
		return nil, err
	}
	return &d, nil
}

func deviceKeyOf(d *store.Device) string {
	if d == nil {
		return ""
	}
	return d.Key
}

// deviceChallenge asks the device of a sign-in to authenticate.
func (e *Engine) deviceChallenge(prev state) Result {
	st := e.next(stepDeviceSRP, prev)
	return Result{Challenge: DeviceSRPAuth, Session: e.seal(st), Parameters: map[string]string{"USERNAME": st.Username}}
}

var errDeviceNotFound = apierr.New(apierr.ResourceNotFound, "Device does not exist.")

// device loads the user and the device of a device step, checking the
// DEVICE_KEY the client sent against the sign-in's.
func (e *Engine) device(ctx context.Context, a *attempt) (store.User, store.Device, error) {
	u, err := e.user(ctx, a)
	if err != nil {
		return u, store.Device{}, err
	}
	if a.params["DEVICE_KEY"] != a.state.Device {
		return u, store.Device{}, errDeviceNotFound
	}
	d, err := e.dir.Device(ctx, u, a.state.Device)
	return u, d, err
}

// answerDeviceSRP answers DEVICE_SRP_AUTH with DEVICE_PASSWORD_VERIFIER: a
// fresh B for the device's verifier, the state sealed in SECRET_BLOCK as
// PASSWORD_VERIFIER's is.
func (e *Engine) answerDeviceSRP(ctx context.Context, a *attempt) (Result, error) {
	A, err := srp.ParsePublic(a.params["SRP_A"])
	if err != nil {
		return Result{}, apierr.New(apierr.InvalidParameter, "Invalid SRP_A.")
	}
	u, d, err := e.device(ctx, a)
	if err != nil {
		return Result{}, err
	}
	ch, err := srp.NewChallenge(d.Verifier.Verifier)
	if err != nil {
		return Result{}, apierr.Internal(err)
	}
	next := e.next(stepDevicePassword, a.state)
	next.A, next.SecretB, next.B = A, ch.Secret, ch.Public
	return Result{
		Challenge: DevicePasswordVerifier,
		Parameters: map[string]string{
			"DEVICE_KEY":   d.Key,
			"SALT":         srp.HexInt(d.Verifier.Salt),
			"SECRET_BLOCK": e.seal(next),
			"SRP_B":        srp.HexInt(ch.Public),
			"USERNAME":     u.Username,
		},
	}, nil
}

// answerDevicePassword checks DEVICE_PASSWORD_VERIFIER: the claim signed
// with the device's password, over its group key and key.
func (e *Engine) answerDevicePassword(ctx context.Context, a *attempt) (Result, error) {
	r, st := a.params, a.state
	u, d, err := e.device(ctx, a)
	if err != nil {
		return Result{}, err
	}
	if err := e.checkTimestamp(r["TIMESTAMP"]); err != nil {
		return Result{}, err
	}
	// open decoded the same string, so this cannot fail.
	block, _ := base64.StdEncoding.DecodeString(r["PASSWORD_CLAIM_SECRET_BLOCK"])
	s := userSigner(u)
	ok, err := e.prove(ctx, a, s, e.claimOf(st), func() bool {
		return srp.VerifyClaim(srp.Claim{
			PoolName: d.GroupKey, UserID: d.Key,
			Verifier: d.Verifier.Verifier, ClientPublic: st.A, ServerSecret: st.SecretB, ServerPublic: st.B,
			SecretBlock: block, Timestamp: r["TIMESTAMP"], Signature: r["PASSWORD_CLAIM_SIGNATURE"],
		})
	})
	if err != nil {
		return Result{}, err
	}
	if !ok {
		return Result{}, errBadCredentials
	}
	if err := e.dir.DeviceAuthenticated(ctx, a.pool, d.Key); err != nil {
		return Result{}, err
	}
	return e.endSignIn(ctx, a, u, st.Nonce, d.Key)
}
