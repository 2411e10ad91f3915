// Package sendercode decrypts the code (or temporary password) that Cognate
// sends to a custom email or SMS sender function in request.code.
//
// Cognito encrypts that code with the AWS Encryption SDK under a KMS key.
// Cognate holds no KMS, so it encrypts the code itself: AES-256-GCM under a
// 32-byte key derived from Cognate's master key and the pool's KMSKeyID
// (print it with `cognate keys sender-key --kms-key-id ARN`). The key is
// symmetric, as a KMS key is: whoever holds it can read codes, so give it
// only to the sender functions.
//
// request.code is standard base64 of a versioned envelope:
//
//	version (1 byte, 1) || nonce (12 bytes) || ciphertext and GCM tag
//
// The associated data binds the envelope to where it was sent: the user
// pool, the trigger source and the user's sub (the event's userPoolId,
// triggerSource and request.userAttributes.sub), so an envelope replayed to
// another pool, user or purpose fails to decrypt. A function decrypts it
// with Decrypt:
//
//	key, err := sendercode.ParseKey(os.Getenv("COGNATE_SENDER_KEY"))
//	...
//	code, err := sendercode.Decrypt(key, event.Request.Code, sendercode.Binding{
//		UserPoolID: event.UserPoolID, TriggerSource: event.TriggerSource, Sub: event.Request.UserAttributes["sub"]})
//
// This package depends on the standard library only.
package sendercode

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the size of a sender key in bytes.
const KeySize = 32

// version is the envelope's first byte.
const version = 1

// ErrDecrypt is returned when an envelope fails to decrypt: it is malformed,
// was tampered with, is bound to another pool, source or user, or was
// encrypted under another key.
var ErrDecrypt = errors.New("sendercode: the code does not decrypt under this key and binding")

// Binding is what an envelope is bound to, as the event names it.
type Binding struct {
	UserPoolID    string // the event's userPoolId
	TriggerSource string // the event's triggerSource, e.g. CustomEmailSender_SignUp
	Sub           string // the event's request.userAttributes.sub
}

// ad is the associated data: a label and each field with its length, so
// that no two bindings encode alike.
func (b Binding) ad() []byte {
	out := []byte("cognate/sendercode/v1")
	for _, f := range []string{b.UserPoolID, b.TriggerSource, b.Sub} {
		out = binary.BigEndian.AppendUint32(out, uint32(len(f)))
		out = append(out, f...)
	}
	return out
}

// ParseKey decodes a key as the keys command prints it (standard base64).
func ParseKey(s string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("sendercode: key is not base64: %w", err)
	}
	if len(key) != KeySize {
		return nil, fmt.Errorf("sendercode: key must be %d bytes, got %d", KeySize, len(key))
	}
	return key, nil
}

// FormatKey encodes a key as ParseKey reads it.
func FormatKey(key []byte) string { return base64.StdEncoding.EncodeToString(key) }

func newAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("sendercode: key must be %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// Encrypt seals code for b under key and returns the envelope as it appears
// in request.code. Cognate calls it; functions need only Decrypt.
func Encrypt(key []byte, code string, b Binding) (string, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return "", err
	}
	out := make([]byte, 1+aead.NonceSize(), 1+aead.NonceSize()+len(code)+aead.Overhead())
	out[0] = version
	if _, err := rand.Read(out[1:]); err != nil {
		return "", err
	}
	out = aead.Seal(out, out[1:], []byte(code), b.ad())
	return base64.StdEncoding.EncodeToString(out), nil
}

// Decrypt opens an envelope from request.code, bound to b, and returns the
// code in clear.
func Decrypt(key []byte, envelope string, b Binding) (string, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return "", err
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(envelope)
	if err != nil || len(raw) < 1+aead.NonceSize()+aead.Overhead() || raw[0] != version {
		return "", ErrDecrypt
	}
	nonce, sealed := raw[1:1+aead.NonceSize()], raw[1+aead.NonceSize():]
	plain, err := aead.Open(nil, nonce, sealed, b.ad())
	if err != nil {
		return "", ErrDecrypt
	}
	return string(plain), nil
}
