package userpool

import (
	"encoding/base64"
	"encoding/json"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
)

// authState is the state of a multi-step sign-in between two requests. It
// travels with the client, sealed (encrypted and authenticated) under the
// master key, so any replica can take the next step without shared memory.
// Its nonce becomes the sign-in's origin_jti, and sessions are unique by
// origin_jti, so a replayed final step is refused.
type authState struct {
	Kind     string `json:"k"` // stepSRP or stepNewPassword
	PoolID   string `json:"p"`
	ClientID string `json:"c"`
	Sub      string `json:"s"` // "" for the decoy of an unknown user
	Username string `json:"u"`
	Typed    string `json:"t"` // the name the user signed in with
	Expires  int64  `json:"e"` // unix seconds
	Nonce    []byte `json:"n"`
	// SRP: the client's public A, and our secret b and public B.
	A       []byte `json:"a,omitempty"`
	SecretB []byte `json:"b,omitempty"`
	B       []byte `json:"B,omitempty"`
}

const (
	stepSRP         = "srp"
	stepNewPassword = "newpw"
)

func (st authState) ad() []byte { return []byte(st.Kind + "\x00" + st.ClientID) }

// sealState encrypts st for the client.
func (s *Service) sealState(st authState) string {
	plain, err := json.Marshal(st)
	if err != nil {
		panic(err) // only plain fields
	}
	return base64.StdEncoding.EncodeToString(s.sessions.Seal(plain, st.ad()))
}

var errInvalidSession = apierr.New(apierr.NotAuthorized, "Invalid session for the user, session is expired.")

// openState decrypts and checks a sealed state of the given kind for a client.
func (s *Service) openState(sealed, kind, clientID string) (authState, error) {
	raw, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil || sealed == "" {
		return authState{}, apierr.New(apierr.NotAuthorized, "Invalid session for the user.")
	}
	probe := authState{Kind: kind, ClientID: clientID}
	plain, err := s.sessions.Open(raw, probe.ad())
	if err != nil {
		return authState{}, apierr.New(apierr.NotAuthorized, "Invalid session for the user.")
	}
	var st authState
	if err := json.Unmarshal(plain, &st); err != nil {
		return authState{}, apierr.Internal(err)
	}
	if s.now().Unix() > st.Expires {
		return authState{}, errInvalidSession
	}
	return st, nil
}

// newState starts a state valid for the client's session validity.
func (s *Service) newState(kind, poolID, clientID string, validityMinutes int64) authState {
	if validityMinutes == 0 {
		validityMinutes = 3
	}
	nonce := make([]byte, 16)
	if _, err := s.rand.Read(nonce); err != nil {
		panic(err)
	}
	return authState{Kind: kind, PoolID: poolID, ClientID: clientID, Nonce: nonce,
		Expires: s.now().Add(time.Duration(validityMinutes) * time.Minute).Unix()}
}
