package integration

import (
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
)

// TestBinarySurvivesKill9 kills the real binary on SQLite in the middle of
// a burst of sign-ups and restarts it on the same data directory: every
// sign-up the server acknowledged must still be there, with its code in
// the outbox. While the burst runs, `cognate messages` reads the same
// database from a second process.
func TestBinarySurvivesKill9(t *testing.T) {
	dataDir := t.TempDir()
	p := startBinary(t, dataDir, "")
	poolID, clientID := binaryPool(t, p)

	const workers = 8
	const killAfter = 40 // acknowledged sign-ups before the kill
	// No retries: a request cut by the kill must fail, not land on the
	// restarted server.
	anon := cip.New(cip.Options{Region: region, BaseEndpoint: aws.String(p.URL), Credentials: aws.AnonymousCredentials{},
		Retryer: aws.NopRetryer{}, HTTPClient: &http.Client{Timeout: 20 * time.Second}})

	var (
		mu     sync.Mutex
		acked  []string
		count  atomic.Int64
		enough = make(chan struct{})
		once   sync.Once
		wg     sync.WaitGroup
		errs   = make([]error, workers)
	)
	burst := ctx(t)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				name := fmt.Sprintf("user-%d-%d", w, i)
				_, err := anon.SignUp(burst, &cip.SignUpInput{ClientId: aws.String(clientID), Username: aws.String(name),
					Password: aws.String(password), UserAttributes: []types.AttributeType{
						{Name: aws.String("email"), Value: aws.String(name + "@example.com")}}})
				if err != nil {
					errs[w] = err
					return
				}
				mu.Lock()
				acked = append(acked, name)
				mu.Unlock()
				if count.Add(1) >= killAfter {
					once.Do(func() { close(enough) })
				}
			}
		}()
	}

	// A second process reads the outbox while the server writes, and sees
	// at least every sign-up acknowledged before it started.
	for deadline := time.Now().Add(60 * time.Second); count.Load() < workers; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("only %d sign-ups acknowledged in 60s", count.Load())
		}
	}
	before := count.Load()
	if during := p.messages(t, poolID, ""); int64(len(during)) < before {
		t.Errorf("cognate messages during the burst printed %d messages, want at least %d", len(during), before)
	}
	select {
	case <-enough:
	case <-time.After(60 * time.Second):
		t.Fatalf("only %d sign-ups acknowledged in 60s", count.Load())
	}
	p.kill()
	wg.Wait()
	for w, err := range errs {
		var ae smithy.APIError
		if errors.As(err, &ae) {
			t.Errorf("worker %d: the server refused a sign-up before the kill: %v", w, err)
		}
	}
	mu.Lock()
	names := append([]string(nil), acked...)
	mu.Unlock()
	t.Logf("%d sign-ups acknowledged before kill -9", len(names))

	p = startBinary(t, dataDir, "")
	for _, name := range names {
		u, err := p.Admin.AdminGetUser(ctx(t), &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String(name)})
		if err != nil {
			t.Errorf("acknowledged sign-up %s lost: %v", name, err)
			continue
		}
		if u.UserStatus != types.UserStatusTypeUnconfirmed {
			t.Errorf("%s: status %s, want UNCONFIRMED", name, u.UserStatus)
		}
	}
	coded := map[string]bool{}
	for _, m := range p.messages(t, poolID, "") {
		if m.Code != "" && m.Purpose == "SignUp" {
			coded[m.Username] = true
		}
	}
	for _, name := range names {
		if !coded[name] {
			t.Errorf("acknowledged sign-up %s has no code in the outbox", name)
		}
	}
	// The restarted server works: a survivor confirms and signs in.
	name := names[0]
	if _, err := p.Anon.ConfirmSignUp(ctx(t), &cip.ConfirmSignUpInput{ClientId: aws.String(clientID), Username: aws.String(name),
		ConfirmationCode: aws.String(p.lastCode(t, poolID, name))}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(clientID),
		AuthParameters: map[string]string{"USERNAME": name, "PASSWORD": password}}); err != nil {
		t.Fatal(err)
	}
}

// binaryPool creates a pool that auto-verifies email and a client allowing
// password and SRP sign-in.
func binaryPool(t *testing.T, p *process) (poolID, clientID string) {
	t.Helper()
	out, err := p.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{
		PoolName:               aws.String("crash"),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := p.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{
		UserPoolId: out.UserPool.Id, ClientName: aws.String("app"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth,
			types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
	})
	if err != nil {
		t.Fatal(err)
	}
	return *out.UserPool.Id, *c.UserPoolClient.ClientId
}
