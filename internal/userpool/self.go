package userpool

import (
	"context"
	"maps"
	"slices"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/guard"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/triggers/events"
)

// verifyPurpose is the code purpose of verifying an attribute.
func verifyPurpose(attr string) string { return "Verify:" + attr }

// UpdateUserAttributes sets the caller's attributes. Changing an email or
// phone number the pool verifies marks it unverified and sends a code to
// the new value; the returned deliveries say where.
func (s *Service) UpdateUserAttributes(ctx context.Context, token string, attrs []Attribute, clientMetadata map[string]string) ([]CodeDelivery, error) {
	caller, err := s.Authenticate(ctx, token)
	if err != nil {
		return nil, err
	}
	return s.updateAttributes(ctx, caller.Pool, &caller.Client, byClient, caller.User, attrs, clientMetadata)
}

// updateAttributes sets attributes of u. A changed email or phone number
// becomes unverified and, when the pool verifies it automatically and the
// same request does not mark it verified, gets a code; the returned
// deliveries say where the codes went. When the pool keeps the original
// until the new value is verified (AttributesRequireVerificationBeforeUpdate),
// a verified email or phone number stays as it is and the new value waits
// with its code, which VerifyUserAttribute turns into the attribute.
func (s *Service) updateAttributes(ctx context.Context, p store.Pool, cl *store.Client, mode attrMode, cur store.User, attrs []Attribute,
	clientMetadata map[string]string) ([]CodeDelivery, error) {
	var toVerify []string
	pending := map[string]string{}
	for _, a := range attrs {
		if (a.Name == "email" || a.Name == "phone_number") && a.Value != cur.Attributes[a.Name] {
			markedVerified := slices.Contains(attrs, Attribute{Name: a.Name + "_verified", Value: "true"})
			if a.Value != "" && !markedVerified && slices.Contains(p.Settings.AutoVerifiedAttributes, a.Name) {
				toVerify = append(toVerify, a.Name)
				if keepsOriginal(p, cur, a.Name) {
					pending[a.Name] = a.Value
				}
			}
		}
	}
	if len(pending) > 0 {
		attrs = slices.DeleteFunc(slices.Clone(attrs), func(a Attribute) bool { _, ok := pending[a.Name]; return ok })
	}
	if mode == byClient {
		for _, name := range toVerify {
			if err := s.spendVerifyRequest(ctx, cur, name); err != nil {
				return nil, err
			}
		}
	}
	codes := map[string]string{}
	u, err := s.updateUser(ctx, p, cur, func(u *store.User) error {
		before := maps.Clone(u.Attributes)
		if err := applyAttributes(p, cl, mode, u, attrs, false); err != nil {
			return err
		}
		// The pending values must be ones the caller may write.
		if err := applyAttributes(p, cl, mode, &store.User{Attributes: map[string]string{}}, pendingAttributes(pending), false); err != nil {
			return err
		}
		unverifyChanged(before, u, attrs)
		if err := checkRequired(p, *u); err != nil {
			return err
		}
		for _, name := range toVerify {
			codes[name] = s.issueCode(u, verifyPurpose(name), store.Code{Destination: name, Pending: pending[name]})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []CodeDelivery
	for _, name := range toVerify {
		o := origin{events.CustomMessageUpdateUserAttribute, adminClientID, clientMetadata}
		if cl != nil {
			o.clientID = cl.ID
		}
		d, err := s.sendCode(ctx, p, withValue(u, name, pending[name]), name, "VerifyUserAttribute", codes[name], o)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// keepsOriginal reports whether a change of u's attr waits for verification:
// the pool asks for it and the current value is verified.
func keepsOriginal(p store.Pool, u store.User, attr string) bool {
	return slices.Contains(p.Settings.AttributesRequireVerificationBeforeUpdate, attr) &&
		u.Attributes[attr] != "" && u.Attributes[attr+"_verified"] == "true"
}

func pendingAttributes(pending map[string]string) []Attribute {
	var out []Attribute
	for name, v := range pending {
		out = append(out, Attribute{Name: name, Value: v})
	}
	return out
}

// withValue returns u with attr set to v, for sending a code to a value
// that is not the user's yet; u itself when v is "".
func withValue(u store.User, attr, v string) store.User {
	if v == "" {
		return u
	}
	u.Attributes = maps.Clone(u.Attributes)
	u.Attributes[attr] = v
	return u
}

// DeleteUserAttributes removes attributes of the caller, with the rules of
// UpdateUserAttributes: the client must be allowed to write them, and
// required or immutable attributes stay.
func (s *Service) DeleteUserAttributes(ctx context.Context, token string, names []string) error {
	caller, err := s.Authenticate(ctx, token)
	if err != nil {
		return err
	}
	_, err = s.updateAttributes(ctx, caller.Pool, &caller.Client, byClient, caller.User, deletions(names), nil)
	return err
}

// deletions turns attribute names into the updates that remove them.
func deletions(names []string) []Attribute {
	out := make([]Attribute, len(names))
	for i, n := range names {
		out[i] = Attribute{Name: n}
	}
	return out
}

// GetUserAttributeVerificationCode sends a code to verify an attribute,
// within the caller's budget of requests.
func (s *Service) GetUserAttributeVerificationCode(ctx context.Context, token, attr string, clientMetadata map[string]string) (CodeDelivery, error) {
	caller, err := s.Authenticate(ctx, token)
	if err != nil {
		return CodeDelivery{}, err
	}
	if attr != "email" && attr != "phone_number" {
		return CodeDelivery{}, apierr.New(apierr.InvalidParameter, "Invalid attribute name specified for verification.")
	}
	if caller.User.Attributes[attr] == "" {
		return CodeDelivery{}, apierr.Newf(apierr.InvalidParameter, "User has no attribute %s.", attr)
	}
	if err := s.spendVerifyRequest(ctx, caller.User, attr); err != nil {
		return CodeDelivery{}, err
	}
	var code, pending string
	u, err := s.updateUser(ctx, caller.Pool, caller.User, func(u *store.User) error {
		pending = u.Codes[verifyPurpose(attr)].Pending // a new value still waiting keeps waiting
		code = s.issueCode(u, verifyPurpose(attr), store.Code{Destination: attr, Pending: pending})
		return nil
	})
	if err != nil {
		return CodeDelivery{}, err
	}
	return s.sendCode(ctx, caller.Pool, withValue(u, attr, pending), attr, "VerifyUserAttribute", code,
		origin{events.CustomMessageVerifyUserAttribute, caller.Client.ID, clientMetadata})
}

// spendVerifyRequest spends one of a user's requests of codes verifying
// attr.
func (s *Service) spendVerifyRequest(ctx context.Context, u store.User, attr string) error {
	return s.spend(ctx, recipient{user: u, subject: userSubject(u)}, "code-request/"+verifyPurpose(attr), codeRequests)
}

// VerifyUserAttribute marks an attribute verified with the code sent to
// it, within the caller's budget of tries.
func (s *Service) VerifyUserAttribute(ctx context.Context, token, attr, code string) error {
	caller, err := s.Authenticate(ctx, token)
	if err != nil {
		return err
	}
	r := recipient{user: caller.User, subject: userSubject(caller.User)}
	if err := s.spend(ctx, r, "code-attempt/"+verifyPurpose(attr), codeAttempts); err != nil {
		return err
	}
	// A wrong code aborts the update: nothing is written.
	_, err = s.updateUser(ctx, caller.Pool, caller.User, func(u *store.User) error {
		c, err := s.consumeCode(u, verifyPurpose(attr), code)
		if err != nil {
			return err
		}
		if c.Pending != "" {
			u.Attributes[attr] = c.Pending // the new value, kept aside until now
		}
		u.Attributes[attr+"_verified"] = "true"
		return nil
	})
	return err
}

// ChangePassword replaces the caller's password after checking the old
// one. The check is a password proof like a sign-in's: refused while the
// user is locked out, and a wrong previous password counts towards the
// lock-out.
func (s *Service) ChangePassword(ctx context.Context, token, previous, proposed string) error {
	caller, err := s.Authenticate(ctx, token)
	if err != nil {
		return err
	}
	p, u := caller.Pool, caller.User
	proof, err := s.guard.BeginProof(ctx, userSubject(u), guard.Claim{})
	if err != nil {
		return err
	}
	if !passwordMatches(p.ID, u, previous) {
		return apierr.New(apierr.NotAuthorized, "Incorrect username or password.")
	}
	if err := proof.Succeeded(ctx); err != nil {
		return err
	}
	if err := checkPassword(p.Settings.PasswordPolicy, proposed); err != nil {
		return err
	}
	verifier, err := newVerifier(p.ID, u.Username, proposed)
	if err != nil {
		return err
	}
	_, err = s.updateUser(ctx, p, u, func(u *store.User) error {
		u.Password = verifier
		return nil
	})
	return err
}

// unverifyChanged marks an email or phone number that attrs change as
// unverified, as Cognito does: its _verified attribute reads "false" (it
// is not removed), unless attrs set that attribute too (administrators
// may), or the value was removed.
func unverifyChanged(before map[string]string, u *store.User, attrs []Attribute) {
	for _, a := range attrs {
		if (a.Name != "email" && a.Name != "phone_number") || a.Value == before[a.Name] ||
			slices.ContainsFunc(attrs, func(b Attribute) bool { return b.Name == a.Name+"_verified" }) {
			continue
		}
		if a.Value == "" {
			delete(u.Attributes, a.Name+"_verified")
		} else {
			u.Attributes[a.Name+"_verified"] = "false"
		}
	}
}
