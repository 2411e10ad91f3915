package userpool

import (
	"cmp"
	"context"
	"errors"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/clientauth"
	"github.com/cognate-auth/cognate/internal/guard"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/triggers/events"
)

// SignUpInput is a SignUp request.
type SignUpInput struct {
	ClientID   string
	SecretHash string
	Username   string
	Password   string
	Attributes []Attribute
	// ValidationData and ClientMetadata go to the pre sign-up trigger
	// (ClientMetadata to the post confirmation trigger of ConfirmSignUp).
	ValidationData map[string]string
	ClientMetadata map[string]string
}

// SignUpResult is what SignUp reports.
type SignUpResult struct {
	UserSub   string
	Confirmed bool
	Delivery  *CodeDelivery
}

// SignUp registers a user through an app client.
func (s *Service) SignUp(ctx context.Context, in SignUpInput) (SignUpResult, error) {
	c, p, err := s.appClient(ctx, in.ClientID)
	if err != nil {
		return SignUpResult{}, err
	}
	if err := clientauth.CheckSecretHash(c, in.SecretHash, in.Username); err != nil {
		return SignUpResult{}, err
	}
	if p.Settings.AdminCreateUser.AllowAdminCreateUserOnly {
		return SignUpResult{}, apierr.New(apierr.NotAuthorized, "SignUp is not permitted for this user pool")
	}
	if err := checkPassword(p.Settings.PasswordPolicy, in.Password); err != nil {
		return SignUpResult{}, err
	}
	now := s.clock()
	u := store.User{PoolID: p.ID, Sub: s.newUUID(), Status: store.StatusUnconfirmed, Enabled: true,
		CreatedAt: now, UpdatedAt: now, Attributes: map[string]string{}}
	if err := applyAttributes(p, &c, byClient, &u, in.Attributes, true); err != nil {
		return SignUpResult{}, err
	}
	if err := prepareUsername(p, &u, in.Username); err != nil {
		return SignUpResult{}, err
	}
	if err := checkRequired(p, u); err != nil {
		return SignUpResult{}, err
	}
	if u.Password, err = newVerifier(p.ID, u.Username, in.Password); err != nil {
		return SignUpResult{}, err
	}
	// The trigger runs before anything is written: its refusal leaves no user.
	if err := s.preSignUp(ctx, p, events.PreSignUpSignUp, c.ID, &u, in.ValidationData, in.ClientMetadata); err != nil {
		return SignUpResult{}, err
	}
	confirmed := u.Status == store.StatusConfirmed
	attr := deliveryAttribute(p, u)
	if confirmed {
		attr = "" // no code confirms an auto-confirmed user
	}
	var code string
	if attr != "" {
		code = s.issueCode(&u, purposeSignUp, store.Code{Destination: attr})
	}
	u.Keys = userKeys(p, u)
	if err := s.store.CreateUser(ctx, u); err != nil {
		return SignUpResult{}, conflictError(p, err)
	}
	res := SignUpResult{UserSub: u.Sub, Confirmed: confirmed}
	if confirmed {
		// A user the pre sign-up trigger confirmed is confirmed now, as
		// ConfirmSignUp would confirm it later.
		if err := s.postConfirmation(ctx, p, events.PostConfirmationConfirmSignUp, c.ID, u, in.ClientMetadata); err != nil {
			return SignUpResult{}, err
		}
	}
	if attr != "" {
		d, err := s.sendCode(ctx, p, u, attr, purposeSignUp, code, origin{events.CustomMessageSignUp, c.ID, in.ClientMetadata})
		if err != nil {
			return SignUpResult{}, err
		}
		res.Delivery = &d
	}
	return res, nil
}

// ConfirmSignUpInput is a ConfirmSignUp request.
type ConfirmSignUpInput struct {
	ClientID           string
	SecretHash         string
	Username           string
	Code               string
	ForceAliasCreation bool
	ClientMetadata     map[string]string // for the post confirmation trigger
}

// errTooManyCodes refuses a code once the user's budget of tries is spent.
var errTooManyCodes = apierr.New(apierr.TooManyFailedAttempts, "Too many failed attempts.")

// ConfirmSignUp confirms a user with the code sent at sign-up; the
// attribute the code went to becomes verified. Every try spends the user's
// budget. When the client hides existence, a name that is no user, and a
// user who is confirmed already, get the answer of a wrong code.
func (s *Service) ConfirmSignUp(ctx context.Context, in ConfirmSignUpInput) error {
	c, p, err := s.appClient(ctx, in.ClientID)
	if err != nil {
		return err
	}
	r, err := s.recipientOf(ctx, c, p, in.Username)
	if err != nil {
		return err
	}
	if err := clientauth.CheckSecretHash(c, in.SecretHash, in.Username, r.username()); err != nil {
		return err
	}
	start := time.Now()
	if err := s.spend(ctx, r, "code-attempt/"+purposeSignUp, codeAttempts); err != nil {
		if errors.Is(err, guard.ErrLimitExceeded) {
			return errTooManyCodes
		}
		return err
	}
	if r.decoy != nil {
		s.timing.Wait(ctx, timingSignUpCheck, start)
		return errCodeMismatch
	}
	defer s.timing.Observe(timingSignUpCheck, start)
	// A wrong code aborts the update: nothing is written, as nothing is for
	// a decoy. With ForceAliasCreation, an alias the confirmation verifies
	// that another user holds moves to this one, and the confirmation is
	// tried again.
	confirm := func() (store.User, error) { return s.confirmSignUp(ctx, c, p, r.user, in.Code) }
	u, err := confirm()
	for i := 0; in.ForceAliasCreation && apierr.HasCode(err, apierr.AliasExists) && i < aliasMoves; i++ {
		if err := s.takeAliasesOf(ctx, p, r.user); err != nil {
			return err
		}
		u, err = confirm()
	}
	if err != nil {
		return err
	}
	return s.postConfirmation(ctx, p, events.PostConfirmationConfirmSignUp, c.ID, u, in.ClientMetadata)
}

// confirmSignUp confirms user with code, verifying the attribute the
// code went to.
func (s *Service) confirmSignUp(ctx context.Context, c store.Client, p store.Pool, user store.User, code string) (store.User, error) {
	return s.updateUser(ctx, p, user, func(u *store.User) error {
		if u.Status != store.StatusUnconfirmed {
			if clientauth.HidesExistence(c) {
				return errCodeMismatch
			}
			return apierr.Newf(apierr.NotAuthorized, "User cannot be confirmed. Current status is %s", u.Status)
		}
		issued, err := s.consumeCode(u, purposeSignUp, code)
		if err != nil {
			return err
		}
		u.Status = store.StatusConfirmed
		if issued.Destination != "" {
			u.Attributes[issued.Destination+"_verified"] = "true"
		}
		return nil
	})
}

var errNoAutoVerification = apierr.New(apierr.InvalidParameter, "Auto verification not turned on.")

// ResendConfirmationCode sends a new sign-up code, within the user's
// budget of requests. When the client hides existence, a name that is no
// user, and a user who is confirmed already, are told of a code sent as an
// unconfirmed user is, and nothing is sent.
func (s *Service) ResendConfirmationCode(ctx context.Context, clientID, secretHash, username string, clientMetadata map[string]string) (CodeDelivery, error) {
	c, p, err := s.appClient(ctx, clientID)
	if err != nil {
		return CodeDelivery{}, err
	}
	if err := clientauth.RequireSecretHash(c, secretHash); err != nil {
		return CodeDelivery{}, err
	}
	r, err := s.recipientOf(ctx, c, p, username)
	if err != nil {
		return CodeDelivery{}, err
	}
	if err := clientauth.CheckSecretHash(c, secretHash, username, r.username()); err != nil {
		return CodeDelivery{}, err
	}
	if len(p.Settings.AutoVerifiedAttributes) == 0 {
		return CodeDelivery{}, errNoAutoVerification
	}
	start := time.Now()
	if err := s.spend(ctx, r, "code-request/"+purposeSignUp, codeRequests); err != nil {
		return CodeDelivery{}, err
	}
	if r.decoy != nil {
		return s.pretendDelivery(ctx, p, r, username, signUpAttribute(p), timingSignUpCode, start), nil
	}
	u := r.user
	attr := deliveryAttribute(p, u)
	if u.Status != store.StatusUnconfirmed {
		if clientauth.HidesExistence(c) {
			return s.pretendDelivery(ctx, p, r, username, cmp.Or(attr, signUpAttribute(p)), timingSignUpCode, start), nil
		}
		return CodeDelivery{}, apierr.New(apierr.InvalidParameter, "User is already confirmed.")
	}
	if attr == "" {
		return CodeDelivery{}, errNoAutoVerification
	}
	var code string
	u, err = s.updateUser(ctx, p, u, func(u *store.User) error {
		code = s.issueCode(u, purposeSignUp, store.Code{Destination: attr})
		return nil
	})
	if err != nil {
		return CodeDelivery{}, err
	}
	d, err := s.sendCode(ctx, p, u, attr, "ResendCode", code, origin{events.CustomMessageResendCode, c.ID, clientMetadata})
	if err == nil {
		s.timing.Observe(timingSignUpCode, start)
	}
	return d, err
}

// AdminConfirmSignUp confirms a user without a code; clientMetadata goes
// to the post confirmation trigger.
func (s *Service) AdminConfirmSignUp(ctx context.Context, poolID, username string, clientMetadata map[string]string) error {
	p, u, err := s.userByName(ctx, poolID, username)
	if err != nil {
		return err
	}
	u, err = s.updateUser(ctx, p, u, func(u *store.User) error {
		if u.Status != store.StatusUnconfirmed {
			return apierr.Newf(apierr.NotAuthorized, "User cannot be confirmed. Current status is %s", u.Status)
		}
		u.Status = store.StatusConfirmed
		delete(u.Codes, purposeSignUp)
		return nil
	})
	if err != nil {
		return err
	}
	return s.postConfirmation(ctx, p, events.PostConfirmationConfirmSignUp, adminClientID, u, clientMetadata)
}
