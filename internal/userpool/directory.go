package userpool

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/clientauth"
	"github.com/cognate-auth/cognate/internal/guard"
	"github.com/cognate-auth/cognate/internal/requestctx"
	"github.com/cognate-auth/cognate/internal/signin"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/triggers/events"
)

// SignInDirectory returns what the sign-in engine needs of the pools: it
// finds clients and users, applies the pools' rules to new passwords and
// attributes, sends codes, knows devices and mints tokens.
func (s *Service) SignInDirectory() signin.Directory { return directory{s} }

// directory implements signin.Directory on a Service.
type directory struct{ s *Service }

var _ signin.Directory = directory{}

func (d directory) Client(ctx context.Context, poolID, clientID string) (store.Client, store.Pool, error) {
	if poolID == "" {
		return d.s.appClient(ctx, clientID)
	}
	c, err := d.s.Client(ctx, poolID, clientID)
	if err != nil {
		return c, store.Pool{}, err
	}
	p, err := d.s.Pool(ctx, poolID)
	return c, p, err
}

func (d directory) Pool(ctx context.Context, poolID string) (store.Pool, error) {
	p, err := d.s.store.GetPool(ctx, poolID)
	return p, storeErr(err, poolID)
}

func (d directory) FindUser(ctx context.Context, p store.Pool, name string) (store.User, bool, error) {
	u, err := d.s.findUser(ctx, p, name)
	if apierr.HasCode(err, apierr.UserNotFound) {
		return store.User{}, false, nil
	}
	return u, err == nil, err
}

func (d directory) CanonicalName(p store.Pool, name string) string { return canonicalName(p, name) }

func (d directory) UserBySub(ctx context.Context, p store.Pool, sub string) (store.User, bool, error) {
	u, err := d.s.userBySub(ctx, p, sub)
	if apierr.HasCode(err, apierr.UserNotFound) {
		return store.User{}, false, nil
	}
	return u, err == nil, err
}

func (d directory) UpdateUser(ctx context.Context, p store.Pool, u store.User, update func(*store.User) error) (store.User, error) {
	return d.s.updateUser(ctx, p, u, update)
}

func (d directory) NewPasswordAttributes(p store.Pool, c store.Client, u store.User) (map[string]string, []string) {
	attrs := map[string]string{}
	for _, a := range attributeList(u, readableBy(c)) {
		if a.Name != "sub" && a.Name != "email_verified" && a.Name != "phone_number_verified" {
			attrs[a.Name] = a.Value
		}
	}
	required := []string{}
	for _, a := range p.Settings.Schema {
		if a.Required && a.Name != "sub" && u.Attributes[a.Name] == "" {
			required = append(required, a.Name)
		}
	}
	return attrs, required
}

func (d directory) SetNewPassword(ctx context.Context, p store.Pool, c store.Client, u store.User, password string, attrs map[string]string) (store.User, error) {
	if err := checkPassword(p.Settings.PasswordPolicy, password); err != nil {
		return store.User{}, err
	}
	var list []Attribute
	for name, v := range attrs {
		list = append(list, Attribute{Name: name, Value: v})
	}
	verifier, err := newVerifier(p.ID, u.Username, password)
	if err != nil {
		return store.User{}, err
	}
	u, err = d.s.updateUser(ctx, p, u, func(u *store.User) error {
		if u.Status != store.StatusForceChangePassword {
			return apierr.New(apierr.NotAuthorized, "Invalid session for the user, session is expired.")
		}
		if err := applyAttributes(p, &c, byClient, u, list, false); err != nil {
			return err
		}
		if err := checkRequired(p, *u); err != nil {
			return err
		}
		u.Password, u.PasswordExpiresAt, u.Status = verifier, time.Time{}, store.StatusConfirmed
		return nil
	})
	if err != nil {
		return store.User{}, err
	}
	return u, d.s.guard.ClearFailures(ctx, userSubject(u))
}

func (d directory) SetEmail(ctx context.Context, p store.Pool, c store.Client, u store.User, email string) (store.User, error) {
	return d.s.updateUser(ctx, p, u, func(u *store.User) error {
		if u.Attributes == nil {
			u.Attributes = map[string]string{}
		}
		if err := applyAttributes(p, &c, byClient, u, []Attribute{{Name: "email", Value: email}}, false); err != nil {
			return err
		}
		u.Attributes["email_verified"] = "false"
		return nil
	})
}

func (d directory) SendCode(ctx context.Context, p store.Pool, c store.Client, u store.User, attr, code string,
	clientMetadata map[string]string) (signin.Delivery, error) {
	cd, err := d.s.sendMFACode(ctx, p, u, attr, code, origin{events.CustomMessageAuthentication, c.ID, clientMetadata})
	return signin.Delivery{Medium: cd.DeliveryMedium, Destination: cd.Destination}, err
}

func (d directory) Device(ctx context.Context, u store.User, key string) (store.Device, error) {
	return d.s.deviceOf(ctx, u, key, false)
}

func (d directory) DeviceAuthenticated(ctx context.Context, p store.Pool, key string) error {
	ip := requestctx.ClientIP(ctx)
	_, err := d.s.store.UpdateDevice(ctx, p.ID, key, func(dev store.Device) (store.Device, error) {
		dev.LastAuthenticatedAt = d.s.clock().Truncate(time.Second)
		if ip != "" {
			dev.LastIP = ip
		}
		return dev, nil
	})
	if isNotFound(err) {
		return errDeviceNotFound
	}
	if err != nil {
		return apierr.Internal(err)
	}
	return nil
}

func (d directory) NewDevice(p store.Pool, u store.User) signin.NewDevice {
	return signin.NewDevice{Key: d.s.newDeviceKey(p.ID), GroupKey: d.s.deviceGroupKey(p.ID, u.Sub)}
}

func (d directory) IssueTokens(ctx context.Context, p store.Pool, c store.Client, u store.User, authTime time.Time, origin, deviceKey string,
	src events.PreTokenGenerationSource, clientMetadata map[string]string) (signin.Tokens, error) {
	return d.s.issueTokens(ctx, p, c, u, authTime, origin, deviceKey, tokenEvent{Source: src, ClientMetadata: clientMetadata})
}

func (d directory) Refresh(ctx context.Context, p store.Pool, c store.Client, params, clientMetadata map[string]string) (signin.Tokens, error) {
	return d.s.refresh(ctx, c, p, params["REFRESH_TOKEN"], params["DEVICE_KEY"], clientMetadata, func(username, sub string) error {
		return clientauth.CheckSecretHash(c, params["SECRET_HASH"], username, sub)
	})
}

// userSubject is a user's subject of the guard's limits.
func userSubject(u store.User) guard.Subject { return guard.User(u.PoolID, u.Sub) }

// canonicalName is a name as the pool compares names when it looks a user
// up: lower-cased when the pool ignores case, and so are the email
// addresses and phone numbers it signs in with.
func canonicalName(p store.Pool, name string) string {
	st := p.Settings
	signsInWith := func(a string) bool {
		return slices.Contains(st.UsernameAttributes, a) || slices.Contains(st.AliasAttributes, a)
	}
	if !st.CaseSensitive || (signsInWith("email") && looksLikeEmail(name)) || (signsInWith("phone_number") && looksLikePhone(name)) {
		return strings.ToLower(name)
	}
	return name
}
