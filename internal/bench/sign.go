package bench

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// signV4 returns the X-Amz-Date and Authorization headers that sign an AWS
// JSON 1.1 request (POST /, the five headers below) for cognito-idp with
// AWS Signature Version 4. It is written here rather than taken from
// aws-sdk-go-v2 because cognate bench lives in the server's binary, and the
// SDK's packages would cost every cognate serve megabytes of memory at
// start-up. The tests check it against the SDK's signer and the server's
// verifier.
func signV4(keyID, secret, region, host, target string, body []byte, now time.Time) (amzDate, authorization string) {
	const service, algorithm = "cognito-idp", "AWS4-HMAC-SHA256"
	amzDate = now.UTC().Format("20060102T150405Z")
	day := amzDate[:8]
	payload := sha256.Sum256(body)
	canonical := strings.Join([]string{
		"POST", "/", "",
		"content-length:" + strconv.Itoa(len(body)),
		"content-type:" + contentType,
		"host:" + host,
		"x-amz-date:" + amzDate,
		"x-amz-target:" + target,
		"",
		signedHeaders,
		hex.EncodeToString(payload[:]),
	}, "\n")
	scope := day + "/" + region + "/" + service + "/aws4_request"
	hashed := sha256.Sum256([]byte(canonical))
	toSign := algorithm + "\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(hashed[:])
	key := hmacSHA256([]byte("AWS4"+secret), day)
	for _, part := range []string{region, service, "aws4_request"} {
		key = hmacSHA256(key, part)
	}
	signature := hex.EncodeToString(hmacSHA256(key, toSign))
	return amzDate, algorithm + " Credential=" + keyID + "/" + scope + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature
}

const (
	contentType   = "application/x-amz-json-1.1"
	signedHeaders = "content-length;content-type;host;x-amz-date;x-amz-target"
)

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}
