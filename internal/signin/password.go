package signin

import (
	"cmp"
	"context"
	"encoding/base64"
	"errors"
	"strings"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/guard"
	"github.com/cognate-auth/cognate/internal/requestctx"
	"github.com/cognate-auth/cognate/internal/srp"
	"github.com/cognate-auth/cognate/internal/store"
)

// Password proofs: the password itself (USER_PASSWORD_AUTH,
// ADMIN_USER_PASSWORD_AUTH, USER_AUTH's PASSWORD) or SRP (USER_SRP_AUTH,
// USER_AUTH's PASSWORD_SRP, then PASSWORD_VERIFIER). Every proof goes
// through prove.

// claimNone is a proof that answers no challenge of its own.
var claimNone = guard.Claim{}

// prove admits a password proof of s with the guard, then runs check. The
// guard refuses a locked-out signer before anything is evaluated, counts
// the proof as a failure until check passes, and uses claim up, so that the
// challenge the proof answers is answered once. A decoy's proof is
// checked, as a user's is, and always fails.
func (e *Engine) prove(ctx context.Context, a *attempt, s signer, claim guard.Claim, check func() bool) (bool, error) {
	proof, err := e.guard.BeginProof(ctx, s.subject, claim)
	if errors.Is(err, guard.ErrLocked) {
		e.log.InfoContext(ctx, "sign-in refused: locked out", "request_id", requestctx.RequestID(ctx), "pool", a.pool.ID,
			"client", a.client.ID, "sub", s.sub(), "decoy", s.isDecoy())
	}
	if err != nil {
		return false, err
	}
	ok := check() && !s.isDecoy()
	if ok {
		if err := proof.Succeeded(ctx); err != nil {
			return false, err
		}
	}
	return ok, nil
}

// preAuthentication runs the pool's pre authentication trigger for s: a
// decoy's too, as a name that is no user (userNotFound), so that both take
// the same path.
func (e *Engine) preAuthentication(ctx context.Context, a *attempt, s signer, name string) error {
	var u *store.User
	if !s.isDecoy() {
		u = &s.user
	}
	return e.dir.PreAuthentication(ctx, a.pool, a.client, u, name, a.meta)
}

// claimOf is the claim of the challenge a state issued.
func (e *Engine) claimOf(st state) guard.Claim {
	return e.guard.ChallengeClaim(st.Nonce, string(st.Kind), st.expiry())
}

// poolName is the part of a pool id after the underscore, which SRP hashes.
func poolName(poolID string) string {
	_, name, _ := strings.Cut(poolID, "_")
	return name
}

// startPassword runs a sign-in with the password itself. A sign-in begun
// earlier (USER_AUTH's SELECT_CHALLENGE) keeps its nonce, and answers its
// claim; nil starts a new one.
func (e *Engine) startPassword(ctx context.Context, a *attempt, nonce []byte, claim guard.Claim) (Result, error) {
	name, password := a.params["USERNAME"], a.params["PASSWORD"]
	if name == "" {
		return Result{}, missing("USERNAME")
	}
	if password == "" {
		return Result{}, missing("PASSWORD")
	}
	a.password = password
	s, err := e.signerOf(ctx, a, name)
	if err != nil {
		return Result{}, err
	}
	if err := e.preAuthentication(ctx, a, s, name); err != nil {
		return Result{}, err
	}
	if nonce == nil {
		nonce = make([]byte, 16)
		if _, err := e.rand.Read(nonce); err != nil {
			return Result{}, apierr.Internal(err)
		}
	}
	v := e.verifier(a.pool, s)
	ok, err := e.prove(ctx, a, s, claim, func() bool {
		return srp.CheckPassword(poolName(a.pool.ID), s.username(), password, v.Salt, v.Verifier)
	})
	if err != nil {
		return Result{}, err
	}
	return e.afterPassword(ctx, a, s, ok, nonce, name, a.params["DEVICE_KEY"])
}

// startSRP answers USER_SRP_AUTH with a PASSWORD_VERIFIER challenge. A
// sign-in begun earlier (USER_AUTH's SELECT_CHALLENGE) keeps its nonce; nil
// starts a new one.
func (e *Engine) startSRP(ctx context.Context, a *attempt, nonce []byte) (Result, error) {
	name := a.params["USERNAME"]
	if name == "" {
		return Result{}, missing("USERNAME")
	}
	if a.params["SRP_A"] == "" {
		return Result{}, missing("SRP_A")
	}
	A, err := srp.ParsePublic(a.params["SRP_A"])
	if err != nil {
		return Result{}, apierr.New(apierr.InvalidParameter, "Invalid SRP_A.")
	}
	s, err := e.signerOf(ctx, a, name)
	if err != nil {
		return Result{}, err
	}
	// Cognito runs the trigger at InitiateAuth, with its ClientMetadata,
	// before the password verifier is asked for.
	if err := e.preAuthentication(ctx, a, s, name); err != nil {
		return Result{}, err
	}
	v := e.verifier(a.pool, s)
	ch, err := srp.NewChallenge(v.Verifier)
	if err != nil {
		return Result{}, apierr.Internal(err)
	}
	st := e.newState(stepPasswordVerifier, a)
	st.Sub, st.Username, st.Typed, st.Device = s.sub(), s.username(), name, a.params["DEVICE_KEY"]
	st.A, st.SecretB, st.B = A, ch.Secret, ch.Public
	if nonce != nil {
		st.Nonce = nonce
	}
	return Result{
		Challenge: PasswordVerifier,
		Parameters: map[string]string{
			"SALT":            srp.HexInt(v.Salt),
			"SECRET_BLOCK":    e.seal(st),
			"SRP_B":           srp.HexInt(ch.Public),
			"USERNAME":        s.username(),
			"USER_ID_FOR_SRP": s.username(),
		},
	}, nil
}

var errTimestampFormat = apierr.New(apierr.InvalidParameter, "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.")

// checkTimestamp checks the TIMESTAMP of a verifier's answer: its format,
// then that it is recent.
func (e *Engine) checkTimestamp(ts string) error {
	if _, err := srp.CheckTimestamp(ts, e.now()); errors.Is(err, srp.ErrTimestampFormat) {
		return errTimestampFormat
	} else if err != nil {
		return errBadCredentials
	}
	return nil
}

// verifySRP checks the PASSWORD_VERIFIER answer: once per challenge.
func (e *Engine) verifySRP(ctx context.Context, a *attempt) (Result, error) {
	r, st := a.params, a.state
	if err := e.checkTimestamp(r["TIMESTAMP"]); err != nil {
		return Result{}, err
	}
	s, err := e.resume(ctx, a)
	if err != nil {
		return Result{}, err
	}
	// open decoded the same string, so this cannot fail.
	block, _ := base64.StdEncoding.DecodeString(r["PASSWORD_CLAIM_SECRET_BLOCK"])
	v := e.verifier(a.pool, s)
	ok, err := e.prove(ctx, a, s, e.claimOf(st), func() bool {
		return srp.VerifyClaim(srp.Claim{
			PoolName: poolName(a.pool.ID), UserID: s.username(),
			Verifier: v.Verifier, ClientPublic: st.A, ServerSecret: st.SecretB, ServerPublic: st.B,
			SecretBlock: block, Timestamp: r["TIMESTAMP"], Signature: r["PASSWORD_CLAIM_SIGNATURE"],
		})
	})
	if err != nil {
		return Result{}, err
	}
	// amazon-cognito-identity-js sends DEVICE_KEY only here.
	if len(st.Rounds) > 0 {
		return e.afterCustomPassword(ctx, a, s, ok, cmp.Or(r["DEVICE_KEY"], st.Device))
	}
	return e.afterPassword(ctx, a, s, ok, st.Nonce, st.Typed, cmp.Or(r["DEVICE_KEY"], st.Device))
}
