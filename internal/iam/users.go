package iam

import (
	"context"
	"crypto/sha256"
	"strings"

	"github.com/cognate-auth/cognate/internal/sessiontoken"
)

// User is an IAM user: Cognate has one, its administrator.
type User struct {
	Name string
	Path string
	// ID is the user's unique id, AIDA and seventeen characters.
	ID  string
	ARN string
}

// Caller is who signed a request: the administrator, or a session of
// temporary credentials.
type Caller struct {
	ARN     string
	Account string
	// UserID is aws:userid: the user's unique id, or <role id>:<session
	// name> for a session.
	UserID string
	// Session is set for temporary credentials.
	Session *sessiontoken.Session
}

type callerKey struct{}

// ContextWithCaller returns ctx carrying the caller.
func ContextWithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the caller ctx carries.
func CallerFrom(ctx context.Context) (Caller, bool) {
	c, ok := ctx.Value(callerKey{}).(Caller)
	return c, ok
}

// SessionCaller is the caller of a request signed with a session's
// credentials.
func SessionCaller(s sessiontoken.Session) Caller {
	return Caller{ARN: s.AssumedRoleARN(), Account: s.AccountID, UserID: s.UserID(), Session: &s}
}

// AdminCaller is the administrator as a caller.
func (s *Service) AdminCaller() Caller {
	u := s.adminUser()
	return Caller{ARN: u.ARN, Account: s.account, UserID: u.ID}
}

// AdminUserName is the administrator's IAM user name.
func (s *Service) AdminUserName() string { return s.admin }

// AdminUser is the administrator as an IAM user.
func (s *Service) adminUser() User {
	sum := sha256.Sum256([]byte("cognate/iam/user\x00" + s.account + "\x00" + s.admin))
	id := make([]byte, 17)
	for i := range id {
		id[i] = idAlphabet[sum[i]&31]
	}
	return User{Name: s.admin, Path: "/", ID: "AIDA" + string(id), ARN: "arn:aws:iam::" + s.account + ":user/" + s.admin}
}

// GetUser returns the user of that name; "" means the caller, who must
// then be the administrator.
func (s *Service) GetUser(ctx context.Context, name string) (User, error) {
	if name == "" {
		c, ok := CallerFrom(ctx)
		if !ok || c.Session != nil || c.ARN != s.adminUser().ARN {
			return User{}, validationError("Must specify userName when calling with non-User credentials")
		}
		return s.adminUser(), nil
	}
	if err := checkName(name, "userName", 64); err != nil {
		return User{}, err
	}
	if !strings.EqualFold(name, s.admin) {
		return User{}, userNotFound(name)
	}
	return s.adminUser(), nil
}
