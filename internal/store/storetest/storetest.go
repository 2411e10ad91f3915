// Package storetest is the conformance suite of store.Store. Every engine
// runs it against itself; an engine is done when the suite passes.
//
// An engine's test calls Run (or RunContract and RunConcurrency separately,
// so that `go test -race -run Concurrency` selects the racing part) with a
// function that returns a new, empty store and closes it when the test
// ends:
//
//	func TestSQLite(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store { ... })
//	}
//
// Beyond the contract in package store, the suite pins down what the
// contract leaves to engines, so that all engines agree:
//   - times come back equal (time.Time.Equal) to what was stored, in UTC,
//     to the nanosecond;
//   - records come back deeply equal to what was stored, including nil and
//     empty maps;
//   - a page size (limit) of 0 or less means no limit;
//   - ListUsers filters "username" on the username key, "sub" and "status"
//     on the user's fields, and any other name on Attributes;
//   - group names compare byte for byte: ListGroups and GroupsOfUser order
//     by name in byte order, ListGroupMembers by username key as ListUsers;
//   - when a new user has several taken keys, the *KeyConflictError names
//     the username key first, then the sub, then the others by kind;
//   - ListDevices orders by device key in byte order;
//   - revoking a session or retiring a key twice keeps the first time;
//   - RevokeUserSessions counts sessions neither revoked nor expired;
//   - Update* refuse an updater that changes the record's identity.
package storetest

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/cognate-auth/cognate/internal/store"
)

// OpenFunc returns a new, empty store that is closed when t ends.
type OpenFunc func(t *testing.T) store.Store

// Run runs the whole suite: RunContract, then RunConcurrency.
func Run(t *testing.T, open OpenFunc) {
	RunContract(t, open)
	t.Run("Concurrency", func(t *testing.T) { RunConcurrency(t, open) })
}

type test struct {
	name string
	run  func(t *testing.T, s store.Store)
}

// RunContract runs the sequential tests, one subtest per behaviour, each
// on a new store.
func RunContract(t *testing.T, open OpenFunc) {
	var tests []test
	tests = append(tests, poolTests...)
	tests = append(tests, clientTests...)
	tests = append(tests, userTests...)
	tests = append(tests, groupTests...)
	tests = append(tests, deviceTests...)
	tests = append(tests, sessionTests...)
	tests = append(tests, signingKeyTests...)
	tests = append(tests, outboxTests...)
	tests = append(tests, accessKeyTests...)
	tests = append(tests, counterTests...)
	tests = append(tests, identityTests...)
	tests = append(tests, iamTests...)
	tests = append(tests, domainTests...)
	runAll(t, open, tests)
}

// RunConcurrency runs the tests in which goroutines race on one record.
func RunConcurrency(t *testing.T, open OpenFunc) {
	tests := append(append(concurrencyTests, counterConcurrencyTests...), identityConcurrencyTests...)
	tests = append(tests, iamConcurrencyTests...)
	runAll(t, open, append(tests, domainConcurrencyTests...))
}

func runAll(t *testing.T, open OpenFunc, tests []test) {
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, open(t)) })
	}
}

// base is the time the fixtures are made at: UTC, with nanoseconds, so that
// a round trip that drops precision or changes the zone shows.
var base = time.Date(2025, 3, 14, 15, 9, 26, 535897932, time.UTC)

// at returns base plus n minutes.
func at(n int) time.Time { return base.Add(time.Duration(n) * time.Minute) }

var errUpdater = errors.New("storetest: updater refused")

// equal fails t when got and want differ deeply.
func equal[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\n got  %+v\n want %+v", what, got, want)
	}
}

// wantErr fails t unless errors.Is(err, target).
func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: err = %v, want %v", what, err, target)
	}
}

// must fails t on a non-nil error.
func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// wantKeyConflict fails t unless err is a *store.KeyConflictError naming
// key that also matches store.ErrAlreadyExists.
func wantKeyConflict(t *testing.T, what string, err error, key store.UserKey) {
	t.Helper()
	var kc *store.KeyConflictError
	if !errors.As(err, &kc) {
		t.Fatalf("%s: err = %v, want a *store.KeyConflictError", what, err)
	}
	if kc.Key != key {
		t.Fatalf("%s: conflict on %+v, want %+v", what, kc.Key, key)
	}
	if !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("%s: %v does not match store.ErrAlreadyExists", what, err)
	}
}

func ptr[T any](v T) *T { return &v }

// newPool returns a pool with every kind of setting filled in.
func newPool(id string) store.Pool {
	return store.Pool{
		ID:        id,
		Name:      "pool " + id,
		CreatedAt: at(0),
		UpdatedAt: at(1),
		Settings: store.PoolSettings{
			Schema: []store.SchemaAttribute{
				{Name: "email", DataType: "String", Mutable: true, Required: true, MaxLength: ptr[int64](2048), HasStringConstraints: true},
				{Name: "custom:tenant", DataType: "String", Mutable: true},
			},
			PasswordPolicy:     store.PasswordPolicy{MinimumLength: 8, RequireNumbers: true, TemporaryPasswordValidityDays: 7},
			AliasAttributes:    []string{"email"},
			AdminCreateUser:    store.AdminCreateUser{InviteEmailSubject: "Welcome"},
			DeletionProtection: true,
			MFAConfiguration:   "OFF",
			Messages:           store.MessageTemplates{EmailVerificationSubject: "Your code"},
			LambdaConfig: store.LambdaConfig{PreSignUp: "arn:aws:lambda:us-east-1:123456789012:function:f",
				PreTokenGenerationConfig: store.LambdaVersionConfig{LambdaVersion: "V2_0", LambdaArn: "arn:aws:lambda:us-east-1:123456789012:function:t"}},
			EmailConfiguration: &store.EmailConfiguration{EmailSendingAccount: "COGNITO_DEFAULT", ReplyToEmailAddress: "help@example.com"},
			SMSConfiguration:   &store.SMSConfiguration{SNSCallerArn: "arn:aws:iam::123456789012:role/sns", ExternalID: "x"},
			UserPoolAddOns: &store.UserPoolAddOns{AdvancedSecurityMode: "AUDIT",
				AdvancedSecurityAdditionalFlows: &store.AdvancedSecurityAdditionalFlows{CustomAuthMode: "AUDIT"}},
			WebAuthnConfiguration: &store.WebAuthnConfiguration{RelyingPartyID: "example.com", UserVerification: "preferred"},
			Devices:               &store.DeviceSettings{ChallengeRequiredOnNewDevice: true},
			FirstAuthFactors:      []string{"PASSWORD", "EMAIL_OTP"},
		},
	}
}
