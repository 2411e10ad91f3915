package userpool

import (
	"io"
	"strings"

	"github.com/google/uuid"

	"github.com/cognate-auth/cognate/internal/codes"
)

const (
	lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
	mixedAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	digits     = "0123456789"
)

// randomString draws n characters uniformly from alphabet.
func randomString(r io.Reader, alphabet string, n int) string {
	var b strings.Builder
	b.Grow(n)
	buf := make([]byte, 1)
	limit := 256 - 256%len(alphabet) // reject to avoid modulo bias
	for b.Len() < n {
		if _, err := io.ReadFull(r, buf); err != nil {
			panic("userpool: randomness failed: " + err.Error())
		}
		if int(buf[0]) < limit {
			b.WriteByte(alphabet[int(buf[0])%len(alphabet)])
		}
	}
	return b.String()
}

// newPoolID returns "<region>_<9 alphanumerics>" like Cognito's pool ids.
func (s *Service) newPoolID(region string) string {
	return region + "_" + randomString(s.rand, mixedAlnum, 9)
}

// newClientID returns 26 lowercase alphanumerics like Cognito's client ids.
func (s *Service) newClientID() string { return randomString(s.rand, lowerAlnum, 26) }

// newClientSecret returns a 51-character secret like Cognito's.
func (s *Service) newClientSecret() string { return randomString(s.rand, lowerAlnum, 51) }

// newUUID returns a random (version 4) UUID string.
func (s *Service) newUUID() string {
	u, err := uuid.NewRandomFromReader(s.rand)
	if err != nil {
		panic("userpool: randomness failed: " + err.Error())
	}
	return u.String()
}

// newCode returns a six-digit confirmation code.
func (s *Service) newCode() string { return codes.New(s.rand) }

// poolName is the part of a pool id after the underscore; SRP uses it.
func poolName(poolID string) string {
	if i := strings.IndexByte(poolID, '_'); i >= 0 {
		return poolID[i+1:]
	}
	return poolID
}

// poolRegion is the part of a pool id before the underscore.
func poolRegion(poolID string) string {
	if i := strings.IndexByte(poolID, '_'); i >= 0 {
		return poolID[:i]
	}
	return ""
}
