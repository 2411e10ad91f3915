package cognitosrp

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"math/big"
	"time"
)

// Remembered devices. When a pool tracks devices, a sign-in that presents no
// device ends with NewDeviceMetadata: a DeviceKey ("us-east-1_<uuid>") and a
// DeviceGroupKey. The client then draws a random device password and a salt
// and registers an SRP verifier with ConfirmDevice, computed as a user's is
// with the DeviceGroupKey in the pool name's place and the DeviceKey as the
// user id:
//
//	x = H(salt | H(DeviceGroupKey | DeviceKey | ":" | devicePassword)),  v = g^x
//
// A later sign-in that sends DEVICE_KEY gets a DEVICE_SRP_AUTH challenge,
// answered with a new SRP_A; the DEVICE_PASSWORD_VERIFIER challenge that
// follows is answered as PASSWORD_VERIFIER is, the claim signed over
// DeviceGroupKey | DeviceKey | SECRET_BLOCK | TIMESTAMP.

// Sizes of what NewDeviceSecret draws, as the JS clients draw them.
const (
	DevicePasswordSize = 40
	DeviceSaltSize     = 16
)

// DeviceSecret is a device's SRP secret and the verifier registered for it.
type DeviceSecret struct {
	// Password is the device password: DevicePasswordSize random bytes in
	// standard base64. The client keeps it with the device and group keys.
	Password string
	// Salt and PasswordVerifier are ConfirmDevice's
	// DeviceSecretVerifierConfig: the salt and v, each as the bytes the JS
	// clients hash it as (see padHex), in standard base64.
	Salt, PasswordVerifier string
}

// NewDeviceSecret draws a device password and salt for the device that a
// sign-in's NewDeviceMetadata named, and computes the verifier to send in
// ConfirmDevice.
func NewDeviceSecret(deviceGroupKey, deviceKey string, opts ...Option) (DeviceSecret, error) {
	o := options{random: rand.Reader}
	for _, opt := range opts {
		opt(&o)
	}
	pw := make([]byte, DevicePasswordSize)
	salt := make([]byte, DeviceSaltSize)
	if _, err := io.ReadFull(o.random, pw); err != nil {
		return DeviceSecret{}, fmt.Errorf("cognitosrp: drawing the device password: %w", err)
	}
	if _, err := io.ReadFull(o.random, salt); err != nil {
		return DeviceSecret{}, fmt.Errorf("cognitosrp: drawing the device salt: %w", err)
	}
	password := base64.StdEncoding.EncodeToString(pw)
	s := new(big.Int).SetBytes(salt)
	c := &Client{poolName: deviceGroupKey, password: password}
	v := new(big.Int).Exp(g, c.privateKey(deviceKey, s), n)
	return DeviceSecret{
		Password:         password,
		Salt:             base64.StdEncoding.EncodeToString(padHex(s)),
		PasswordVerifier: base64.StdEncoding.EncodeToString(padHex(v)),
	}, nil
}

// DeviceClient is one device sign-in attempt: the DEVICE_SRP_AUTH and
// DEVICE_PASSWORD_VERIFIER steps that follow the user's password (and MFA,
// when the device does not skip it). Make a new one for every attempt.
type DeviceClient struct {
	c         *Client
	deviceKey string
}

// NewDeviceClient draws the ephemeral secret a of a device sign-in and
// computes A, for the device with the given keys and password.
func NewDeviceClient(deviceGroupKey, deviceKey, devicePassword string, opts ...Option) (*DeviceClient, error) {
	o := options{random: rand.Reader}
	for _, opt := range opts {
		opt(&o)
	}
	c, err := newClient(deviceGroupKey, deviceKey, devicePassword, o.random)
	if err != nil {
		return nil, err
	}
	return &DeviceClient{c: c, deviceKey: deviceKey}, nil
}

// PublicA is SRP_A: A in lowercase hex without leading zeros.
func (d *DeviceClient) PublicA() string { return d.c.PublicA() }

// AuthResponses are the ChallengeResponses of DEVICE_SRP_AUTH: USERNAME
// (the user's, as the sign-in knows it), DEVICE_KEY and SRP_A. Add
// SECRET_HASH as the app client needs.
func (d *DeviceClient) AuthResponses(username string) map[string]string {
	return map[string]string{"USERNAME": username, "DEVICE_KEY": d.deviceKey, "SRP_A": d.PublicA()}
}

// ChallengeResponses answers a DEVICE_PASSWORD_VERIFIER challenge given its
// ChallengeParameters (SALT, SRP_B, SECRET_BLOCK and, when the server sends
// it, USERNAME, which then replaces username), with the ChallengeResponses
// the JS clients send: USERNAME, DEVICE_KEY, PASSWORD_CLAIM_SECRET_BLOCK,
// PASSWORD_CLAIM_SIGNATURE and TIMESTAMP.
func (d *DeviceClient) ChallengeResponses(username string, params map[string]string, now time.Time) (map[string]string, error) {
	sig, ts, err := d.c.ClaimSignature(d.deviceKey, params["SALT"], params["SRP_B"], params["SECRET_BLOCK"], now)
	if err != nil {
		return nil, err
	}
	if u := params["USERNAME"]; u != "" {
		username = u
	}
	return map[string]string{
		"USERNAME":                    username,
		"DEVICE_KEY":                  d.deviceKey,
		"PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
		"PASSWORD_CLAIM_SIGNATURE":    sig,
		"TIMESTAMP":                   ts,
	}, nil
}
