package userpool

import (
	"cmp"
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
	Kind     string `json:"k"` // one of the step* kinds
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
	// Minutes is the client's session validity, which each later step of
	// the sign-in gets again; 0 in states of earlier releases.
	Minutes int64 `json:"vm,omitempty"`
	// MFA: the factor whose code is awaited, or the factors offered to
	// choose from (SELECT_MFA_TYPE) or to set up (MFA_SETUP).
	Factor  string   `json:"mf,omitempty"`
	Factors []string `json:"mo,omitempty"`
	// Setup marks a factor being set up during sign-in: its first code
	// enables it.
	Setup bool `json:"ms,omitempty"`
	// TOTPSeed is the seed AssociateSoftwareToken gave during MFA_SETUP,
	// until VerifySoftwareToken stores it.
	TOTPSeed []byte `json:"mx,omitempty"`
	// Device is the DEVICE_KEY the sign-in presented (in InitiateAuth, until
	// the password is checked) or, after it, the user's device that is to
	// authenticate; "" for none.
	Device string `json:"dk,omitempty"`
}

const (
	stepSRP            = "srp"
	stepNewPassword    = "newpw"
	stepMFA            = "mfa"       // awaiting an MFA code
	stepSelectMFA      = "mfachoose" // awaiting SELECT_MFA_TYPE
	stepMFASetup       = "mfasetup"  // MFA_SETUP issued
	stepTOTPAssociated = "totpsetup" // AssociateSoftwareToken gave a seed
	stepTOTPVerified   = "totpdone"  // VerifySoftwareToken accepted it
	// The device steps are stepDeviceSRP and stepDevicePassword.
)

// clientless are the kinds that AssociateSoftwareToken and
// VerifySoftwareToken open, which name no client: they are sealed without
// the client in the associated data, and callers that know the client
// compare it after opening.
var clientless = map[string]bool{stepMFASetup: true, stepTOTPAssociated: true, stepTOTPVerified: true}

func (st authState) ad() []byte {
	if clientless[st.Kind] {
		return []byte(st.Kind)
	}
	return []byte(st.Kind + "\x00" + st.ClientID)
}

// sealState encrypts st for the client.
func (s *Service) sealState(st authState) string {
	plain, err := json.Marshal(st)
	if err != nil {
		panic(err) // only plain fields
	}
	return base64.StdEncoding.EncodeToString(s.sessions.Seal(plain, st.ad()))
}

var errInvalidSession = apierr.New(apierr.NotAuthorized, "Invalid session for the user, session is expired.")

// openState decrypts and checks a sealed state of the given kind for a
// client ("" for any client, where the kind is clientless).
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
	if clientID != "" && st.ClientID != clientID {
		return authState{}, apierr.New(apierr.NotAuthorized, "Invalid session for the user.")
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
	return authState{Kind: kind, PoolID: poolID, ClientID: clientID, Nonce: nonce, Minutes: validityMinutes,
		Expires: s.now().Add(time.Duration(validityMinutes) * time.Minute).Unix()}
}

// nextState is the state of a sign-in's next step: the same sign-in (its
// nonce, hence its origin_jti), user, client and device, valid for the
// client's session validity from now, without what the step before kept.
func (s *Service) nextState(kind string, prev authState) authState {
	minutes := cmp.Or(prev.Minutes, 3)
	return authState{Kind: kind, PoolID: prev.PoolID, ClientID: prev.ClientID, Sub: prev.Sub, Username: prev.Username,
		Typed: prev.Typed, Nonce: prev.Nonce, Minutes: minutes, Device: prev.Device,
		Expires: s.now().Add(time.Duration(minutes) * time.Minute).Unix()}
}
