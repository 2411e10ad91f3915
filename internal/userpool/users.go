package userpool

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
)

// Attribute is a user attribute as the API carries it.
type Attribute struct {
	Name  string
	Value string
}

// normalise lower-cases a username or alias when the pool ignores case.
func normalise(p store.Pool, v string) string {
	if p.Settings.CaseSensitive {
		return v
	}
	return strings.ToLower(v)
}

// userKeys computes the unique lookup keys of u: its username and sub, and
// the attributes it can sign in with. An email or phone number used as
// username is a key whatever its verification state; as an alias it is one
// only once verified; preferred_username is one as soon as it is set.
func userKeys(p store.Pool, u store.User) []store.UserKey {
	keys := []store.UserKey{
		{Kind: store.KeyUsername, Value: normalise(p, u.Username)},
		{Kind: store.KeySub, Value: u.Sub},
	}
	for _, a := range p.Settings.UsernameAttributes {
		if v := u.Attributes[a]; v != "" {
			keys = append(keys, store.UserKey{Kind: a, Value: strings.ToLower(v)})
		}
	}
	for _, a := range p.Settings.AliasAttributes {
		v := u.Attributes[a]
		if v == "" {
			continue
		}
		switch a {
		case "email", "phone_number":
			if u.Attributes[a+"_verified"] == "true" {
				keys = append(keys, store.UserKey{Kind: a, Value: strings.ToLower(v)})
			}
		default:
			keys = append(keys, store.UserKey{Kind: a, Value: normalise(p, v)})
		}
	}
	return keys
}

// conflictError turns a key conflict into Cognito's error for it.
func conflictError(p store.Pool, err error) error {
	var kc *store.KeyConflictError
	if !errors.As(err, &kc) {
		return storeErr(err, p.ID)
	}
	switch {
	case kc.Key.Kind == store.KeyUsername:
		return apierr.New(apierr.UsernameExists, "User already exists")
	case slices.Contains(p.Settings.UsernameAttributes, kc.Key.Kind):
		return apierr.Newf(apierr.UsernameExists, "An account with the given %s already exists.", attrNoun(kc.Key.Kind))
	default:
		return apierr.Newf(apierr.AliasExists, "An account with the %s already exists.", attrNoun(kc.Key.Kind))
	}
}

func attrNoun(kind string) string {
	if kind == "phone_number" {
		return "phone number"
	}
	return kind
}

// findUser resolves what a user typed to sign in (username, or an
// email/phone/preferred_username the pool accepts) to the user.
func (s *Service) findUser(ctx context.Context, p store.Pool, name string) (store.User, error) {
	kinds := []string{store.KeyUsername}
	kinds = append(kinds, p.Settings.UsernameAttributes...)
	kinds = append(kinds, p.Settings.AliasAttributes...)
	for _, kind := range kinds {
		v := normalise(p, name)
		if kind == "email" || kind == "phone_number" {
			v = strings.ToLower(name)
		}
		u, err := s.store.GetUserByKey(ctx, p.ID, store.UserKey{Kind: kind, Value: v})
		if err == nil {
			return u, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return store.User{}, apierr.Internal(err)
		}
	}
	return store.User{}, errUserNotFound
}

var errUserNotFound = apierr.New(apierr.UserNotFound, "User does not exist.")

// userByName is findUser for administrative calls that name a user.
func (s *Service) userByName(ctx context.Context, poolID, name string) (store.Pool, store.User, error) {
	p, err := s.Pool(ctx, poolID)
	if err != nil {
		return p, store.User{}, err
	}
	u, err := s.findUser(ctx, p, name)
	return p, u, err
}

// updateUser runs a compare-and-swap update of u, recomputing its keys.
func (s *Service) updateUser(ctx context.Context, p store.Pool, u store.User, update func(*store.User) error) (store.User, error) {
	out, err := s.store.UpdateUser(ctx, p.ID, store.UserKey{Kind: store.KeySub, Value: u.Sub}, func(cur store.User) (store.User, error) {
		cur.Attributes = maps.Clone(cur.Attributes)
		cur.Codes = maps.Clone(cur.Codes)
		if err := update(&cur); err != nil {
			return cur, err
		}
		cur.Keys = userKeys(p, cur)
		cur.UpdatedAt = s.clock()
		return cur, nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return out, errUserNotFound
	}
	if err != nil {
		return out, conflictError(p, err)
	}
	return out, nil
}

// attributeList returns a user's attributes (sub first, then by name),
// limited to readable ones when readable is not nil.
func attributeList(u store.User, readable func(string) bool) []Attribute {
	out := []Attribute{{Name: "sub", Value: u.Sub}}
	for _, name := range slices.Sorted(maps.Keys(u.Attributes)) {
		if readable == nil || readable(name) {
			out = append(out, Attribute{Name: name, Value: u.Attributes[name]})
		}
	}
	return out
}

// readableBy returns the client's read filter (nil: everything).
func readableBy(c store.Client) func(string) bool {
	if len(c.Settings.ReadAttributes) == 0 {
		return nil
	}
	return func(name string) bool { return slices.Contains(c.Settings.ReadAttributes, name) }
}

// attrMode says who is writing attributes.
type attrMode int

const (
	byAdmin  attrMode = iota // Admin* operations: any schema attribute
	byClient                 // SignUp, UpdateUserAttributes: the client's write attributes
)

// applyAttributes validates attrs against the pool schema (and the client's
// write permissions) and sets them on u.
func applyAttributes(p store.Pool, c *store.Client, mode attrMode, u *store.User, attrs []Attribute, creating bool) error {
	for _, a := range attrs {
		if a.Name == "sub" {
			if creating && mode == byAdmin {
				continue
			}
			return apierr.New(apierr.InvalidParameter, "Cannot modify the non-mutable attribute sub")
		}
		sa, ok := findAttribute(p.Settings.Schema, a.Name)
		if !ok {
			return apierr.Newf(apierr.InvalidParameter, "Attribute does not exist in the schema.")
		}
		if mode == byClient {
			if sa.DeveloperOnly {
				return apierr.Newf(apierr.NotAuthorized, "A client attempted to write unauthorized attribute")
			}
			if c != nil && len(c.Settings.WriteAttributes) > 0 && !slices.Contains(c.Settings.WriteAttributes, a.Name) {
				return apierr.Newf(apierr.NotAuthorized, "A client attempted to write unauthorized attribute")
			}
		}
		if !creating && !sa.Mutable {
			return apierr.Newf(apierr.InvalidParameter, "Cannot modify the non-mutable attribute %s", a.Name)
		}
		if a.Value == "" {
			delete(u.Attributes, a.Name)
			continue
		}
		if sa.DataType == TypeBoolean && (strings.EqualFold(a.Value, "true") || strings.EqualFold(a.Value, "false")) {
			a.Value = strings.ToLower(a.Value) // Cognito takes True and FALSE too
		}
		if err := checkAttributeValue(sa, a.Value); err != nil {
			return err
		}
		u.Attributes[a.Name] = a.Value
	}
	return nil
}

// checkRequired reports the first required attribute u lacks.
func checkRequired(p store.Pool, u store.User) error {
	for _, a := range p.Settings.Schema {
		if a.Required && a.Name != "sub" && u.Attributes[a.Name] == "" {
			return apierr.Newf(apierr.InvalidParameter, "Attributes did not conform to the schema: %s: The attribute is required", a.Name)
		}
	}
	return nil
}

// prepareUsername applies the pool's sign-in settings to the username a
// new user was given: with email or phone as username, the username must be
// one, becomes the matching attribute, and the user's real username is its
// sub.
func prepareUsername(p store.Pool, u *store.User, given string) error {
	if len(p.Settings.UsernameAttributes) > 0 {
		for _, a := range p.Settings.UsernameAttributes {
			if (a == "email" && looksLikeEmail(given)) || (a == "phone_number" && looksLikePhone(given)) {
				if cur := u.Attributes[a]; cur != "" && !strings.EqualFold(cur, given) {
					return apierr.Newf(apierr.InvalidParameter, "Username and %s must match.", a)
				}
				u.Attributes[a] = given
				u.Username = u.Sub
				return nil
			}
		}
		if slices.Contains(p.Settings.UsernameAttributes, "email") && !slices.Contains(p.Settings.UsernameAttributes, "phone_number") {
			return apierr.New(apierr.InvalidParameter, "Username should be an email.")
		}
		if !slices.Contains(p.Settings.UsernameAttributes, "email") {
			return apierr.New(apierr.InvalidParameter, "Username should be a phone number.")
		}
		return apierr.New(apierr.InvalidParameter, "Username should be either an email or a phone number.")
	}
	if slices.Contains(p.Settings.AliasAttributes, "email") && looksLikeEmail(given) {
		return apierr.New(apierr.InvalidParameter, "Username cannot be of email format, since user pool is configured for email alias.")
	}
	if slices.Contains(p.Settings.AliasAttributes, "phone_number") && looksLikePhone(given) {
		return apierr.New(apierr.InvalidParameter, "Username cannot be of phone number format, since user pool is configured for phone_number alias.")
	}
	u.Username = given
	return nil
}

// userBySub loads a user by sub.
func (s *Service) userBySub(ctx context.Context, p store.Pool, sub string) (store.User, error) {
	u, err := s.store.GetUserByKey(ctx, p.ID, store.UserKey{Kind: store.KeySub, Value: sub})
	if err != nil {
		return u, storeUserErr(err)
	}
	return u, nil
}

func storeUserErr(err error) error {
	if err == nil {
		return nil
	}
	if apierr.HasCode(err, apierr.UserNotFound) {
		return err
	}
	if isNotFound(err) {
		return errUserNotFound
	}
	return apierr.Internal(err)
}
