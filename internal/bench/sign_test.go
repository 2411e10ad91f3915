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

// TestSignMatchesTheSDK signs the same requests with signedPost.sign and
// with aws-sdk-go-v2's signer: the JSON services' (with X-Amz-Target) and
// IAM's query protocol (without).
func TestSignMatchesTheSDK(t *testing.T) {
	now := time.Date(2026, 11, 3, 9, 4, 5, 0, time.UTC)
	cases := []signedPost{
		{service: "cognito-idp", region: "eu-west-1", host: "127.0.0.1:9229", contentType: contentType,
			target: targetPrefix + "AdminConfirmSignUp", body: []byte(`{"UserPoolId":"us-east-1_AbCdEf123","Username":"bench-user-0000042"}`)},
		{service: "cognito-identity", region: "us-east-1", host: "localhost:19400", contentType: contentType,
			target: identityTargetPrefix + "CreateIdentityPool", body: []byte(`{"IdentityPoolName":"cognate-bench"}`)},
		{service: "iam", region: "us-east-1", host: "127.0.0.1:9229", contentType: formContentType,
			body: []byte("Action=CreateRole&RoleName=cognate-bench&Version=2010-05-08")},
	}
	for _, p := range cases {
		t.Run(p.service, func(t *testing.T) {
			date, auth := p.sign("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", now)
			req, err := http.NewRequest(http.MethodPost, "http://"+p.host+"/", bytes.NewReader(p.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", p.contentType)
			if p.target != "" {
				req.Header.Set("X-Amz-Target", p.target)
			}
			sum := sha256.Sum256(p.body)
			creds := aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
			if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), p.service, p.region, now); err != nil {
				t.Fatal(err)
			}
			if got := req.Header.Get("X-Amz-Date"); got != date {
				t.Errorf("X-Amz-Date = %s, SDK %s", date, got)
			}
			if got := req.Header.Get("Authorization"); got != auth {
				t.Errorf("Authorization:\n ours %s\n SDK  %s", auth, got)
			}
		})
	}
}
