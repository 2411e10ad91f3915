// Package guard enforces the limits that keep guessing and flooding in
// check: the lock-out after wrong passwords, one answer per challenge, and
// hourly budgets for code requests and wrong codes.
//
// Its counters live in the store (store.CounterStore), so every replica
// sees the same counts, and every check is one compare-and-swap: however
// many requests race, a limit admits no more than it allows. A password
// proof is counted as a failure before it is evaluated and cleared once it
// succeeds, so that fifty wrong passwords sent at once are evaluated only
// until the lock-out begins.
//
// Limits are counted for a Subject: a user of a pool, or the Decoy of a
// name that is no user. A decoy meets exactly the limits a user meets, with
// the same messages, so that the limits reveal nothing about which names
// exist (PreventUserExistenceErrors).
package guard

import (
	"context"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
)

// Config wires a Guard.
type Config struct {
	Store store.CounterStore
	// Key is the secret decoys and counter keys are derived with; it must
	// be the same on every replica (derive it from the master key).
	Key []byte
	// Now defaults to time.Now.
	Now func() time.Time
}

// Guard enforces the limits. It keeps no state of its own.
type Guard struct {
	store store.CounterStore
	key   []byte
	now   func() time.Time
}

// New returns a Guard.
func New(c Config) *Guard {
	g := &Guard{store: c.Store, key: c.Key, now: c.Now}
	if g.now == nil {
		g.now = time.Now
	}
	return g
}

// Subject names whom a limit is counted for.
type Subject struct {
	id string // "<pool id>/<sub or decoy sub>"
}

// User is the subject of a user of a pool, by sub.
func User(poolID, sub string) Subject { return Subject{id: poolID + "/" + sub} }

// Guests is the subject of an identity pool's guest identities, whose
// creation is budgeted (identitypool).
func Guests(identityPoolID string) Subject { return Subject{id: identityPoolID + "/guests"} }

// Decoy is what stands for a name that is no user of a pool: a stable sub
// (a UUID, as Cognito gives unknown users) and stable pseudo-random bytes
// to derive whatever else must look like a user's (an SRP salt, a masked
// destination), so that the same name always gets the same answers.
type Decoy struct {
	Sub  string
	seed []byte
}

// Decoy returns the decoy of name in a pool. name must be normalised as the
// pool compares names, so that every spelling of one name is one decoy.
func (g *Guard) Decoy(poolID, name string) Decoy {
	m := hmac.New(sha256.New, g.key)
	m.Write([]byte("cognate/guard/decoy\x00" + poolID + "\x00" + name))
	seed := m.Sum(nil)
	u, _ := uuid.FromBytes(seed[:16])
	u[6] = (u[6] & 0x0f) | 0x40 // a version 4 UUID, as a real sub is
	u[8] = (u[8] & 0x3f) | 0x80
	return Decoy{Sub: u.String(), seed: seed}
}

// Bytes returns n bytes of the decoy's, stable for a label.
func (d Decoy) Bytes(label string, n int) []byte {
	b, err := hkdf.Expand(sha256.New, d.seed, label, n)
	if err != nil {
		panic(fmt.Sprintf("guard: %d decoy bytes for %q: %v", n, label, err))
	}
	return b
}

// Subject returns the decoy's subject in a pool.
func (d Decoy) Subject(poolID string) Subject { return User(poolID, d.Sub) }

// Errors of the limits, as Cognito words them.
var (
	// ErrLocked refuses a password proof of a locked-out subject.
	ErrLocked = apierr.New(apierr.NotAuthorized, "Password attempts exceeded")
	// ErrAnswered refuses a second answer to a challenge.
	ErrAnswered = apierr.New(apierr.NotAuthorized, "Invalid session for the user.")
	// ErrLimitExceeded refuses an event whose budget is spent.
	ErrLimitExceeded = apierr.New(apierr.LimitExceeded, "Attempt limit exceeded, please try after some time.")
)

// counterKey names a counter: what is counted, of whom, and from where
// (a digest, for a per-source budget).
func (g *Guard) counterKey(kind string, s Subject, part string) string {
	k := kind + "/" + s.id
	if part != "" {
		k += "/" + part
	}
	return k
}

// digest shortens and hides a value (a client address, a nonce) for a
// counter key.
func (g *Guard) digest(label, v string) string {
	m := hmac.New(sha256.New, g.key)
	m.Write([]byte("cognate/guard/" + label + "\x00" + v))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:15])
}

func (g *Guard) update(ctx context.Context, keys []string, update func([]store.Counter) ([]store.Counter, error)) ([]store.Counter, error) {
	cs, err := g.store.UpdateCounters(ctx, keys, g.now(), update)
	if err != nil {
		return nil, apierr.As(err)
	}
	return cs, nil
}

// DeriveKey derives a Guard's key from the master key.
func DeriveKey(masterKey []byte) []byte {
	k, err := hkdf.Key(sha256.New, masterKey, nil, "cognate/guard", 32)
	if err != nil {
		panic("guard: " + err.Error())
	}
	return k
}

// Address is a stable, plausible address of the decoy's for an attribute:
// a phone number ("phone_number"), or an email address.
func (d Decoy) Address(attr string) string {
	b := d.Bytes("destination-"+attr, 10)
	if attr == "phone_number" {
		digits := make([]byte, 10)
		for i := range digits {
			digits[i] = '0' + b[i]%10
		}
		return "+1" + string(digits)
	}
	const letters = "abcdefghijklmnopqrstuvwxyz"
	return string(letters[b[0]%26]) + "@" + string(letters[b[1]%26]) + ".invalid"
}
