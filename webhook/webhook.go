// Package webhook signs and verifies the requests Cognate sends to trigger
// functions reached over HTTP (a "webhook" target of the functions file), so a
// receiver can tell that a request comes from Cognate and is recent.
//
// Each request carries the header
//
//	Cognate-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>
//
// where the MAC is computed with the shared secret over the timestamp, a dot
// and the raw request body: HMAC-SHA256(secret, "<t>.<body>"). A receiver
// verifies it with Verify before it trusts the body, and should read the body
// with a size limit first (Cognito's events are far below 1 MiB):
//
//	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
//	if err != nil { ... }
//	if err := webhook.Verify(secret, r.Header.Get(webhook.Header), body, time.Now(), webhook.DefaultWindow); err != nil {
//		http.Error(w, "bad signature", http.StatusUnauthorized)
//		return
//	}
//
// The window bounds replays: a captured request is refused once its
// timestamp is older than the window. A receiver that must refuse every
// replay within the window too can remember the signatures it accepted for
// that long. This package depends on the standard library only.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Header is the request header that carries the signature.
const Header = "Cognate-Signature"

// DefaultWindow is how far a request's timestamp may be from the receiver's
// clock, either way.
const DefaultWindow = 5 * time.Minute

// Errors Verify returns.
var (
	ErrMalformed = errors.New("webhook: malformed signature header")
	ErrMismatch  = errors.New("webhook: signature does not match")
	ErrExpired   = errors.New("webhook: timestamp outside the replay window")
)

// Sign returns the value of the signature header for body sent at time t.
func Sign(secret []byte, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

// Verify checks a signature header against body: the MAC must match and the
// timestamp must be within window of now. A header may carry several v1
// values (a sender rotating secrets); one matching is enough.
func Verify(secret []byte, header string, body []byte, now time.Time, window time.Duration) error {
	ts, sigs, err := parse(header)
	if err != nil {
		return err
	}
	want := mac(secret, ts, body)
	matched := false
	for _, s := range sigs {
		got, err := hex.DecodeString(s)
		if err != nil {
			return ErrMalformed
		}
		if hmac.Equal(got, want) {
			matched = true
		}
	}
	if !matched {
		return ErrMismatch
	}
	sec, _ := strconv.ParseInt(ts, 10, 64) // parse checked it
	if d := now.Sub(time.Unix(sec, 0)); d > window || d < -window {
		return ErrExpired
	}
	return nil
}

func parse(header string) (ts string, sigs []string, err error) {
	for part := range strings.SplitSeq(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return "", nil, ErrMalformed
		}
		switch k {
		case "t":
			if ts != "" {
				return "", nil, ErrMalformed
			}
			ts = v
		case "v1":
			sigs = append(sigs, v)
		}
	}
	if ts == "" || len(sigs) == 0 || len(ts) > 12 {
		return "", nil, ErrMalformed
	}
	if _, err := strconv.ParseUint(ts, 10, 63); err != nil {
		return "", nil, ErrMalformed
	}
	return ts, sigs, nil
}

func mac(secret []byte, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}
