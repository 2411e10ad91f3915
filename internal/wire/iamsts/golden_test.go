package iamsts_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/google/go-cmp/cmp"

	"github.com/cognate-auth/cognate/internal/wire/iamapi"
	"github.com/cognate-auth/cognate/internal/wire/stsapi"
)

var update = flag.Bool("update", false, "rewrite the golden files of the query protocol under testdata/golden")

const goldenDir = "testdata/golden"

// goldenNow is the clock of the golden tests: the dates in the files are
// its reading, and requests are signed at it.
var goldenNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// How a golden request is signed.
type signing int

const (
	signedByAdmin signing = iota
	unsigned
	wrongSecret // the administrator's key id, another secret
	unknownKey  // a key id Cognate does not know
)

// goldenCase is one raw request and the file holding the response it must
// get. Cases run in order, on one server: later ones see what earlier ones
// created. Parameters are sent in the order given; the values "{token}"
// and "{unauthenticated token}" stand for identity tokens minted at run
// time.
type goldenCase struct {
	name    string // the file is testdata/golden/<name>.xml
	service string // "iam" or "sts": the Version sent and the signing scope
	sign    signing
	params  []string // key, value, ...: Action first, as the SDKs send it
	// noVersion leaves the Version parameter out.
	noVersion bool
}

const (
	goldenCond = `{"Version":"2012-10-17","Statement":[{"Sid":"Office","Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`
	goldenRole = "arn:aws:iam::123456789012:role/pools/Cognito_Auth"
	goldenOIDC = "arn:aws:iam::123456789012:oidc-provider/idp.example.com/t1"
)

var goldenCases = []goldenCase{
	// IAM, successes.
	{name: "iam_create_role", service: "iam", params: []string{"Action", "CreateRole", "RoleName", "Cognito_Auth", "Path", "/pools/",
		"AssumeRolePolicyDocument", cognitoTrust, "Description", "signed in", "MaxSessionDuration", "7200",
		"Tags.member.1.Key", "team", "Tags.member.1.Value", "id:auth"}},
	{name: "iam_get_role", service: "iam", params: []string{"Action", "GetRole", "RoleName", "cognito_auth"}},
	{name: "iam_create_role_plain", service: "iam", params: []string{"Action", "CreateRole", "RoleName", "b", "AssumeRolePolicyDocument", cognitoTrust}},
	{name: "iam_list_roles_truncated", service: "iam", params: []string{"Action", "ListRoles", "MaxItems", "1"}},
	{name: "iam_list_roles_last_page", service: "iam", params: []string{"Action", "ListRoles", "Marker", "Yg", "MaxItems", "1"}},
	{name: "iam_put_role_policy", service: "iam", params: []string{"Action", "PutRolePolicy", "RoleName", "Cognito_Auth", "PolicyName", "read", "PolicyDocument", s3Read}},
	{name: "iam_get_role_policy", service: "iam", params: []string{"Action", "GetRolePolicy", "RoleName", "Cognito_Auth", "PolicyName", "read"}},
	{name: "iam_list_role_policies", service: "iam", params: []string{"Action", "ListRolePolicies", "RoleName", "Cognito_Auth"}},
	{name: "iam_list_role_policies_empty", service: "iam", params: []string{"Action", "ListRolePolicies", "RoleName", "b"}},
	{name: "iam_create_open_id_connect_provider", service: "iam", params: []string{"Action", "CreateOpenIDConnectProvider", "Url", "https://idp.example.com/t1",
		"ClientIDList.member.1", "app", "ThumbprintList.member.1", strings.Repeat("ab", 20), "Tags.member.1.Key", "k", "Tags.member.1.Value", "v"}},
	{name: "iam_get_open_id_connect_provider", service: "iam", params: []string{"Action", "GetOpenIDConnectProvider",
		"OpenIDConnectProviderArn", "arn:aws:iam::123456789012:oidc-provider/idp.example.com/t1"}},
	{name: "iam_add_client_id_to_open_id_connect_provider", service: "iam", params: []string{"Action", "AddClientIDToOpenIDConnectProvider",
		"OpenIDConnectProviderArn", goldenOIDC, "ClientID", "cli"}},
	{name: "iam_remove_client_id_from_open_id_connect_provider", service: "iam", params: []string{"Action", "RemoveClientIDFromOpenIDConnectProvider",
		"OpenIDConnectProviderArn", goldenOIDC, "ClientID", "app"}},
	{name: "iam_update_open_id_connect_provider_thumbprint", service: "iam", params: []string{"Action", "UpdateOpenIDConnectProviderThumbprint",
		"OpenIDConnectProviderArn", goldenOIDC, "ThumbprintList.member.1", strings.Repeat("cd", 20), "ThumbprintList.member.2", strings.Repeat("EF", 20)}},
	{name: "iam_get_open_id_connect_provider_updated", service: "iam", params: []string{"Action", "GetOpenIDConnectProvider",
		"OpenIDConnectProviderArn", goldenOIDC}},
	{name: "iam_create_saml_provider", service: "iam", params: []string{"Action", "CreateSAMLProvider", "Name", "corp",
		"SAMLMetadataDocument", strings.Replace(samlMetadata, "CERT", strings.Repeat("MIIC", 250), 1)}},
	{name: "iam_simulate_custom_policy", service: "iam", params: []string{"Action", "SimulateCustomPolicy",
		"PolicyInputList.member.1", s3Read, "PolicyInputList.member.2", goldenCond,
		"ActionNames.member.1", "s3:GetObject", "ActionNames.member.2", "s3:PutObject", "ResourceArns.member.1", "arn:aws:s3:::photos/a"}},
	{name: "iam_get_user", service: "iam", params: []string{"Action", "GetUser"}},

	// STS, successes.
	{name: "sts_get_caller_identity", service: "sts", params: []string{"Action", "GetCallerIdentity"}},
	{name: "sts_assume_role_with_web_identity", service: "sts", sign: unsigned, params: []string{"Action", "AssumeRoleWithWebIdentity",
		"RoleArn", goldenRole, "RoleSessionName", "app", "WebIdentityToken", "{token}", "DurationSeconds", "5400"}},

	// Errors.
	{name: "iam_error_no_such_entity", service: "iam", params: []string{"Action", "GetRole", "RoleName", "missing"}},
	{name: "iam_error_entity_already_exists", service: "iam", params: []string{"Action", "CreateRole", "RoleName", "Cognito_Auth", "AssumeRolePolicyDocument", cognitoTrust}},
	{name: "iam_error_malformed_policy_document", service: "iam", params: []string{"Action", "CreateRole", "RoleName", "x", "AssumeRolePolicyDocument", s3Read}},
	{name: "iam_error_validation", service: "iam", params: []string{"Action", "CreateRole", "RoleName", "x", "AssumeRolePolicyDocument", cognitoTrust, "MaxSessionDuration", "100"}},
	{name: "iam_error_validation_pattern", service: "iam", params: []string{"Action", "CreateRole", "RoleName", "x", "AssumeRolePolicyDocument", cognitoTrust,
		"Tags.member.1.Key", "team", "Tags.member.1.Value", "id & <auth>"}},
	{name: "iam_error_validation_not_a_number", service: "iam", params: []string{"Action", "ListRoles", "MaxItems", "ten"}},
	{name: "iam_error_no_such_entity_open_id_connect_provider", service: "iam", params: []string{"Action", "AddClientIDToOpenIDConnectProvider",
		"OpenIDConnectProviderArn", "arn:aws:iam::123456789012:oidc-provider/none.example.com", "ClientID", "cli"}},
	{name: "iam_error_invalid_input_thumbprint", service: "iam", params: []string{"Action", "UpdateOpenIDConnectProviderThumbprint",
		"OpenIDConnectProviderArn", goldenOIDC, "ThumbprintList.member.1", strings.Repeat("xy", 20)}},
	{name: "iam_error_validation_thumbprint", service: "iam", params: []string{"Action", "UpdateOpenIDConnectProviderThumbprint",
		"OpenIDConnectProviderArn", goldenOIDC, "ThumbprintList.member.1", "abc"}},
	{name: "iam_error_invalid_action", service: "iam", params: []string{"Action", "DescribeNothing"}},
	{name: "iam_error_invalid_action_version", service: "iam", noVersion: true, params: []string{"Action", "GetRole", "RoleName", "b", "Version", "2011-06-15"}},
	{name: "iam_error_missing_action", service: "iam", params: []string{"RoleName", "b"}},
	{name: "iam_error_signature_does_not_match", service: "iam", sign: wrongSecret, params: []string{"Action", "GetRole", "RoleName", "b"}},
	{name: "iam_error_invalid_client_token_id", service: "iam", sign: unknownKey, params: []string{"Action", "GetRole", "RoleName", "b"}},
	{name: "sts_error_missing_authentication_token", service: "sts", sign: unsigned, params: []string{"Action", "GetCallerIdentity"}},
	{name: "sts_error_access_denied", service: "sts", sign: unsigned, params: []string{"Action", "AssumeRoleWithWebIdentity",
		"RoleArn", goldenRole, "RoleSessionName", "app", "WebIdentityToken", "{unauthenticated token}"}},
	{name: "unsigned_error_unknown_action", service: "sts", sign: unsigned, params: []string{"Action", "DescribeNothing"}},
}

// TestGoldenQueryProtocol sends raw, hand-signed form requests and
// compares the status, Content-Type and body of each response with its
// golden file; -update rewrites the files.
func TestGoldenQueryProtocol(t *testing.T) {
	e := newEnvAt(t, func() time.Time { return goldenNow })
	ctx := context.Background()
	token, err := e.verifier.Mint(ctx, poolID, identityID, []string{"authenticated", "accounts.google.com", "accounts.google.com:1"}, nil, 10*time.Minute)
	must(t, err)
	unauth, err := e.verifier.Mint(ctx, poolID, identityID, []string{"unauthenticated"}, nil, 10*time.Minute)
	must(t, err)
	tokens := strings.NewReplacer("{token}", token, "{unauthenticated token}", unauth)

	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			params := slices.Clone(tc.params)
			for i := range params {
				params[i] = tokens.Replace(params[i])
			}
			resp := e.sendRaw(t, tc, params)
			got := normalize(goldenRecord(resp.status, resp.contentType, resp.body))
			if resp.requestID == "" || !strings.Contains(resp.body, "<RequestId>"+resp.requestID+"</RequestId>") {
				t.Errorf("x-amzn-RequestId %q is not the body's RequestId", resp.requestID)
			}
			path := filepath.Join(goldenDir, tc.name+".xml")
			if *update {
				must(t, os.MkdirAll(goldenDir, 0o755))
				must(t, os.WriteFile(path, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run the test with -update to write it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("response differs from %s (-want +got):\n%s", path, diff)
			}
		})
	}
}

// TestGoldenFilesAllUsed keeps testdata/golden free of files no case
// writes.
func TestGoldenFilesAllUsed(t *testing.T) {
	names := make(map[string]bool, len(goldenCases))
	for _, tc := range goldenCases {
		if names[tc.name] {
			t.Errorf("two golden cases are named %s", tc.name)
		}
		names[tc.name] = true
	}
	entries, err := os.ReadDir(goldenDir)
	must(t, err)
	for _, ent := range entries {
		name, ok := strings.CutSuffix(ent.Name(), ".xml")
		if !ok || ent.IsDir() || !names[name] {
			t.Errorf("%s in %s belongs to no golden case", ent.Name(), goldenDir)
		}
	}
}

type rawResponse struct {
	status                       int
	contentType, requestID, body string
}

// sendRaw POSTs the form of params, signed as tc says with the SDK's
// signer, so that the bytes sent are exactly these.
func (e *env) sendRaw(t *testing.T, tc goldenCase, params []string) rawResponse {
	t.Helper()
	version := map[string]string{"iam": iamapi.Version, "sts": stsapi.Version}[tc.service]
	if !tc.noVersion {
		if i := slices.Index(params, "Action"); i == 0 {
			params = slices.Insert(params, 2, "Version", version)
		} else {
			params = append(params, "Version", version)
		}
	}
	body := formBody(params)
	req, err := http.NewRequest(http.MethodPost, e.url+"/", strings.NewReader(body))
	must(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	creds := map[signing]aws.Credentials{
		signedByAdmin: {AccessKeyID: adminKey, SecretAccessKey: adminSecret},
		wrongSecret:   {AccessKeyID: adminKey, SecretAccessKey: "not/the/secret"},
		unknownKey:    {AccessKeyID: "AKIACOGNATEUNKNOWN01", SecretAccessKey: adminSecret},
	}
	if c, ok := creds[tc.sign]; ok {
		sum := sha256.Sum256([]byte(body))
		must(t, v4.NewSigner().SignHTTP(context.Background(), c, req, hex.EncodeToString(sum[:]), tc.service, "us-east-1", goldenNow))
	}
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	must(t, err)
	return rawResponse{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"),
		requestID: resp.Header.Get("x-amzn-RequestId"), body: string(b)}
}

// formBody encodes params in their order, as application/x-www-form-urlencoded.
func formBody(params []string) string {
	var b strings.Builder
	for i := 0; i+1 < len(params); i += 2 {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(params[i]) + "=" + url.QueryEscape(params[i+1]))
	}
	return b.String()
}

// goldenRecord is what a golden file holds: the body exactly as sent,
// then, in a comment after the root element (so that the file stays an XML
// document), the status and Content-Type.
func goldenRecord(status int, contentType, body string) string {
	return fmt.Sprintf("%s\n<!-- HTTP %d; Content-Type: %s -->\n", body, status, contentType)
}

// normalizers replace the values that differ from run to run, each only
// inside its own element and only in the form Cognate gives it, so that a
// value of another form still shows up as a difference. Dates need none:
// the server runs on goldenNow.
var normalizers = []struct {
	re   *regexp.Regexp
	with string
}{
	// Request ids: random UUIDs.
	{regexp.MustCompile(`<RequestId>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}</RequestId>`), "<RequestId>{request id}</RequestId>"},
	// Role ids: AROA and seventeen random base32 characters, alone or
	// before ":<session name>".
	{regexp.MustCompile(`<RoleId>AROA[A-Z2-7]{17}</RoleId>`), "<RoleId>AROA{role id}</RoleId>"},
	{regexp.MustCompile(`<AssumedRoleId>AROA[A-Z2-7]{17}:`), "<AssumedRoleId>AROA{role id}:"},
	// Session credentials: random key id and secret, sealed token.
	{regexp.MustCompile(`<AccessKeyId>ASIA[A-Z2-7]{16}</AccessKeyId>`), "<AccessKeyId>ASIA{access key id}</AccessKeyId>"},
	{regexp.MustCompile(`<SecretAccessKey>[A-Za-z0-9+/]{40}</SecretAccessKey>`), "<SecretAccessKey>{secret access key}</SecretAccessKey>"},
	{regexp.MustCompile(`<SessionToken>[A-Za-z0-9+/]+={0,2}</SessionToken>`), "<SessionToken>{session token}</SessionToken>"},
}

func normalize(s string) string {
	for _, n := range normalizers {
		s = n.re.ReplaceAllString(s, n.with)
	}
	return s
}
