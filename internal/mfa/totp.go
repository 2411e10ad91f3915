package mfa

import (
	"crypto/subtle"
	"encoding/base32"
	"io"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
)

// TOTP authenticators as Cognito runs them: RFC 6238 with HMAC-SHA1, six
// digits and 30-second steps; a code is accepted one step early or late, for
// the clocks of phones.
const (
	totpPeriod = 30
	totpSkew   = 1
	// totpSeedSize makes SecretCode 52 base32 characters, as Cognito's are.
	totpSeedSize = 32
)

var totpOpts = hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// NewTOTPSeed draws a new authenticator seed.
func NewTOTPSeed(r io.Reader) ([]byte, error) {
	seed := make([]byte, totpSeedSize)
	if _, err := io.ReadFull(r, seed); err != nil {
		return nil, err
	}
	return seed, nil
}

// SecretCode renders a seed as Cognito's SecretCode: unpadded base32, the
// form authenticator apps take.
func SecretCode(seed []byte) string {
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(seed)
}

// TOTPStep is the time step of an instant.
func TOTPStep(t time.Time) int64 { return t.Unix() / totpPeriod }

// TOTPCode is the code of seed for a time step.
func TOTPCode(seed []byte, step int64) string {
	code, err := hotp.GenerateCodeCustom(SecretCode(seed), uint64(step), totpOpts)
	if err != nil {
		panic(err) // secretCode always encodes valid base32
	}
	return code
}

// MatchTOTP checks code against seed at now and returns the time step it is
// the code of. Every step within the skew is compared, in constant time, so
// that the timing tells nothing of which matched.
func MatchTOTP(seed []byte, code string, now time.Time) (step int64, ok bool) {
	if len(code) != int(otp.DigitsSix) {
		return 0, false
	}
	cur := TOTPStep(now)
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		if subtle.ConstantTimeCompare([]byte(TOTPCode(seed, cur+d)), []byte(code)) == 1 {
			step, ok = cur+d, true
		}
	}
	return step, ok
}

// ErrTOTPMismatch refuses a code that does not verify a new authenticator.
var ErrTOTPMismatch = apierr.New(apierr.EnableSoftwareTokenMFA, "Code mismatch and fail enable Software Token MFA")

// Register makes a the user's authenticator (in place) if code is one of
// its codes at now, recording the code's step so that it is not used
// again; a authenticator waiting to be verified goes.
func Register(u *store.User, a store.TOTPAuthenticator, code, friendlyName string, now time.Time) error {
	step, ok := MatchTOTP(a.Secret, code, now)
	if !ok {
		return ErrTOTPMismatch
	}
	a.LastStep, a.FriendlyName = step, friendlyName
	m := store.UserMFA{}
	if u.MFA != nil {
		m = *u.MFA
	}
	m.TOTP, m.PendingTOTP = &a, nil
	u.MFA = &m
	return nil
}
