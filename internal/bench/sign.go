package bench

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// signedPost is a request to sign with AWS Signature Version 4: POST / with
// the headers content-length, content-type, host, x-amz-date and, for the
// AWS JSON services, x-amz-target (the query protocol of IAM has none).
type signedPost struct {
	service, region, host string
	contentType, target   string // target is "" for the query protocol
	body                  []byte
}

// sign returns the X-Amz-Date and Authorization headers of p. It is
// written here rather than taken from aws-sdk-go-v2 because cognate bench
// lives in the server's binary, and the SDK's packages would cost every
// cognate serve megabytes of memory at start-up. The tests check it against
// the SDK's signer and the server's verifier.
func (p signedPost) sign(keyID, secret string, now time.Time) (amzDate, authorization string) {
	const algorithm = "AWS4-HMAC-SHA256"
	amzDate = now.UTC().Format("20060102T150405Z")
	day := amzDate[:8]
	payload := sha256.Sum256(p.body)
	headers := []string{
		"content-length:" + strconv.Itoa(len(p.body)),
		"content-type:" + p.contentType,
		"host:" + p.host,
		"x-amz-date:" + amzDate,
	}
	signed := "content-length;content-type;host;x-amz-date"
	if p.target != "" {
		headers = append(headers, "x-amz-target:"+p.target)
		signed += ";x-amz-target"
	}
	canonical := "POST\n/\n\n" + strings.Join(headers, "\n") + "\n\n" + signed + "\n" + hex.EncodeToString(payload[:])
	scope := day + "/" + p.region + "/" + p.service + "/aws4_request"
	hashed := sha256.Sum256([]byte(canonical))
	toSign := algorithm + "\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(hashed[:])
	key := hmacSHA256([]byte("AWS4"+secret), day)
	for _, part := range []string{p.region, p.service, "aws4_request"} {
		key = hmacSHA256(key, part)
	}
	signature := hex.EncodeToString(hmacSHA256(key, toSign))
	return amzDate, algorithm + " Credential=" + keyID + "/" + scope + ", SignedHeaders=" + signed + ", Signature=" + signature
}

const contentType = "application/x-amz-json-1.1"

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}
