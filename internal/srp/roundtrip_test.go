package srp_test

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	mrand "math/rand/v2"
	"testing"
	"time"

	"github.com/cognate-auth/cognate/auth/cognitosrp"
	"github.com/cognate-auth/cognate/internal/srp"
)

// TestRoundTrip signs in random users with the independent Go client.
func TestRoundTrip(t *testing.T) {
	users := 40
	if testing.Short() {
		users = 8
	}
	rng := mrand.New(mrand.NewPCG(1, 2))
	now := time.Now()
	for i := range users {
		poolName := randomString(rng, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 9)
		poolID := "us-west-2_" + poolName
		userID := randomString(rng, "abcxyz019.-_@+éøß用户😀", 1+rng.IntN(20))
		password := randomString(rng, "aZ9!#$ €ü:'\"\\", rng.IntN(40))
		salt, err := srp.NewSalt()
		if err != nil {
			t.Fatal(err)
		}
		switch i % 4 { // make the salt's integer form lose or gain a byte
		case 1:
			salt[0] = 0
		case 2:
			salt[0] |= 0x80
		case 3:
			salt[0], salt[1] = 0, 0
		}
		t.Run(fmt.Sprintf("%d", i), func(t *testing.T) {
			verifier := srp.ComputeVerifier(poolName, userID, password, salt)
			if !srp.CheckPassword(poolName, userID, password, salt, verifier) {
				t.Fatal("CheckPassword rejects the password")
			}
			claim := signIn(t, poolID, userID, password, salt, verifier, now)
			if !srp.VerifyClaim(claim) {
				t.Fatalf("VerifyClaim rejects user %q password %q salt %x", userID, password, salt)
			}
			if _, err := srp.CheckTimestamp(claim.Timestamp, now); err != nil {
				t.Fatal(err)
			}
			wrong := signIn(t, poolID, userID, password+"1", salt, verifier, now)
			if srp.VerifyClaim(wrong) {
				t.Fatal("VerifyClaim accepts a wrong password")
			}
		})
	}
}

// signIn runs one sign-in and returns the claim the server would check.
func signIn(t *testing.T, poolID, userID, password string, salt, verifier []byte, now time.Time) srp.Claim {
	t.Helper()
	client, err := cognitosrp.NewClient(poolID, userID, password)
	if err != nil {
		t.Fatal(err)
	}
	A, err := srp.ParsePublic(client.PublicA())
	if err != nil {
		t.Fatal(err)
	}
	ch, err := srp.NewChallenge(verifier)
	if err != nil {
		t.Fatal(err)
	}
	block := make([]byte, 64)
	rand.Read(block)
	params := map[string]string{
		"USER_ID_FOR_SRP": userID,
		"SALT":            srp.HexInt(salt),
		"SRP_B":           srp.HexInt(ch.Public),
		"SECRET_BLOCK":    base64.StdEncoding.EncodeToString(block),
	}
	responses, err := client.ChallengeResponses(params, now)
	if err != nil {
		t.Fatal(err)
	}
	return srp.Claim{
		PoolName: poolID[len("us-west-2_"):], UserID: responses["USERNAME"],
		Verifier: verifier, ClientPublic: A, ServerSecret: ch.Secret, ServerPublic: ch.Public,
		SecretBlock: block, Timestamp: responses["TIMESTAMP"], Signature: responses["PASSWORD_CLAIM_SIGNATURE"],
	}
}

func randomString(rng *mrand.Rand, alphabet string, n int) string {
	runes := []rune(alphabet)
	out := make([]rune, n)
	for i := range out {
		out[i] = runes[rng.IntN(len(runes))]
	}
	return string(out)
}

// TestDeviceRoundTrip registers random devices as a client does after
// NewDeviceMetadata and signs them in with the independent Go client.
func TestDeviceRoundTrip(t *testing.T) {
	now := time.Now()
	for i := range 8 {
		groupKey := fmt.Sprintf("-grp%05d", i)
		deviceKey := fmt.Sprintf("us-east-1_%08x-0000-4000-a000-000000000000", i)
		secret, err := cognitosrp.NewDeviceSecret(groupKey, deviceKey)
		if err != nil {
			t.Fatal(err)
		}
		salt, _ := base64.StdEncoding.DecodeString(secret.Salt)
		sent, _ := base64.StdEncoding.DecodeString(secret.PasswordVerifier)
		verifier, err := srp.ParseVerifier(sent)
		if err != nil {
			t.Fatal(err)
		}
		for _, password := range []string{secret.Password, secret.Password + "x"} {
			d, err := cognitosrp.NewDeviceClient(groupKey, deviceKey, password)
			if err != nil {
				t.Fatal(err)
			}
			A, err := srp.ParsePublic(d.PublicA())
			if err != nil {
				t.Fatal(err)
			}
			ch, err := srp.NewChallenge(verifier)
			if err != nil {
				t.Fatal(err)
			}
			block := make([]byte, 48)
			rand.Read(block)
			r, err := d.ChallengeResponses("alice", map[string]string{"SALT": srp.HexInt(salt), "SRP_B": srp.HexInt(ch.Public),
				"SECRET_BLOCK": base64.StdEncoding.EncodeToString(block)}, now)
			if err != nil {
				t.Fatal(err)
			}
			ok := srp.VerifyClaim(srp.Claim{PoolName: groupKey, UserID: r["DEVICE_KEY"], Verifier: verifier, ClientPublic: A,
				ServerSecret: ch.Secret, ServerPublic: ch.Public, SecretBlock: block, Timestamp: r["TIMESTAMP"],
				Signature: r["PASSWORD_CLAIM_SIGNATURE"]})
			if want := password == secret.Password; ok != want {
				t.Fatalf("device %d, password %q: VerifyClaim = %v, want %v", i, password, ok, want)
			}
		}
	}
}
