package bench

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// TestSignV4MatchesTheSDK signs the same request with signV4 and with
// aws-sdk-go-v2's signer.
func TestSignV4MatchesTheSDK(t *testing.T) {
	body := []byte(`{"UserPoolId":"us-east-1_AbCdEf123","Username":"bench-user-0000042"}`)
	now := time.Date(2026, 11, 3, 9, 4, 5, 0, time.UTC)
	target := targetPrefix + "AdminConfirmSignUp"
	date, auth := signV4("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "eu-west-1", "127.0.0.1:9229", target, body, now)

	req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:9229/", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Amz-Target", target)
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "cognito-idp", "eu-west-1", now); err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get("X-Amz-Date"); got != date {
		t.Errorf("X-Amz-Date = %s, SDK %s", date, got)
	}
	if got := req.Header.Get("Authorization"); got != auth {
		t.Errorf("Authorization:\n ours %s\n SDK  %s", auth, got)
	}
}
