// Package secretbox encrypts Cognate's secrets: values kept at rest (SRP
// verifiers, signing keys, client secrets) and state handed to clients and
// read back later (multi-step sign-in sessions).
//
// A Box is AES-256-GCM under a key derived with HKDF-SHA256 from the master
// key and a purpose label, so that a value sealed for one purpose can never be
// opened as another. Every seal also binds associated data (for example the
// table and row a value belongs to), so ciphertext moved to another place
// fails to open.
package secretbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the size of a master key in bytes.
const KeySize = 32

// ErrOpen is returned when a sealed value fails to authenticate.
var ErrOpen = errors.New("secretbox: message authentication failed")

// Box seals and opens values for one purpose.
type Box struct {
	aead cipher.AEAD
}

// New returns a Box for purpose under masterKey.
func New(masterKey []byte, purpose string) (*Box, error) {
	if len(masterKey) != KeySize {
		return nil, fmt.Errorf("secretbox: master key must be %d bytes, got %d", KeySize, len(masterKey))
	}
	key, err := hkdf.Key(sha256.New, masterKey, nil, "cognate/secretbox/v1/"+purpose, KeySize)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Box{aead: aead}, nil
}

// Seal encrypts plaintext bound to ad. The result is nonce || ciphertext.
func (b *Box) Seal(plaintext, ad []byte) []byte {
	out := make([]byte, b.aead.NonceSize(), b.aead.NonceSize()+len(plaintext)+b.aead.Overhead())
	if _, err := rand.Read(out); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return b.aead.Seal(out, out, plaintext, ad)
}

// Open decrypts a value produced by Seal with the same ad.
func (b *Box) Open(sealed, ad []byte) ([]byte, error) {
	n := b.aead.NonceSize()
	if len(sealed) < n+b.aead.Overhead() {
		return nil, ErrOpen
	}
	out, err := b.aead.Open(nil, sealed[:n], sealed[n:], ad)
	if err != nil {
		return nil, ErrOpen
	}
	return out, nil
}

// LoadKeyFile reads the master key at path, which must exist.
func LoadKeyFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("secretbox: reading master key: %w", err)
	}
	return parseKey(path, data)
}

// LoadOrCreateKeyFile reads the master key at path, creating it (mode 0600,
// with its directory) with a fresh random key when it does not exist. The
// file holds the key in base64 on one line.
func LoadOrCreateKeyFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err == nil {
		return parseKey(path, data)
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("secretbox: reading master key: %w", err)
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("secretbox: creating master key directory: %w", err)
	}
	// O_EXCL: if another process created the key meanwhile, use theirs.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return LoadOrCreateKeyFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("secretbox: creating master key: %w", err)
	}
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n"); err != nil {
		f.Close()
		return nil, fmt.Errorf("secretbox: writing master key: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("secretbox: writing master key: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("secretbox: writing master key: %w", err)
	}
	return key, nil
}

func parseKey(path string, data []byte) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(data)))
	if err != nil || len(key) != KeySize {
		return nil, fmt.Errorf("secretbox: %s does not hold a base64 %d-byte key", path, KeySize)
	}
	return key, nil
}
