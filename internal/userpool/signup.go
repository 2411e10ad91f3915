package userpool

import (
	"context"
	"slices"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/clientauth"
	"github.com/cognate-auth/cognate/internal/messaging"
	"github.com/cognate-auth/cognate/internal/store"
)

// SignUpInput is a SignUp request.
type SignUpInput struct {
	ClientID   string
	SecretHash string
	Username   string
	Password   string
	Attributes []Attribute
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
	attr := deliveryAttribute(p, u)
	var code string
	if attr != "" {
		code = s.issueCode(&u, purposeSignUp, store.Code{Destination: attr})
	}
	u.Keys = userKeys(p, u)
	if err := s.store.CreateUser(ctx, u); err != nil {
		return SignUpResult{}, conflictError(p, err)
	}
	res := SignUpResult{UserSub: u.Sub}
	if attr != "" {
		d, err := s.sendCode(ctx, p, u, attr, purposeSignUp, code)
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
}

// ConfirmSignUp confirms a user with the code sent at sign-up; the
// attribute the code went to becomes verified.
func (s *Service) ConfirmSignUp(ctx context.Context, in ConfirmSignUpInput) error {
	c, p, err := s.appClient(ctx, in.ClientID)
	if err != nil {
		return err
	}
	u, err := s.findUser(ctx, p, in.Username)
	if err != nil {
		if apierr.HasCode(err, apierr.UserNotFound) && c.Settings.PreventUserExistenceErrors == "ENABLED" {
			return apierr.New(apierr.CodeMismatch, "Invalid verification code provided, please try again.")
		}
		return err
	}
	if err := clientauth.CheckSecretHash(c, in.SecretHash, in.Username, u.Username); err != nil {
		return err
	}
	var codeErr error
	_, err = s.updateUser(ctx, p, u, func(u *store.User) error {
		codeErr = nil
		if u.Status != store.StatusUnconfirmed {
			return apierr.Newf(apierr.NotAuthorized, "User cannot be confirmed. Current status is %s", u.Status)
		}
		code, err := s.consumeCode(u, purposeSignUp, in.Code)
		if err != nil {
			// Keep the attempt count: store the user, report the error.
			codeErr = err
			return nil
		}
		u.Status = store.StatusConfirmed
		if code.Destination != "" {
			u.Attributes[code.Destination+"_verified"] = "true"
		}
		return nil
	})
	if err != nil {
		return err
	}
	return codeErr
}

// ResendConfirmationCode sends a new sign-up code.
func (s *Service) ResendConfirmationCode(ctx context.Context, clientID, secretHash, username string) (CodeDelivery, error) {
	c, p, err := s.appClient(ctx, clientID)
	if err != nil {
		return CodeDelivery{}, err
	}
	if err := clientauth.RequireSecretHash(c, secretHash); err != nil {
		return CodeDelivery{}, err
	}
	u, err := s.findUser(ctx, p, username)
	if apierr.HasCode(err, apierr.UserNotFound) && c.Settings.PreventUserExistenceErrors == "ENABLED" {
		return simulatedDelivery(p, username), nil
	}
	if err != nil {
		return CodeDelivery{}, err
	}
	if err := clientauth.CheckSecretHash(c, secretHash, username, u.Username); err != nil {
		return CodeDelivery{}, err
	}
	if u.Status != store.StatusUnconfirmed {
		return CodeDelivery{}, apierr.New(apierr.InvalidParameter, "User is already confirmed.")
	}
	attr := deliveryAttribute(p, u)
	if attr == "" {
		return CodeDelivery{}, apierr.New(apierr.InvalidParameter, "Auto verification not turned on.")
	}
	var code string
	u, err = s.updateUser(ctx, p, u, func(u *store.User) error {
		code = s.issueCode(u, purposeSignUp, store.Code{Destination: attr})
		return nil
	})
	if err != nil {
		return CodeDelivery{}, err
	}
	return s.sendCode(ctx, p, u, attr, "ResendCode", code)
}

// AdminConfirmSignUp confirms a user without a code.
func (s *Service) AdminConfirmSignUp(ctx context.Context, poolID, username string) error {
	p, u, err := s.userByName(ctx, poolID, username)
	if err != nil {
		return err
	}
	_, err = s.updateUser(ctx, p, u, func(u *store.User) error {
		if u.Status != store.StatusUnconfirmed {
			return apierr.Newf(apierr.NotAuthorized, "User cannot be confirmed. Current status is %s", u.Status)
		}
		u.Status = store.StatusConfirmed
		delete(u.Codes, purposeSignUp)
		return nil
	})
	return err
}

// simulatedDelivery is what a client that prevents user-existence errors
// reports for a name that is not a user: a delivery that looks real.
func simulatedDelivery(p store.Pool, name string) CodeDelivery {
	attr := "email"
	if !slices.Contains(p.Settings.AutoVerifiedAttributes, "email") && slices.Contains(p.Settings.AutoVerifiedAttributes, "phone_number") {
		attr = "phone_number"
	}
	dest := name
	if attr == "email" && !looksLikeEmail(name) {
		dest = name + "@" + name
	}
	if attr == "phone_number" && !looksLikePhone(name) {
		dest = "+10000000000"
	}
	medium := "EMAIL"
	if attr == "phone_number" {
		medium = "SMS"
	}
	return CodeDelivery{Destination: messaging.Mask(attr, dest), DeliveryMedium: medium, AttributeName: attr}
}
