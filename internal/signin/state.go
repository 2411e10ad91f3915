package signin

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/json"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
)

// step is a kind of sealed state: the step a sign-in waits at. The names
// are those earlier releases sealed, so states under way survive an
// upgrade.
type step string

const (
	stepPasswordVerifier step = "srp"         // PASSWORD_VERIFIER issued, with A, b and B
	stepNewPassword      step = "newpw"       // NEW_PASSWORD_REQUIRED issued
	stepMFA              step = "mfa"         // a code of Factor awaited
	stepSelectMFA        step = "mfachoose"   // SELECT_MFA_TYPE issued
	stepMFASetup         step = "mfasetup"    // MFA_SETUP issued
	stepTOTPAssociated   step = "totpsetup"   // AssociateSoftwareToken gave a seed
	stepTOTPVerified     step = "totpdone"    // VerifySoftwareToken accepted it
	stepSelectChallenge  step = "firstfactor" // SELECT_CHALLENGE, PASSWORD or PASSWORD_SRP issued
	stepDeviceSRP        step = "devsrp"      // DEVICE_SRP_AUTH issued
	stepDevicePassword   step = "devpw"       // DEVICE_PASSWORD_VERIFIER issued, with A, b and B
	stepCustom           step = "custom"      // CUSTOM_CHALLENGE issued, or a custom sign-in begun
)

// state is the state of a sign-in between two requests. It travels with
// the client, sealed (encrypted and authenticated) under the master key, so
// any replica can take the next step. Its nonce names the sign-in: it
// becomes the tokens' origin_jti, sessions are unique by origin_jti, so a
// replayed last step is refused, and the guard's claims and the codes of
// MFA are tied to it.
type state struct {
	Kind     step   `json:"k"`
	PoolID   string `json:"p"`
	ClientID string `json:"c"`
	Sub      string `json:"s"` // the user's, or the decoy's
	Username string `json:"u"` // the user's username, or the decoy's
	Typed    string `json:"t"` // the name the user signed in with
	Expires  int64  `json:"e"` // unix seconds
	Nonce    []byte `json:"n"`
	// SRP: the client's public A, and our secret b and public B.
	A       []byte `json:"a,omitempty"`
	SecretB []byte `json:"b,omitempty"`
	B       []byte `json:"B,omitempty"`
	// Minutes is the client's session validity, which each later step of
	// the sign-in gets again.
	Minutes int64 `json:"vm,omitempty"`
	// MFA: the factor whose code is awaited, or the factors offered to
	// choose from (SELECT_MFA_TYPE, SELECT_CHALLENGE) or to set up
	// (MFA_SETUP).
	Factor  string   `json:"mf,omitempty"`
	Factors []string `json:"mo,omitempty"`
	// Setup marks a factor being set up during sign-in: its first code
	// enables it.
	Setup bool `json:"ms,omitempty"`
	// TOTPSeed is the seed AssociateSoftwareToken gave during MFA_SETUP,
	// until VerifySoftwareToken stores it.
	TOTPSeed []byte `json:"mx,omitempty"`
	// Device is the DEVICE_KEY the sign-in presented (until the password
	// is checked) or, after it, the user's device that is to
	// authenticate; "" for none.
	Device string `json:"dk,omitempty"`
	// Custom sign-ins: the rounds so far and, while a CUSTOM_CHALLENGE
	// awaits its answer, what CreateAuthChallenge kept from the client.
	// A PASSWORD_VERIFIER state with rounds is CUSTOM_WITH_SRP's.
	Rounds   []CustomRound     `json:"cr,omitempty"`
	Private  map[string]string `json:"cp,omitempty"`
	Metadata string            `json:"cm,omitempty"`
	// NewPassword marks a sign-in that answered NEW_PASSWORD_REQUIRED,
	// for the source of the pre token generation trigger.
	NewPassword bool `json:"np,omitempty"`
}

// clientless are the steps that AssociateSoftwareToken and
// VerifySoftwareToken continue, which name no client: their states are
// sealed without the client in the associated data, and callers that know
// the client compare it once the state is open.
var clientless = map[step]bool{stepMFASetup: true, stepTOTPAssociated: true, stepTOTPVerified: true}

func (st state) ad() []byte {
	if clientless[st.Kind] {
		return []byte(st.Kind)
	}
	return []byte(string(st.Kind) + "\x00" + st.ClientID)
}

// Sealed states are padded to a length of their kind, so that a state's
// length tells nothing of the names and the user in it: a decoy's state is
// as long as a user's. Every state, names of the longest included, fits:
// an SRP state (which travels as SECRET_BLOCK) in srpPad bytes, any other
// in statePad, which keeps Sessions within the model's 2048 characters.
const (
	srpPad   = 2048
	statePad = 1024
)

// seal encrypts st for the client.
func (e *Engine) seal(st state) string {
	plain, err := json.Marshal(st)
	if err != nil {
		panic(err) // only plain fields
	}
	pad := statePad
	if len(st.A) > 0 {
		pad = srpPad
	}
	// JSON ignores trailing white space.
	plain = append(plain, bytes.Repeat([]byte{' '}, pad-len(plain)%pad)...)
	return base64.StdEncoding.EncodeToString(e.states.Seal(plain, st.ad()))
}

var (
	errInvalidSession = apierr.New(apierr.NotAuthorized, "Invalid session for the user, session is expired.")
	errBadSession     = apierr.New(apierr.NotAuthorized, "Invalid session for the user.")
)

// open decrypts and checks a sealed state of one of the steps for a
// client ("" for any client, for the clientless steps), and that it has
// not expired.
func (e *Engine) open(sealed, clientID string, steps ...step) (state, error) {
	raw, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil || sealed == "" {
		return state{}, errBadSession
	}
	for _, k := range steps {
		plain, err := e.states.Open(raw, state{Kind: k, ClientID: clientID}.ad())
		if err != nil {
			continue
		}
		var st state
		if err := json.Unmarshal(plain, &st); err != nil {
			return state{}, apierr.Internal(err)
		}
		if clientID != "" && st.ClientID != clientID {
			return state{}, errBadSession
		}
		if e.now().Unix() > st.Expires {
			return state{}, errInvalidSession
		}
		return st, nil
	}
	return state{}, errBadSession
}

// newState starts the state of a new sign-in, valid for the client's
// session validity (3 minutes unless set).
func (e *Engine) newState(kind step, a *attempt) state {
	nonce := make([]byte, 16)
	if _, err := e.rand.Read(nonce); err != nil {
		panic(err)
	}
	minutes := cmp.Or(a.client.Settings.AuthSessionValidity, 3)
	return state{Kind: kind, PoolID: a.pool.ID, ClientID: a.client.ID, Nonce: nonce, Minutes: minutes,
		Expires: e.now().Add(time.Duration(minutes) * time.Minute).Unix()}
}

// next is the state of a sign-in's next step: the same sign-in (its nonce),
// user, client and device, valid for the client's session validity from
// now, without what the step before kept.
func (e *Engine) next(kind step, prev state) state {
	minutes := cmp.Or(prev.Minutes, 3)
	return state{Kind: kind, PoolID: prev.PoolID, ClientID: prev.ClientID, Sub: prev.Sub, Username: prev.Username,
		Typed: prev.Typed, Nonce: prev.Nonce, Minutes: minutes, Device: prev.Device, NewPassword: prev.NewPassword,
		Expires: e.now().Add(time.Duration(minutes) * time.Minute).Unix()}
}

// expiry is when a state expires.
func (st state) expiry() time.Time { return time.Unix(st.Expires, 0).UTC() }
