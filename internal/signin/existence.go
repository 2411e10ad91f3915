package signin

import (
	"context"
	"slices"
	"strings"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/clientauth"
	"github.com/cognate-auth/cognate/internal/guard"
	"github.com/cognate-auth/cognate/internal/messaging"
	"github.com/cognate-auth/cognate/internal/srp"
	"github.com/cognate-auth/cognate/internal/store"
)

// Existence hiding. When a client prevents user existence errors
// (PreventUserExistenceErrors ENABLED), a name that is no user signs in as
// its decoy: a stable stand-in with a sub, an SRP salt and verifier, first
// factors and a destination for codes, all derived from the name under a
// key of the deployment. The decoy goes through the same steps as a user,
// does the same work (the same lookups, password checks and counters) and
// fails where a wrong password fails, so that neither the answers, nor
// their shapes, nor their timing tell the two apart:
//   - USER_ID_FOR_SRP is what a user's would be: its sub in a pool that
//     signs in by email or phone number, or when the name can only be an
//     alias; the name itself, as the pool compares names, otherwise;
//   - sealed states are padded, so they are as long as a user's;
//   - the lock-out and the budgets count for the decoy as for a user;
//   - what a decoy cannot do (storing and delivering a code) takes as long
//     as it takes for users (guard.Timing).

var (
	errBadCredentials = apierr.New(apierr.NotAuthorized, "Incorrect username or password.")
	errUserNotFound   = apierr.New(apierr.UserNotFound, "User does not exist.")
	errUserDisabled   = apierr.New(apierr.NotAuthorized, "User is disabled.")
)

// signer is whom a sign-in is for: a user, or the decoy of a name that is
// none.
type signer struct {
	user    store.User
	decoy   *guard.Decoy
	subject guard.Subject
	// name is the decoy's username (USER_ID_FOR_SRP); a user's is
	// user.Username.
	name string
}

func (s signer) isDecoy() bool { return s.decoy != nil }

func (s signer) sub() string {
	if s.decoy != nil {
		return s.decoy.Sub
	}
	return s.user.Sub
}

// username is the signer's username: the user's, or the decoy's.
func (s signer) username() string {
	if s.decoy != nil {
		return s.name
	}
	return s.user.Username
}

// signerOf finds whom the name a sign-in starts with signs in as, once
// the client's SECRET_HASH came, and checks the hash against the name and
// the signer's username.
func (e *Engine) signerOf(ctx context.Context, a *attempt, name string) (signer, error) {
	if err := clientauth.RequireSecretHash(a.client, a.params["SECRET_HASH"]); err != nil {
		return signer{}, err
	}
	s, err := e.resolve(ctx, a, name)
	if err != nil {
		return signer{}, err
	}
	if err := clientauth.CheckSecretHash(a.client, a.params["SECRET_HASH"], name, s.username()); err != nil {
		return signer{}, err
	}
	return s, nil
}

func userSigner(u store.User) signer { return signer{user: u, subject: guard.User(u.PoolID, u.Sub)} }

// resolve finds whom a name signs in as: the user, or, for a client that
// hides existence, the decoy; UserNotFoundException otherwise.
func (e *Engine) resolve(ctx context.Context, a *attempt, name string) (signer, error) {
	u, found, err := e.dir.FindUser(ctx, a.pool, name)
	if err != nil {
		return signer{}, err
	}
	if found {
		return userSigner(u), nil
	}
	if s, migrated, err := e.migrate(ctx, a, name); migrated || err != nil {
		return s, err
	}
	if !clientauth.HidesExistence(a.client) {
		return signer{}, errUserNotFound
	}
	s := e.decoySigner(a.pool, name)
	// Reading a user costs more than missing one; a second look-up, by
	// the decoy's sub, which misses too, makes up for it.
	if _, _, err := e.dir.UserBySub(ctx, a.pool, s.decoy.Sub); err != nil {
		return signer{}, err
	}
	return s, nil
}

// migrate gives a name that is no user to the pool's user migration
// trigger, at a sign-in with the password itself (a.password), and returns
// the user it created; migrated is false when there is no trigger, or when
// the function refused a name that a client hiding existence must fail
// as a wrong password, through the decoy.
func (e *Engine) migrate(ctx context.Context, a *attempt, name string) (s signer, migrated bool, err error) {
	if a.password == "" || a.pool.Settings.LambdaConfig.UserMigration == "" {
		return signer{}, false, nil
	}
	// The function hears of no name a client did not vouch for.
	if err := clientauth.CheckSecretHash(a.client, a.params["SECRET_HASH"], name); err != nil {
		return signer{}, false, err
	}
	u, found, err := e.dir.MigrateUser(ctx, a.pool, a.client, name, a.password, a.meta)
	switch {
	case found:
		return userSigner(u), true, nil
	case refusedMigration(err) && clientauth.HidesExistence(a.client):
		return signer{}, false, nil
	}
	return signer{}, false, err
}

// refusedMigration says the user migration function refused a name, or
// described no user: its own error, or an answer Cognito cannot read.
func refusedMigration(err error) bool {
	return apierr.HasCode(err, apierr.UserLambdaValidation) || apierr.HasCode(err, apierr.InvalidLambdaResponse)
}

// resume finds whom a sign-in under way is for: the user its state names,
// or the decoy of the name it was started with (a user deleted since is no
// one's decoy, and fails the same way).
func (e *Engine) resume(ctx context.Context, a *attempt) (signer, error) {
	u, found, err := e.dir.UserBySub(ctx, a.pool, a.state.Sub)
	if err != nil {
		return signer{}, err
	}
	if found {
		return userSigner(u), nil
	}
	if !clientauth.HidesExistence(a.client) {
		return signer{}, errUserNotFound
	}
	return e.decoySigner(a.pool, a.state.Typed), nil
}

func (e *Engine) decoySigner(p store.Pool, name string) signer {
	canonical := e.dir.CanonicalName(p, name)
	d := e.guard.Decoy(p.ID, canonical)
	return signer{decoy: &d, subject: d.Subject(p.ID), name: decoyUsername(p, canonical, d)}
}

// decoyUsername is the username a user found by name would have: its sub
// where usernames are subs (email or phone number as username), or where
// the name can only be an alias (an email address or phone number in a
// pool with such aliases, which no username may be); else the name.
func decoyUsername(p store.Pool, canonical string, d guard.Decoy) string {
	if len(p.Settings.UsernameAttributes) > 0 {
		return d.Sub
	}
	aliases := p.Settings.AliasAttributes
	if (slices.Contains(aliases, "email") && strings.Contains(canonical, "@")) ||
		(slices.Contains(aliases, "phone_number") && strings.HasPrefix(canonical, "+")) {
		return d.Sub
	}
	return canonical
}

// verifier is the SRP verifier a signer's password is checked against: the
// user's, or the decoy's. A user without a password (a federated one) has
// none to match and is given its name's decoy verifier.
func (e *Engine) verifier(p store.Pool, s signer) store.PasswordVerifier {
	if !s.isDecoy() && s.user.Password != nil {
		return *s.user.Password
	}
	d := s.decoy
	if d == nil {
		dd := e.guard.Decoy(p.ID, "\x00user:"+s.user.Sub)
		d = &dd
	}
	v := d.Bytes("srp-verifier", srpGroupBytes)
	v[0] &= 0x7f // below N, whose top bit is set
	v[len(v)-1] |= 1
	return store.PasswordVerifier{Salt: d.Bytes("srp-salt", srp.SaltSize), Verifier: v}
}

// srpGroupBytes is the size of the SRP group's elements (3072 bits).
const srpGroupBytes = 384

// decoyFactors are the first factors a decoy can use: a password, as
// nearly every user has, and, as many users would, a verified email
// address and phone number, each decided once per name.
func decoyFactors(allowed []string, d guard.Decoy) []string {
	b := d.Bytes("first-factors", 2)
	has := map[Challenge]bool{Password: true, PasswordSRP: true, EmailOTP: b[0] < 205, SMSOTP: b[1] < 128}
	var out []string
	for _, f := range firstFactorOrder {
		if has[f] && slices.Contains(allowed, poolFactor(f)) {
			out = append(out, string(f))
		}
	}
	return out
}

// decoyDestination is where a decoy's codes would go, masked.
func decoyDestination(d guard.Decoy, attr string) string {
	return messaging.Mask(attr, d.Address(attr))
}
