package sendercode

import (
	"bytes"
	"encoding/base64"
	"errors"
	"testing"
)

func TestDecrypt(t *testing.T) {
	key := bytes.Repeat([]byte{7}, KeySize)
	other := bytes.Repeat([]byte{8}, KeySize)
	b := Binding{UserPoolID: "us-east-1_abc", TriggerSource: "CustomEmailSender_SignUp", Sub: "sub-1"}
	env, err := Encrypt(key, "123456", b)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.StdEncoding.DecodeString(env)
	flip := func(i int) string {
		c := bytes.Clone(raw)
		c[i] ^= 1
		return base64.StdEncoding.EncodeToString(c)
	}
	tests := []struct {
		name     string
		key      []byte
		envelope string
		binding  Binding
		want     string
		err      error
	}{
		{"good", key, env, b, "123456", nil},
		{"wrong key", other, env, b, "", ErrDecrypt},
		{"other pool", key, env, Binding{"us-east-1_xyz", b.TriggerSource, b.Sub}, "", ErrDecrypt},
		{"other source", key, env, Binding{b.UserPoolID, "CustomEmailSender_ForgotPassword", b.Sub}, "", ErrDecrypt},
		{"other user", key, env, Binding{b.UserPoolID, b.TriggerSource, "sub-2"}, "", ErrDecrypt},
		{"fields shifted", key, env, Binding{b.UserPoolID + b.TriggerSource[:1], b.TriggerSource[1:], b.Sub}, "", ErrDecrypt},
		{"tampered version", key, flip(0), b, "", ErrDecrypt},
		{"tampered nonce", key, flip(3), b, "", ErrDecrypt},
		{"tampered ciphertext", key, flip(len(raw) - 1), b, "", ErrDecrypt},
		{"truncated", key, base64.StdEncoding.EncodeToString(raw[:20]), b, "", ErrDecrypt},
		{"not base64", key, "%%%", b, "", ErrDecrypt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decrypt(tt.key, tt.envelope, tt.binding)
			if got != tt.want || !errors.Is(err, tt.err) {
				t.Errorf("Decrypt = %q, %v; want %q, %v", got, err, tt.want, tt.err)
			}
		})
	}
	if _, err := Decrypt(key[:16], env, b); err == nil {
		t.Error("a short key decrypted")
	}
}

func TestEncryptIsRandomized(t *testing.T) {
	key := bytes.Repeat([]byte{7}, KeySize)
	a, _ := Encrypt(key, "123456", Binding{})
	b, _ := Encrypt(key, "123456", Binding{})
	if a == b {
		t.Error("two encryptions of one code are equal")
	}
}

func TestParseKey(t *testing.T) {
	key := bytes.Repeat([]byte{9}, KeySize)
	got, err := ParseKey(FormatKey(key) + "\n")
	if err != nil || !bytes.Equal(got, key) {
		t.Errorf("ParseKey(FormatKey) = %x, %v", got, err)
	}
	for _, bad := range []string{"", "not base64!", FormatKey(key[:16])} {
		if _, err := ParseKey(bad); err == nil {
			t.Errorf("ParseKey(%q) succeeded", bad)
		}
	}
}

// Decrypt never panics and opens only what Encrypt sealed.
func FuzzDecrypt(f *testing.F) {
	key := bytes.Repeat([]byte{7}, KeySize)
	b := Binding{UserPoolID: "us-east-1_abc", TriggerSource: "CustomSMSSender_SignUp", Sub: "s"}
	const good = "AUMSiwJn1ssDRrf/otYqDK5cX/ozqSYTR27hCB9EN90/kcQ=" // Encrypt(key, "123456", b), once
	if code, err := Decrypt(key, good, b); err != nil || code != "123456" {
		f.Fatalf("the seed envelope: %q, %v", code, err)
	}
	f.Add(good)
	f.Add("")
	f.Add("AQ==")
	f.Fuzz(func(t *testing.T, envelope string) {
		code, err := Decrypt(key, envelope, b)
		if err == nil && envelope != good && code == "123456" {
			t.Errorf("a forged envelope %q opened", envelope)
		}
	})
}
