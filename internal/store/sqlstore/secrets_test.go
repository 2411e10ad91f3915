package sqlstore

import (
	"bytes"
	"database/sql"
	"encoding/base64"
	"errors"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/cognate-auth/cognate/internal/secretbox"
	"github.com/cognate-auth/cognate/internal/store"
)

// rawDB opens the store's database with plain database/sql, to look at
// rows as they are stored.
func rawDB(t *testing.T, cfg Config) *sql.DB {
	t.Helper()
	driver := "pgx"
	if cfg.Driver == "sqlite" {
		driver = "sqlite"
	}
	db, err := sql.Open(driver, cfg.DSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestSecretsAtRest stores one value of every secret field and checks that
// the rows hold no plaintext, that ciphertext moved to another row does
// not open, and that another master key cannot read them.
func TestSecretsAtRest(t *testing.T) {
	forEngine(t, func(t *testing.T, e engine) {
		ctx := t.Context()
		cfg := e.config(t)
		s := mustOpen(t, cfg)

		verifier := store.PasswordVerifier{
			Salt:     []byte("SALT-PLAINTEXT-0123456789"),
			Verifier: bytes.Repeat([]byte("VERIFIER-PLAINTEXT-"), 12),
		}
		clientSecret := "CLIENT-SECRET-PLAINTEXT-abcdefghijklmnop"
		der := bytes.Repeat([]byte("PRIVATE-KEY-DER-PLAINTEXT-"), 20)
		accessSecret := "ACCESS-KEY-SECRET-PLAINTEXT-wJalrXUtnFEMI"
		seed, pendingSeed := []byte("TOTP-SEED-PLAINTEXT-0123456789ab"), []byte("PENDING-TOTP-SEED-PLAINTEXT-0123")
		device := store.PasswordVerifier{Salt: []byte("DEVICE-SALT-PLAINTEXT-0123"), Verifier: bytes.Repeat([]byte("DEVICE-VERIFIER-PLAINTEXT-"), 12)}
		secrets := [][]byte{verifier.Salt, verifier.Verifier, []byte(clientSecret), der, []byte(accessSecret), seed, pendingSeed,
			device.Salt, device.Verifier}

		must(t, s.CreatePool(ctx, store.Pool{ID: "p"}))
		u := testUser("p", "alice", "sub-alice")
		u.Password = &verifier
		u.MFA = &store.UserMFA{Enabled: []string{store.MFATOTP},
			TOTP:        &store.TOTPAuthenticator{Secret: seed, CreatedAt: time.Now()},
			PendingTOTP: &store.TOTPAuthenticator{Secret: pendingSeed, CreatedAt: time.Now()}}
		must(t, s.CreateUser(ctx, u))
		bob := testUser("p", "bob", "sub-bob")
		bob.Password = &verifier
		bob.MFA = &store.UserMFA{TOTP: &store.TOTPAuthenticator{Secret: []byte("bob's seed"), CreatedAt: time.Now()}}
		must(t, s.CreateUser(ctx, bob))
		for _, key := range []string{"d1", "d2"} {
			must(t, s.CreateDevice(ctx, store.Device{PoolID: "p", Key: key, Sub: "sub-alice", Verifier: device, CreatedAt: time.Now()}))
		}
		must(t, s.CreateClient(ctx, store.Client{ID: "c1", PoolID: "p", Secrets: []store.ClientSecret{{ID: "c1--1", Value: clientSecret}}}))
		must(t, s.CreateClient(ctx, store.Client{ID: "c2", PoolID: "p", Secrets: []store.ClientSecret{{ID: "c2--1", Value: "the other client's secret"}}}))
		must(t, s.AddSigningKey(ctx, store.SigningKey{PoolID: "p", KID: "k1", PrivateDER: der, CreatedAt: time.Now()}))
		must(t, s.AddAccessKey(ctx, store.AccessKey{ID: "AKID", Secret: accessSecret, CreatedAt: time.Now()}))

		raw := rawDB(t, cfg)
		for _, q := range []string{
			`SELECT password FROM users`,
			`SELECT mfa FROM users`,
			`SELECT secret FROM clients`,
			`SELECT private_der FROM signing_keys`,
			`SELECT secret FROM access_keys`,
			`SELECT verifier FROM devices`,
		} {
			var sealed []byte
			if err := raw.QueryRow(q + ` LIMIT 1`).Scan(&sealed); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			if len(sealed) == 0 {
				t.Fatalf("%s: empty", q)
			}
			noPlaintext(t, q, sealed, secrets)
		}

		// Sealed values are bound to their row.
		if _, err := raw.Exec(`UPDATE clients SET secret = (SELECT secret FROM clients WHERE id = 'c2') WHERE id = 'c1'`); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetClient(ctx, "c1"); !errors.Is(err, secretbox.ErrOpen) {
			t.Fatalf("GetClient of a moved secret: err = %v, want secretbox.ErrOpen", err)
		}
		must(t, s.DeleteClient(ctx, "c1"))
		// A user's MFA settings open neither in another user's row nor as
		// the password of the same row.
		for what, q := range map[string]string{
			"another user's MFA settings": `UPDATE users SET mfa = (SELECT mfa FROM users WHERE sub = 'sub-alice') WHERE sub = 'sub-bob'`,
			"the user's password":         `UPDATE users SET mfa = password WHERE sub = 'sub-bob'`,
		} {
			if _, err := raw.Exec(q); err != nil {
				t.Fatal(err)
			}
			if _, err := s.GetUserByKey(ctx, "p", bob.Keys[1]); !errors.Is(err, secretbox.ErrOpen) {
				t.Fatalf("GetUserByKey with %s as its MFA settings: err = %v, want secretbox.ErrOpen", what, err)
			}
		}
		must(t, s.DeleteUser(ctx, "p", bob.Keys[1]))
		// A device's verifier opens neither as another device's nor as a
		// user's password.
		if _, err := raw.Exec(`UPDATE devices SET verifier = (SELECT verifier FROM devices WHERE device_key = 'd1') WHERE device_key = 'd2'`); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetDevice(ctx, "p", "d2"); !errors.Is(err, secretbox.ErrOpen) {
			t.Fatalf("GetDevice of a moved verifier: err = %v, want secretbox.ErrOpen", err)
		}
		if _, err := raw.Exec(`UPDATE devices SET verifier = (SELECT password FROM users WHERE sub = 'sub-alice') WHERE device_key = 'd1'`); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetDevice(ctx, "p", "d1"); !errors.Is(err, secretbox.ErrOpen) {
			t.Fatalf("GetDevice with the user's password as its verifier: err = %v, want secretbox.ErrOpen", err)
		}
		must(t, s.Close())

		if cfg.Driver == "sqlite" {
			// Everything ever written is in the database file or its WAL.
			for _, name := range []string{cfg.DSN, cfg.DSN + "-wal"} {
				file, err := os.ReadFile(name)
				if err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
				noPlaintext(t, name, file, secrets)
			}
		}

		// Another key is refused at Open...
		wrong := cfg
		wrong.MasterKey = bytes.Repeat([]byte{0x17}, secretbox.KeySize)
		if s, err := Open(ctx, wrong); !errors.Is(err, ErrMasterKey) {
			if err == nil {
				s.Close()
			}
			t.Fatalf("Open with another master key: err = %v, want ErrMasterKey", err)
		}
		// ...and, without the check, cannot read a secret: it fails rather
		// than return garbage.
		if _, err := raw.Exec(`DELETE FROM store_meta`); err != nil {
			t.Fatal(err)
		}
		w := mustOpen(t, wrong)
		reads := map[string]func() error{
			"GetUserByKey": func() error { _, err := w.GetUserByKey(ctx, "p", u.Keys[0]); return err },
			"ListUsers":    func() error { _, err := w.ListUsers(ctx, "p", store.UserFilter{}, "", 0); return err },
			"GetClient":    func() error { _, err := w.GetClient(ctx, "c2"); return err },
			"SigningKeys":  func() error { _, err := w.SigningKeys(ctx, "p"); return err },
			"GetAccessKey": func() error { _, err := w.GetAccessKey(ctx, "AKID"); return err },
		}
		for name, read := range reads {
			if err := read(); !errors.Is(err, secretbox.ErrOpen) {
				t.Errorf("%s under another master key: err = %v, want secretbox.ErrOpen", name, err)
			}
		}
	})
}

func noPlaintext(t *testing.T, where string, data []byte, secrets [][]byte) {
	t.Helper()
	for _, secret := range secrets {
		for _, form := range [][]byte{secret, []byte(base64.StdEncoding.EncodeToString(secret))} {
			if bytes.Contains(data, form[:min(len(form), 16)]) {
				t.Fatalf("%s holds the plaintext %q", where, form[:min(len(form), 16)])
			}
		}
	}
}

// TestLegacyClientSecret reads a client row written before clients could
// have two secrets: its secret column holds the one secret itself.
func TestLegacyClientSecret(t *testing.T) {
	forEngine(t, func(t *testing.T, e engine) {
		ctx := t.Context()
		cfg := e.config(t)
		s := mustOpen(t, cfg)
		must(t, s.CreatePool(ctx, store.Pool{ID: "p"}))
		created := time.Unix(1700000000, 0).UTC()
		must(t, s.CreateClient(ctx, store.Client{ID: "c1", PoolID: "p", CreatedAt: created, UpdatedAt: created}))
		raw := rawDB(t, cfg)
		q := `UPDATE clients SET secret = $1 WHERE id = 'c1'`
		if cfg.Driver == "sqlite" {
			q = `UPDATE clients SET secret = ? WHERE id = 'c1'`
		}
		if _, err := raw.Exec(q, s.seal([]byte("legacySecret123"), "clients", "c1")); err != nil {
			t.Fatal(err)
		}
		c, err := s.GetClient(ctx, "c1")
		must(t, err)
		want := []store.ClientSecret{{ID: "c1--1700000000", Value: "legacySecret123", CreatedAt: created}}
		if !reflect.DeepEqual(c.Secrets, want) {
			t.Fatalf("secrets of a legacy row = %+v, want %+v", c.Secrets, want)
		}
	})
}
