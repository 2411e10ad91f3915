package srp

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// TimestampLayout is the TIMESTAMP format of a PASSWORD_VERIFIER answer, in
// UTC with the day of the month not zero-padded: "Tue Nov 3 09:04:05 UTC
// 2026". It is Java's "EEE MMM d HH:mm:ss z yyyy" in English, which Cognito
// names in its InvalidParameterException.
const TimestampLayout = "Mon Jan 2 15:04:05 UTC 2006"

// TimestampTolerance is how far a TIMESTAMP may lie from the server's clock,
// either way. Cognito documents no value; five minutes is the skew AWS allows
// for SigV4 and what users report before sign-in breaks on a wrong clock.
const TimestampTolerance = 5 * time.Minute

var (
	// ErrTimestampFormat is returned for a TIMESTAMP not in TimestampLayout.
	ErrTimestampFormat = errors.New("srp: TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english")
	// ErrTimestampSkew is returned for a TIMESTAMP further than
	// TimestampTolerance from now.
	ErrTimestampSkew = errors.New("srp: TIMESTAMP too far from the current time")
)

// FormatTimestamp writes t in UTC as the JS clients do.
func FormatTimestamp(t time.Time) string {
	return t.UTC().Format(TimestampLayout)
}

// ParseTimestamp parses a TIMESTAMP, in UTC. Like a lenient Java date
// parser it accepts more than the canonical form: the day or hour with a
// leading zero or without, English names in any case, runs of spaces. It
// does require the weekday to match the date. VerifyClaim signs the
// canonical form, so only what FormatTimestamp writes ever verifies.
func ParseTimestamp(s string) (time.Time, error) {
	t, err := time.Parse(TimestampLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %q", ErrTimestampFormat, s)
	}
	if !strings.EqualFold(s[:3], t.Weekday().String()[:3]) {
		return time.Time{}, fmt.Errorf("%w: %q is not a %s", ErrTimestampFormat, s, s[:3])
	}
	return t, nil
}

// CheckTimestamp parses a TIMESTAMP and checks that it is within
// TimestampTolerance of now.
func CheckTimestamp(s string, now time.Time) (time.Time, error) {
	t, err := ParseTimestamp(s)
	if err != nil {
		return time.Time{}, err
	}
	if d := now.Sub(t); d > TimestampTolerance || d < -TimestampTolerance {
		return time.Time{}, fmt.Errorf("%w: %q is %v from now", ErrTimestampSkew, s, d.Round(time.Second))
	}
	return t, nil
}
