package iamsts_test

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
)

// sdkCalls makes, for each golden case, the SDK call whose response the
// golden file holds. The inputs only have to pass the SDK's own checks:
// the answer is the file's, whatever was asked.
var sdkCalls = map[string]func(ctx context.Context, c *awsiam.Client, s *sts.Client) (any, error){
	"iam_create_role": func(ctx context.Context, c *awsiam.Client, _ *sts.Client) (any, error) {
		return c.CreateRole(ctx, &awsiam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String("{}")})
	},
	"iam_get_role": func(ctx context.Context, c *awsiam.Client, _ *sts.Client) (any, error) {
		return c.GetRole(ctx, &awsiam.GetRoleInput{RoleName: aws.String("r")})
	},
	"iam_create_role_plain": func(ctx context.Context, c *awsiam.Client, _ *sts.Client) (any, error) {
		return c.CreateRole(ctx, &awsiam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String("{}")})
	},
	"iam_list_roles_truncated": func(ctx context.Context, c *awsiam.Client, _ *sts.Client) (any, error) {
		return c.ListRoles(ctx, &awsiam.ListRolesInput{})
	},
	"iam_list_roles_last_page": func(ctx context.Context, c *awsiam.Client, _ *sts.Client) (any, error) {
		return c.ListRoles(ctx, &awsiam.ListRolesInput{})
	},
	"iam_put_role_policy": func(ctx context.Context, c *awsiam.Client, _ *sts.Client) (any, error) {
		return c.PutRolePolicy(ctx, &awsiam.PutRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("p"), PolicyDocument: aws.String("{}")})
	},
	"iam_get_role_policy": func(ctx context.Context, c *awsiam.Client, _ *sts.Client) (any, error) {
		return c.GetRolePolicy(ctx, &awsiam.GetRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("p")})
	},
	"iam_list_role_policies": func(ctx context.Context, c *awsiam.Client, _ *sts.Client) (any, error) {
		return c.ListRolePolicies(ctx, &awsiam.ListRolePoliciesInput{RoleName: aws.String("r")})
	},
	"iam_list_role_policies_empty": func(ctx context.Context, c *awsiam.Client, _ *sts.Client) (any, error) {
		return c.ListRolePolicies(ctx, &awsiam.ListRolePoliciesInput{RoleName: aws.String("r")})
	},
	"iam_create_open_id_connect_provider": func(ctx context.Context, c *awsiam.Client, _ *sts.Client) (any, error) {
		return c.CreateOpenIDConnectProvider(ctx, &awsiam.CreateOpenIDConnectProviderInput{Url: aws.String("https://x")})
	},
	"iam_get_open_id_connect_provider": func(ctx context.Context, c *awsiam.Client, _ *sts.Client) (any, error) {
		return c.GetOpenIDConnectProvider(ctx, &awsiam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(goldenRole)})
	},
	"iam_add_client_id_to_open_id_connect_provider": func(ctx context.Context, c *awsiam.Client, _ *sts.Client) (any, error) {
		return c.AddClientIDToOpenIDConnectProvider(ctx, &awsiam.AddClientIDToOpenIDConnectProviderInput{
			OpenIDConnectProviderArn: aws.String(goldenOIDC), ClientID: aws.String("c")})
	},
	"iam_remove_client_id_from_open_id_connect_provider": func(ctx context.Context, c *awsiam.Client, _ *sts.Client) (any, error) {
		return c.RemoveClientIDFromOpenIDConnectProvider(ctx, &awsiam.RemoveClientIDFromOpenIDConnectProviderInput{
			OpenIDConnectProviderArn: aws.String(goldenOIDC), ClientID: aws.String("c")})
	},
	"iam_update_open_id_connect_provider_thumbprint": func(ctx context.Context, c *awsiam.Client, _ *sts.Client) (any, error) {
		return c.UpdateOpenIDConnectProviderThumbprint(ctx, &awsiam.UpdateOpenIDConnectProviderThumbprintInput{
			OpenIDConnectProviderArn: aws.String(goldenOIDC), ThumbprintList: []string{}})
	},
	"iam_get_open_id_connect_provider_updated": func(ctx context.Context, c *awsiam.Client, _ *sts.Client) (any, error) {
		return c.GetOpenIDConnectProvider(ctx, &awsiam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(goldenOIDC)})
	},
	"iam_create_saml_provider": func(ctx context.Context, c *awsiam.Client, _ *sts.Client) (any, error) {
		return c.CreateSAMLProvider(ctx, &awsiam.CreateSAMLProviderInput{Name: aws.String("n"), SAMLMetadataDocument: aws.String(strings.Repeat("x", 1000))})
	},
	"iam_simulate_custom_policy": func(ctx context.Context, c *awsiam.Client, _ *sts.Client) (any, error) {
		return c.SimulateCustomPolicy(ctx, &awsiam.SimulateCustomPolicyInput{PolicyInputList: []string{"{}"}, ActionNames: []string{"s3:GetObject"}})
	},
	"iam_get_user": func(ctx context.Context, c *awsiam.Client, _ *sts.Client) (any, error) {
		return c.GetUser(ctx, &awsiam.GetUserInput{})
	},
	"sts_get_caller_identity": func(ctx context.Context, _ *awsiam.Client, s *sts.Client) (any, error) {
		return s.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	},
	"sts_assume_role_with_web_identity": assumeRoleWithWebIdentity,
	"sts_error_access_denied":           assumeRoleWithWebIdentity,
	"sts_error_missing_authentication_token": func(ctx context.Context, _ *awsiam.Client, s *sts.Client) (any, error) {
		return s.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	},
	"unsigned_error_unknown_action": func(ctx context.Context, _ *awsiam.Client, s *sts.Client) (any, error) {
		return s.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	},
}

func assumeRoleWithWebIdentity(ctx context.Context, _ *awsiam.Client, s *sts.Client) (any, error) {
	return s.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(goldenRole),
		RoleSessionName: aws.String("app"), WebIdentityToken: aws.String("t")})
}

// TestGoldenFilesReadByTheSDK hands each golden response to
// aws-sdk-go-v2's IAM or STS client, as if the service had sent it: an
// answer must decode with every value the file holds (an element the SDK
// does not expect where it is would be dropped silently), an error must
// come out with its code, message and status.
func TestGoldenFilesReadByTheSDK(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := readGolden(t, tc.name)
			call, ok := sdkCalls[tc.name]
			if !ok {
				// The errors of IAM calls all decode the same way.
				call = func(ctx context.Context, c *awsiam.Client, _ *sts.Client) (any, error) {
					return c.GetRole(ctx, &awsiam.GetRoleInput{RoleName: aws.String("r")})
				}
			}
			replay := cannedResponse{status: status, body: body}
			creds := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
				return aws.Credentials{AccessKeyID: adminKey, SecretAccessKey: adminSecret}, nil
			})
			c := awsiam.New(awsiam.Options{Region: "us-east-1", Credentials: creds, HTTPClient: replay, Retryer: aws.NopRetryer{}})
			s := sts.New(sts.Options{Region: "us-east-1", Credentials: creds, HTTPClient: replay, Retryer: aws.NopRetryer{}})
			out, err := call(context.Background(), c, s)
			if status == http.StatusOK {
				if err != nil {
					t.Fatalf("the SDK cannot read the response: %v", err)
				}
				if diff := cmp.Diff(xmlLeaves(t, body), sdkLeaves(reflect.ValueOf(out))); diff != "" {
					t.Errorf("values of the XML (-) and of the SDK's output (+) differ:\n%s", diff)
				}
				return
			}
			code, message := errorOf(t, body)
			var ae smithy.APIError
			if !errors.As(err, &ae) || ae.ErrorCode() != code || ae.ErrorMessage() != message {
				t.Errorf("the SDK read %v, want %s: %q", err, code, message)
			}
			var re *awshttp.ResponseError
			if !errors.As(err, &re) || re.HTTPStatusCode() != status {
				t.Errorf("status of %v, want %d", err, status)
			}
		})
	}
}

// cannedResponse answers every request with one golden response.
type cannedResponse struct {
	status int
	body   string
}

func (c cannedResponse) Do(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: c.status, Status: http.StatusText(c.status), Request: r,
		Header: http.Header{"Content-Type": {"text/xml"}, "X-Amzn-Requestid": {"{request id}"}},
		Body:   io.NopCloser(strings.NewReader(c.body))}, nil
}

var goldenTrailer = regexp.MustCompile(`\n<!-- HTTP (\d{3}); Content-Type: [^ ]+ -->\n$`)

// readGolden splits a golden file into its status and body.
func readGolden(t *testing.T, name string) (int, string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(goldenDir, name+".xml"))
	must(t, err)
	loc := goldenTrailer.FindSubmatchIndex(b)
	if loc == nil {
		t.Fatalf("%s.xml does not end with the status comment", name)
	}
	status, _ := strconv.Atoi(string(b[loc[2]:loc[3]]))
	return status, string(b[:loc[0]])
}

// xmlLeaves lists, sorted, the text of each element of body that has no
// child elements, but for the response metadata and values that are the
// zero of their kind ("false", "0"), which the SDK cannot tell from
// absent ones.
func xmlLeaves(t *testing.T, body string) []string {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(body))
	var (
		leaves []string
		path   []string
		text   strings.Builder
		leaf   bool
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		must(t, err)
		switch tok := tok.(type) {
		case xml.StartElement:
			path = append(path, tok.Name.Local)
			text.Reset()
			leaf = true
		case xml.CharData:
			text.Write(tok)
		case xml.EndElement:
			s := text.String()
			if leaf && s != "" && s != "false" && s != "0" && !slices.Contains(path, "ResponseMetadata") {
				leaves = append(leaves, s)
			}
			path = path[:len(path)-1]
			leaf = false
		}
	}
	slices.Sort(leaves)
	return leaves
}

// sdkLeaves lists, sorted, the values set in an SDK output, written as
// the query protocol writes them.
func sdkLeaves(v reflect.Value) []string {
	var leaves []string
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Struct:
			if t, ok := v.Interface().(time.Time); ok {
				leaves = append(leaves, t.UTC().Format(time.RFC3339))
				return
			}
			for i := range v.NumField() {
				if f := v.Type().Field(i); f.IsExported() && f.Name != "ResultMetadata" {
					walk(v.Field(i))
				}
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Map:
			for _, k := range v.MapKeys() {
				walk(k)
				walk(v.MapIndex(k))
			}
		default:
			if !v.IsZero() {
				leaves = append(leaves, fmt.Sprint(v.Interface()))
			}
		}
	}
	walk(v)
	slices.Sort(leaves)
	return leaves
}

// errorOf reads the code and message of an ErrorResponse.
func errorOf(t *testing.T, body string) (code, message string) {
	t.Helper()
	var e struct {
		Error struct {
			Type, Code, Message string
		}
		RequestID string `xml:"RequestId"`
	}
	must(t, xml.Unmarshal([]byte(body), &e))
	if e.Error.Type != "Sender" || e.Error.Code == "" || e.RequestID == "" {
		t.Errorf("ErrorResponse of type %q, code %q, request id %q", e.Error.Type, e.Error.Code, e.RequestID)
	}
	return e.Error.Code, e.Error.Message
}
