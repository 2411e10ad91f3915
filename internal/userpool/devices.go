package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/requestctx"
	"github.com/cognate-auth/cognate/internal/srp"
	"github.com/cognate-auth/cognate/internal/store"
)

// Remembered devices. A pool with DeviceSettings tracks devices: a sign-in
// that presents no device ends with NewDeviceMetadata, a new device key and
// the user's device group key, and is bound to that key (its access token's
// device_key claim, its refresh token). With ConfirmDevice the client then
// registers the device's SRP verifier, computed from a random device
// password; the device is remembered at once, or, with
// DeviceOnlyRememberedOnUserPrompt, once UpdateDeviceStatus says so. A later
// sign-in that presents the device's key authenticates the device with SRP
// after the password (devicesignin.go), and skips MFA when the device is
// remembered and the pool lets remembered devices do so
// (ChallengeRequiredOnNewDevice).
//
// Device keys need no server state before ConfirmDevice: ConfirmDevice takes
// only the key that the caller's access token is bound to, which the token's
// signature vouches for. Group keys are derived from the user, so the server
// knows the one a verifier was computed with without having kept it.

// DeviceStatus values, as UpdateDeviceStatus and the device_status
// attribute spell them.
const (
	DeviceRemembered    = "remembered"
	DeviceNotRemembered = "not_remembered"
)

// maxDevicesPage is the largest page of ListDevices and AdminListDevices
// (the model's limit), and the page size when none is asked for.
const maxDevicesPage = 60

var errDeviceNotFound = apierr.New(apierr.ResourceNotFound, "Device does not exist.")

// DeviceSettingsOf returns how a pool treats devices; nil when it does not
// track them. Pools written before DeviceSettings existed kept their
// DeviceConfiguration among the stored members, where it is read from. As
// in Cognito, a DeviceConfiguration with any member set turns tracking on.
func DeviceSettingsOf(p store.Pool) *store.DeviceSettings {
	if p.Settings.Devices != nil {
		return p.Settings.Devices
	}
	raw, ok := p.Settings.Stored["DeviceConfiguration"]
	if !ok {
		return nil
	}
	var c struct{ ChallengeRequiredOnNewDevice, DeviceOnlyRememberedOnUserPrompt *bool }
	if json.Unmarshal(raw, &c) != nil || (c.ChallengeRequiredOnNewDevice == nil && c.DeviceOnlyRememberedOnUserPrompt == nil) {
		return nil
	}
	return &store.DeviceSettings{ChallengeRequiredOnNewDevice: c.ChallengeRequiredOnNewDevice != nil && *c.ChallengeRequiredOnNewDevice,
		DeviceOnlyRememberedOnUserPrompt: c.DeviceOnlyRememberedOnUserPrompt != nil && *c.DeviceOnlyRememberedOnUserPrompt}
}

// NewDeviceMetadata names the device a sign-in was bound to when it
// presented none.
type NewDeviceMetadata struct {
	DeviceKey      string
	DeviceGroupKey string
}

// newDeviceKey returns "<region>_<uuid>", Cognito's form of device keys.
func (s *Service) newDeviceKey(poolID string) string {
	return poolRegion(poolID) + "_" + s.newUUID()
}

// deviceGroupKey is the device group key of a user's devices: "-" and eight
// alphanumerics like Cognito's, the same for every device of the user.
func (s *Service) deviceGroupKey(poolID, sub string) string {
	m := hmac.New(sha256.New, s.deviceKey)
	m.Write([]byte(poolID + "\x00" + sub))
	sum := m.Sum(nil)
	var b strings.Builder
	b.WriteByte('-')
	for _, c := range sum[:8] {
		b.WriteByte(mixedAlnum[int(c)%len(mixedAlnum)])
	}
	return b.String()
}

// DeviceVerifierConfig is ConfirmDevice's DeviceSecretVerifierConfig: the
// salt and verifier, each in base64, as the client computed them.
type DeviceVerifierConfig struct {
	PasswordVerifier string
	Salt             string
}

// maxDeviceSalt bounds the salt of a device verifier, in bytes: clients
// draw 16.
const maxDeviceSalt = 256

// parseDeviceVerifier decodes and checks a device's verifier configuration.
func parseDeviceVerifier(c *DeviceVerifierConfig) (store.PasswordVerifier, error) {
	if c == nil || c.PasswordVerifier == "" || c.Salt == "" {
		return store.PasswordVerifier{}, apierr.New(apierr.InvalidParameter, "DeviceSecretVerifierConfig must have a PasswordVerifier and a Salt.")
	}
	salt, err := base64.StdEncoding.DecodeString(c.Salt)
	if err != nil || len(salt) == 0 || len(salt) > maxDeviceSalt {
		return store.PasswordVerifier{}, apierr.New(apierr.InvalidParameter, "Invalid Salt in DeviceSecretVerifierConfig.")
	}
	raw, err := base64.StdEncoding.DecodeString(c.PasswordVerifier)
	if err != nil {
		return store.PasswordVerifier{}, apierr.New(apierr.InvalidParameter, "Invalid PasswordVerifier in DeviceSecretVerifierConfig.")
	}
	v, err := srp.ParseVerifier(raw)
	if err != nil {
		return store.PasswordVerifier{}, apierr.New(apierr.InvalidParameter, "Invalid PasswordVerifier in DeviceSecretVerifierConfig.")
	}
	return store.PasswordVerifier{Salt: salt, Verifier: v}, nil
}

// ConfirmDeviceInput is a ConfirmDevice request.
type ConfirmDeviceInput struct {
	AccessToken string
	DeviceKey   string
	Verifier    *DeviceVerifierConfig
	DeviceName  string
}

// ConfirmDevice registers the device the caller's sign-in was bound to,
// with its SRP verifier. It reports whether the user must be asked to
// remember it (DeviceOnlyRememberedOnUserPrompt), in which case it starts
// not remembered.
func (s *Service) ConfirmDevice(ctx context.Context, in ConfirmDeviceInput) (userConfirmationNecessary bool, err error) {
	caller, err := s.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return false, err
	}
	cfg := DeviceSettingsOf(caller.Pool)
	if cfg == nil {
		return false, apierr.New(apierr.InvalidUserPoolConfiguration, "Device tracking is not enabled for this user pool.")
	}
	// The token's signature vouches for the key it is bound to; any other
	// key was not issued to this sign-in.
	if in.DeviceKey != caller.Claims.DeviceKey {
		return false, errDeviceNotFound
	}
	verifier, err := parseDeviceVerifier(in.Verifier)
	if err != nil {
		return false, err
	}
	now := s.clock()
	d := store.Device{
		PoolID: caller.Pool.ID, Key: in.DeviceKey, Sub: caller.User.Sub, GroupKey: s.deviceGroupKey(caller.Pool.ID, caller.User.Sub),
		Name: in.DeviceName, Verifier: verifier, Remembered: !cfg.DeviceOnlyRememberedOnUserPrompt, LastIP: requestctx.ClientIP(ctx),
		CreatedAt: now, UpdatedAt: now, LastAuthenticatedAt: now.Truncate(1e9),
	}
	switch err := s.store.CreateDevice(ctx, d); {
	case err == nil:
		return cfg.DeviceOnlyRememberedOnUserPrompt, nil
	case isAlreadyExists(err):
		return false, apierr.New(apierr.DeviceKeyExists, "Device key already exists.")
	case isNotFound(err):
		return false, errUserNotFound
	default:
		return false, apierr.Internal(err)
	}
}

// Device is a device with its owner's username, which its attributes name.
type Device struct {
	store.Device
	Username string
}

// deviceOf loads a device of u; another user's device is not found. A user
// sees only remembered devices, an administrator every one.
func (s *Service) deviceOf(ctx context.Context, u store.User, key string, rememberedOnly bool) (store.Device, error) {
	d, err := s.store.GetDevice(ctx, u.PoolID, key)
	if isNotFound(err) || (err == nil && (d.Sub != u.Sub || (rememberedOnly && !d.Remembered))) {
		return store.Device{}, errDeviceNotFound
	}
	if err != nil {
		return store.Device{}, apierr.Internal(err)
	}
	return d, nil
}

// GetDevice returns one of the caller's remembered devices. A device that
// is not remembered is not found, as in Cognito (AdminGetDevice finds it).
func (s *Service) GetDevice(ctx context.Context, token, key string) (Device, error) {
	caller, err := s.authenticate(ctx, token)
	if err != nil {
		return Device{}, err
	}
	d, err := s.deviceOf(ctx, caller.User, key, true)
	return Device{d, caller.User.Username}, err
}

// AdminGetDevice returns one of a user's devices, remembered or not.
func (s *Service) AdminGetDevice(ctx context.Context, poolID, username, key string) (Device, error) {
	_, u, err := s.userByName(ctx, poolID, username)
	if err != nil {
		return Device{}, err
	}
	d, err := s.deviceOf(ctx, u, key, false)
	return Device{d, u.Username}, err
}

// ListDevices lists the caller's remembered devices by device key, a page
// of limit (60 when 0) after the one the pagination token ends.
func (s *Service) ListDevices(ctx context.Context, token string, limit int, after string) ([]Device, string, error) {
	caller, err := s.authenticate(ctx, token)
	if err != nil {
		return nil, "", err
	}
	return s.listDevices(ctx, caller.User, true, limit, after)
}

// AdminListDevices lists a user's devices, remembered or not, as
// ListDevices does.
func (s *Service) AdminListDevices(ctx context.Context, poolID, username string, limit int, after string) ([]Device, string, error) {
	_, u, err := s.userByName(ctx, poolID, username)
	if err != nil {
		return nil, "", err
	}
	return s.listDevices(ctx, u, false, limit, after)
}

func (s *Service) listDevices(ctx context.Context, u store.User, rememberedOnly bool, limit int, after string) ([]Device, string, error) {
	if limit <= 0 || limit > maxDevicesPage {
		limit = maxDevicesPage
	}
	ds, err := s.store.ListDevices(ctx, u.PoolID, u.Sub, rememberedOnly, after, limit+1)
	if err != nil {
		return nil, "", apierr.Internal(err)
	}
	next := ""
	if len(ds) > limit {
		ds, next = ds[:limit], ds[limit-1].Key
	}
	out := make([]Device, len(ds))
	for i, d := range ds {
		out[i] = Device{d, u.Username}
	}
	return out, next, nil
}

// UpdateDeviceStatus marks one of the caller's devices remembered or not
// remembered.
func (s *Service) UpdateDeviceStatus(ctx context.Context, token, key, status string) error {
	caller, err := s.authenticate(ctx, token)
	if err != nil {
		return err
	}
	return s.setDeviceStatus(ctx, caller.User, key, status)
}

// AdminUpdateDeviceStatus is UpdateDeviceStatus for a user an
// administrator names.
func (s *Service) AdminUpdateDeviceStatus(ctx context.Context, poolID, username, key, status string) error {
	_, u, err := s.userByName(ctx, poolID, username)
	if err != nil {
		return err
	}
	return s.setDeviceStatus(ctx, u, key, status)
}

func (s *Service) setDeviceStatus(ctx context.Context, u store.User, key, status string) error {
	if status != DeviceRemembered && status != DeviceNotRemembered {
		return apierr.New(apierr.InvalidParameter, "DeviceRememberedStatus must be remembered or not_remembered.")
	}
	if _, err := s.deviceOf(ctx, u, key, false); err != nil {
		return err
	}
	_, err := s.store.UpdateDevice(ctx, u.PoolID, key, func(d store.Device) (store.Device, error) {
		d.Remembered, d.UpdatedAt = status == DeviceRemembered, s.clock()
		return d, nil
	})
	if isNotFound(err) {
		return errDeviceNotFound
	}
	if err != nil {
		return apierr.Internal(err)
	}
	return nil
}

// ForgetDevice deletes one of the caller's devices: it no longer skips
// MFA, signing in with its key fails until the client drops it, and the
// refresh tokens of sign-ins bound to it stop working.
func (s *Service) ForgetDevice(ctx context.Context, token, key string) error {
	caller, err := s.authenticate(ctx, token)
	if err != nil {
		return err
	}
	return s.forgetDevice(ctx, caller.User, key)
}

// AdminForgetDevice is ForgetDevice for a user an administrator names.
func (s *Service) AdminForgetDevice(ctx context.Context, poolID, username, key string) error {
	_, u, err := s.userByName(ctx, poolID, username)
	if err != nil {
		return err
	}
	return s.forgetDevice(ctx, u, key)
}

func (s *Service) forgetDevice(ctx context.Context, u store.User, key string) error {
	if _, err := s.deviceOf(ctx, u, key, false); err != nil {
		return err
	}
	err := s.store.DeleteDevice(ctx, u.PoolID, key)
	if isNotFound(err) {
		return errDeviceNotFound
	}
	if err != nil {
		return apierr.Internal(err)
	}
	return nil
}
