package awsjson

import (
	"errors"
	"math"
	"strconv"
	"time"
)

// Timestamp is an AWS JSON timestamp: a JSON number of seconds since the Unix
// epoch. It is written with millisecond precision, the precision Cognito
// uses ("1700000000.123"), and read from any JSON number, fractional or in
// exponent form. A zero Timestamp is omitted by `json:",omitzero"` members.
type Timestamp struct{ time.Time }

// TimestampOf returns t as a Timestamp.
func TimestampOf(t time.Time) Timestamp { return Timestamp{t} }

// maxEpochSeconds bounds decoded timestamps to the years 0000 to 9999, so that
// absurd inputs fail cleanly instead of overflowing time arithmetic.
const maxEpochSeconds = 253402300799

// errTimestamp is returned for a timestamp member that is not a number.
var errTimestamp = errors.New("awsjson: timestamp is not a number of epoch seconds")

// MarshalJSON writes t as epoch seconds with up to three decimals.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	ms := t.UnixMilli()
	var b []byte
	if ms < 0 {
		b = append(b, '-')
		ms = -ms
	}
	b = strconv.AppendInt(b, ms/1000, 10)
	if frac := ms % 1000; frac != 0 {
		digits := []byte{'.', byte('0' + frac/100), byte('0' + frac/10%10), byte('0' + frac%10)}
		for digits[len(digits)-1] == '0' {
			digits = digits[:len(digits)-1]
		}
		b = append(b, digits...)
	}
	return b, nil
}

// UnmarshalJSON reads a JSON number of epoch seconds; null leaves t unchanged.
func (t *Timestamp) UnmarshalJSON(data []byte) error {
	s := string(data)
	if s == "null" {
		return nil
	}
	if !isJSONNumber(s) {
		return errTimestamp
	}
	for i := 0; i < len(s); i++ {
		if s[i] == 'e' || s[i] == 'E' {
			return t.setFloat(s)
		}
	}
	return t.setDecimal(s)
}

// setDecimal parses a number without exponent exactly, to the nanosecond.
func (t *Timestamp) setDecimal(s string) error {
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	whole, frac := s, ""
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			whole, frac = s[:i], s[i+1:]
			break
		}
	}
	if len(whole) > 12 {
		return errTimestamp
	}
	sec, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || sec > maxEpochSeconds {
		return errTimestamp
	}
	var nsec int64
	for i := 0; i < 9; i++ {
		nsec *= 10
		if i < len(frac) {
			nsec += int64(frac[i] - '0')
		}
	}
	if neg {
		sec, nsec = -sec, -nsec
	}
	t.Time = time.Unix(sec, nsec).UTC()
	return nil
}

// setFloat parses a number in exponent form, rounding to the microsecond to
// hide binary floating-point noise.
func (t *Timestamp) setFloat(s string) error {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.Abs(f) > maxEpochSeconds {
		return errTimestamp
	}
	sec := math.Floor(f)
	usec := math.Round((f - sec) * 1e6)
	t.Time = time.Unix(int64(sec), int64(usec)*1000).UTC()
	return nil
}

// isJSONNumber reports whether s is exactly one JSON number.
func isJSONNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() int {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - start
	}
	n := digits()
	if n == 0 || (n > 1 && s[i-n] == '0') {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}
