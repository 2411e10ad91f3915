package cognitosrp_test

import (
	"fmt"
	"time"

	"github.com/cognate-auth/cognate/auth/cognitosrp"
)

// The two steps of a USER_SRP_AUTH sign-in. The challenge parameters would
// come from InitiateAuth's response; these are made up.
func Example() {
	c, err := cognitosrp.NewClient("us-east-1_AbCdEf123", "alice", "Passw0rd!")
	if err != nil {
		panic(err)
	}
	initiate := c.AuthParameters() // USERNAME and SRP_A for InitiateAuth
	fmt.Println(initiate["USERNAME"], len(initiate["SRP_A"]) > 700)

	responses, err := c.ChallengeResponses(map[string]string{
		"USER_ID_FOR_SRP": "alice",
		"SALT":            "5a1f0c3e9b7d2a4c6e8f0a1b2c3d4e5f",
		"SRP_B":           "3c2d5e",
		"SECRET_BLOCK":    "c2VjcmV0IGJsb2Nr",
	}, time.Date(2026, 11, 3, 9, 4, 5, 0, time.UTC))
	if err != nil {
		panic(err)
	}
	fmt.Println(responses["USERNAME"], responses["TIMESTAMP"])
	// Output:
	// alice true
	// alice Tue Nov 3 09:04:05 UTC 2026
}

// A remembered device: after a sign-in whose AuthenticationResult carried
// NewDeviceMetadata, register the device; a later sign-in that sends its
// DEVICE_KEY answers DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER with it.
func ExampleNewDeviceSecret() {
	groupKey, deviceKey := "-v7w9UcY6", "us-east-1_a1b2c3d4-5678-40ab-adef-000000000001"
	secret, err := cognitosrp.NewDeviceSecret(groupKey, deviceKey)
	if err != nil {
		panic(err)
	}
	// ConfirmDevice: DeviceSecretVerifierConfig{Salt: secret.Salt,
	// PasswordVerifier: secret.PasswordVerifier}; keep secret.Password.
	fmt.Println(len(secret.Password))

	d, err := cognitosrp.NewDeviceClient(groupKey, deviceKey, secret.Password)
	if err != nil {
		panic(err)
	}
	srpAuth := d.AuthResponses("alice") // RespondToAuthChallenge DEVICE_SRP_AUTH
	fmt.Println(srpAuth["DEVICE_KEY"] == deviceKey)
	// Its DEVICE_PASSWORD_VERIFIER challenge parameters (made up here).
	responses, err := d.ChallengeResponses("alice", map[string]string{
		"SALT": "5a1f0c3e9b7d2a4c6e8f0a1b2c3d4e5f", "SRP_B": "3c2d5e", "SECRET_BLOCK": "c2VjcmV0IGJsb2Nr",
	}, time.Date(2026, 11, 3, 9, 4, 5, 0, time.UTC))
	if err != nil {
		panic(err)
	}
	fmt.Println(responses["USERNAME"], responses["TIMESTAMP"])
	// Output:
	// 56
	// true
	// alice Tue Nov 3 09:04:05 UTC 2026
}
