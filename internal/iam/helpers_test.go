package iam_test

import (
	"bytes"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/iam"
	"github.com/cognate-auth/cognate/internal/sessiontoken"
	"github.com/cognate-auth/cognate/internal/testutil/domaintest"
)

const account = "123456789012"

// clock is the service's clock, moved by tests.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

type env struct {
	svc    *iam.Service
	minter *sessiontoken.Minter
	clock  *clock
}

func newEnv(tb testing.TB) *env {
	tb.Helper()
	m, err := sessiontoken.NewMinter(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		tb.Fatal(err)
	}
	c := &clock{now: time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)}
	svc, err := iam.New(iam.Config{Store: domaintest.OpenStore(tb, false), Minter: m, AccountID: account, Now: c.Now})
	if err != nil {
		tb.Fatal(err)
	}
	return &env{svc: svc, minter: m, clock: c}
}

// wantErr checks that err is an *apierr.Error with that code and, when
// msg is not "", that message.
func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	var e *apierr.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if e.Code != code || (msg != "" && e.Message != msg) {
		t.Errorf("err = %s: %q, want %s: %q", e.Code, e.Message, code, msg)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

const (
	cognitoTrust = `{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"Federated": "cognito-identity.amazonaws.com"},
    "Action": "sts:AssumeRoleWithWebIdentity",
    "Condition": {
      "StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:11111111-2222-3333-4444-555555555555"},
      "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}
    }
  }]
}`
	s3Read = `{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}]}`
)
