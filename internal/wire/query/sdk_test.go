package query_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/wire/iamapi"
	"github.com/cognate-auth/cognate/internal/wire/query"
	"github.com/cognate-auth/cognate/internal/wire/stsapi"
)

// created is the creation date every role of the test service has.
var created = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// iamStub is a test double: fixed data, inputs echoed back so that the
// round trip shows what the form decoder read.
type iamStub struct{ iamapi.UnimplementedService }

func role(name string) iamapi.Role {
	return iamapi.Role{
		Path: "/", RoleName: name, RoleId: "AROA" + name, Arn: "arn:aws:iam::123456789012:role/" + name,
		CreateDate: &created, AssumeRolePolicyDocument: "%7B%7D",
	}
}

func (iamStub) GetRole(_ context.Context, in *iamapi.GetRoleRequest) (*iamapi.GetRoleResponse, error) {
	switch in.RoleName {
	case "missing":
		return nil, apierr.New("NoSuchEntity", "The role with name missing cannot be found.")
	case "panic":
		panic("the stub was asked to panic")
	case "broken":
		return nil, errors.New("database on fire")
	}
	r := role(in.RoleName)
	used := created.Add(90 * time.Minute)
	r.RoleLastUsed = &iamapi.RoleLastUsed{LastUsedDate: &used, Region: "eu-west-1"}
	r.MaxSessionDuration = aws.Int32(3600)
	r.Tags = []iamapi.Tag{{Key: "team", Value: "a & <b>"}}
	return &iamapi.GetRoleResponse{Role: &r}, nil
}

func (iamStub) CreateRole(_ context.Context, in *iamapi.CreateRoleRequest) (*iamapi.CreateRoleResponse, error) {
	r := role(in.RoleName)
	r.Path, r.Description, r.MaxSessionDuration, r.Tags = in.Path, in.Description, in.MaxSessionDuration, in.Tags
	r.AssumeRolePolicyDocument = in.AssumeRolePolicyDocument
	if in.PermissionsBoundary != "" {
		r.PermissionsBoundary = &iamapi.AttachedPermissionsBoundary{PermissionsBoundaryArn: in.PermissionsBoundary,
			PermissionsBoundaryType: iamapi.PermissionsBoundaryAttachmentTypePermissionsBoundaryPolicy}
	}
	return &iamapi.CreateRoleResponse{Role: &r}, nil
}

func (iamStub) ListRoles(_ context.Context, in *iamapi.ListRolesRequest) (*iamapi.ListRolesResponse, error) {
	n := 2
	if in.Marker == "end" {
		n = 0
	} else if in.MaxItems != nil {
		n = int(*in.MaxItems)
	}
	out := &iamapi.ListRolesResponse{Roles: []iamapi.Role{}, IsTruncated: aws.Bool(false)}
	for i := range n {
		out.Roles = append(out.Roles, role("r"+strconv.Itoa(i)))
	}
	return out, nil
}

func (iamStub) SimulateCustomPolicy(_ context.Context, in *iamapi.SimulateCustomPolicyRequest) (*iamapi.SimulatePolicyResponse, error) {
	out := &iamapi.SimulatePolicyResponse{IsTruncated: aws.Bool(false)}
	for _, a := range in.ActionNames {
		res := iamapi.EvaluationResult{
			EvalActionName: a, EvalResourceName: "*", EvalDecision: iamapi.PolicyEvaluationDecisionTypeAllowed,
			EvalDecisionDetails: map[string]string{"policy-b": "allowed", "policy-a": "implicitDeny"},
			MatchedStatements: []iamapi.Statement{{SourcePolicyId: "PolicyInputList.1",
				StartPosition: &iamapi.Position{Line: aws.Int32(1), Column: aws.Int32(2)}}},
		}
		for _, c := range in.ContextEntries {
			res.MissingContextValues = append(res.MissingContextValues, c.ContextKeyName+"="+c.ContextKeyValues[len(c.ContextKeyValues)-1])
		}
		out.EvaluationResults = append(out.EvaluationResults, res)
	}
	return out, nil
}

type stsStub struct{ stsapi.UnimplementedService }

func (stsStub) AssumeRoleWithWebIdentity(_ context.Context, in *stsapi.AssumeRoleWithWebIdentityRequest) (*stsapi.AssumeRoleWithWebIdentityResponse, error) {
	if in.WebIdentityToken == "expired" {
		return nil, apierr.New("ExpiredTokenException", "Token expired: current date/time 1 must be before the expiration date/time 0")
	}
	exp := created.Add(time.Duration(aws.ToInt32(in.DurationSeconds)) * time.Second)
	return &stsapi.AssumeRoleWithWebIdentityResponse{
		Credentials:                 &stsapi.Credentials{AccessKeyId: "ASIATEST", SecretAccessKey: "secret", SessionToken: "token", Expiration: &exp},
		SubjectFromWebIdentityToken: "sub-1",
		AssumedRoleUser:             &stsapi.AssumedRoleUser{AssumedRoleId: "AROA:" + in.RoleSessionName, Arn: in.RoleArn + "/" + in.RoleSessionName},
		PackedPolicySize:            aws.Int32(int32(len(in.PolicyArns))),
		Provider:                    in.ProviderId,
		Audience:                    "client-1",
	}, nil
}

func (stsStub) GetCallerIdentity(context.Context, *stsapi.GetCallerIdentityRequest) (*stsapi.GetCallerIdentityResponse, error) {
	return &stsapi.GetCallerIdentityResponse{UserId: "AIDATEST", Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/test"}, nil
}

// noAuth stands in for SigV4 verification, which this package does not do.
func noAuth(r *http.Request, _ []byte) (context.Context, error) { return r.Context(), nil }

// newServer serves both stubs behind a Dispatcher; next answers 418 so that
// requests it receives are recognisable.
func newServer(t testing.TB) *httptest.Server {
	t.Helper()
	iamH, err := query.NewHandler(query.Config{Service: "iam", Version: iamapi.Version, Namespace: iamapi.Namespace,
		Operations: iamapi.Operations(iamStub{}), ErrorStatus: iamapi.ErrorStatus, Authenticate: noAuth})
	if err != nil {
		t.Fatal(err)
	}
	stsH, err := query.NewHandler(query.Config{Service: "sts", Version: stsapi.Version, Namespace: stsapi.Namespace,
		Operations: stsapi.Operations(stsStub{}), ErrorStatus: stsapi.ErrorStatus, Authenticate: noAuth})
	if err != nil {
		t.Fatal(err)
	}
	next := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) })
	srv := httptest.NewServer(query.NewDispatcher(map[string]*query.Handler{"iam": iamH, "sts": stsH}, next))
	t.Cleanup(srv.Close)
	return srv
}

func clients(t *testing.T) (*iam.Client, *sts.Client) {
	srv := newServer(t)
	creds := credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", "")
	ic := iam.New(iam.Options{BaseEndpoint: aws.String(srv.URL), Region: "us-east-1", Credentials: creds, Retryer: aws.NopRetryer{}})
	sc := sts.New(sts.Options{BaseEndpoint: aws.String(srv.URL), Region: "us-east-1", Credentials: creds, Retryer: aws.NopRetryer{}})
	return ic, sc
}

func TestSDKRoundTrips(t *testing.T) {
	t.Parallel()
	ic, sc := clients(t)
	ctx := context.Background()

	t.Run("CreateRole lists of structs, ints, nested", func(t *testing.T) {
		t.Parallel()
		out, err := ic.CreateRole(ctx, &iam.CreateRoleInput{
			RoleName: aws.String("web"), AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17"}`),
			Path: aws.String("/app/"), Description: aws.String("for the web & co"), MaxSessionDuration: aws.Int32(7200),
			PermissionsBoundary: aws.String("arn:aws:iam::123456789012:policy/boundary"),
			Tags:                []iamtypes.Tag{{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("b"), Value: aws.String("")}},
		})
		if err != nil {
			t.Fatal(err)
		}
		r := out.Role
		got := []any{*r.RoleName, *r.Path, *r.Description, *r.MaxSessionDuration, *r.AssumeRolePolicyDocument,
			*r.PermissionsBoundary.PermissionsBoundaryArn, r.PermissionsBoundary.PermissionsBoundaryType,
			len(r.Tags), *r.Tags[0].Key, *r.Tags[0].Value, *r.Tags[1].Key, aws.ToString(r.Tags[1].Value), r.CreateDate.Equal(created)}
		want := []any{"web", "/app/", "for the web & co", int32(7200), `{"Version":"2012-10-17"}`,
			"arn:aws:iam::123456789012:policy/boundary", iamtypes.PermissionsBoundaryAttachmentTypePolicy,
			2, "a", "1", "b", "", true}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Error(diff)
		}
	})
	t.Run("GetRole timestamps and escaping", func(t *testing.T) {
		t.Parallel()
		out, err := ic.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("web")})
		if err != nil {
			t.Fatal(err)
		}
		if !out.Role.RoleLastUsed.LastUsedDate.Equal(created.Add(90*time.Minute)) || *out.Role.RoleLastUsed.Region != "eu-west-1" {
			t.Errorf("RoleLastUsed = %+v", out.Role.RoleLastUsed)
		}
		if *out.Role.Tags[0].Value != "a & <b>" {
			t.Errorf("tag value = %q", *out.Role.Tags[0].Value)
		}
	})
	t.Run("ListRoles empty and full lists", func(t *testing.T) {
		t.Parallel()
		for _, n := range []int32{0, 3} {
			in := &iam.ListRolesInput{MaxItems: aws.Int32(n)}
			if n == 0 {
				in = &iam.ListRolesInput{Marker: aws.String("end")}
			}
			out, err := ic.ListRoles(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			if len(out.Roles) != int(n) || out.IsTruncated {
				t.Errorf("MaxItems %d: %d roles, truncated %v", n, len(out.Roles), out.IsTruncated)
			}
		}
	})
	t.Run("SimulateCustomPolicy maps and nested lists", func(t *testing.T) {
		t.Parallel()
		out, err := ic.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{
			PolicyInputList: []string{`{"Version":"2012-10-17","Statement":[]}`},
			ActionNames:     []string{"s3:GetObject", "s3:PutObject"},
			ContextEntries: []iamtypes.ContextEntry{{ContextKeyName: aws.String("aws:SourceIp"),
				ContextKeyType: iamtypes.ContextKeyTypeEnumIp, ContextKeyValues: []string{"10.0.0.1", "10.0.0.2"}}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.EvaluationResults) != 2 {
			t.Fatalf("%d results", len(out.EvaluationResults))
		}
		res := out.EvaluationResults[1]
		want := map[string]iamtypes.PolicyEvaluationDecisionType{"policy-a": "implicitDeny", "policy-b": "allowed"}
		if diff := cmp.Diff(want, res.EvalDecisionDetails); diff != "" {
			t.Error(diff)
		}
		if *res.EvalActionName != "s3:PutObject" || res.EvalDecision != iamtypes.PolicyEvaluationDecisionTypeAllowed {
			t.Errorf("result = %s %s", *res.EvalActionName, res.EvalDecision)
		}
		if diff := cmp.Diff([]string{"aws:SourceIp=10.0.0.2"}, res.MissingContextValues); diff != "" {
			t.Error(diff)
		}
		if p := res.MatchedStatements[0].StartPosition; p.Line != 1 || p.Column != 2 {
			t.Errorf("StartPosition = %+v", p)
		}
	})
	t.Run("AssumeRoleWithWebIdentity unsigned", func(t *testing.T) {
		t.Parallel()
		out, err := sc.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{
			RoleArn: aws.String("arn:aws:iam::123456789012:role/web"), RoleSessionName: aws.String("s1"),
			WebIdentityToken: aws.String("eyJ.token"), DurationSeconds: aws.Int32(900),
			ProviderId: aws.String("graph.facebook.com"),
			PolicyArns: []ststypes.PolicyDescriptorType{{Arn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if !out.Credentials.Expiration.Equal(created.Add(900*time.Second)) || *out.Credentials.AccessKeyId != "ASIATEST" {
			t.Errorf("credentials = %+v", out.Credentials)
		}
		//lint:ignore SA1019 STS still sends PackedPolicySize, and the decoder must read it
		packed := *out.PackedPolicySize
		if *out.AssumedRoleUser.Arn != "arn:aws:iam::123456789012:role/web/s1" || packed != 1 || *out.Provider != "graph.facebook.com" {
			t.Errorf("out = %+v %v %v", out.AssumedRoleUser, packed, *out.Provider)
		}
	})
	t.Run("GetCallerIdentity signed to sts", func(t *testing.T) {
		t.Parallel()
		out, err := sc.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			t.Fatal(err)
		}
		if *out.Account != "123456789012" {
			t.Errorf("account = %s", *out.Account)
		}
	})
	t.Run("DeleteRole without output", func(t *testing.T) {
		t.Parallel()
		_, err := ic.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("web")})
		wantAPIError(t, err, "InvalidAction", 400)
	})
}

func TestSDKErrors(t *testing.T) {
	t.Parallel()
	ic, sc := clients(t)
	ctx := context.Background()
	tests := []struct {
		name   string
		call   func() error
		code   string
		status int
		msg    string
	}{
		{"model status", func() error {
			_, err := ic.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("missing")})
			return err
		}, "NoSuchEntity", 404, "The role with name missing cannot be found."},
		{"validation", func() error {
			_, err := ic.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("bad name!")})
			return err
		}, "ValidationError", 400, "1 validation error detected: Value 'bad name!' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"},
		{"empty required", func() error {
			_, err := ic.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("")})
			return err
		}, "ValidationError", 400, "2 validation errors detected: Value '' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+; Value '' at 'roleName' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"panic", func() error {
			_, err := ic.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("panic")})
			return err
		}, "InternalFailure", 500, ""},
		{"plain error", func() error {
			_, err := ic.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("broken")})
			return err
		}, "InternalFailure", 500, ""},
		{"sts error", func() error {
			_, err := sc.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{
				RoleArn: aws.String("arn:aws:iam::123456789012:role/web"), RoleSessionName: aws.String("s1"),
				WebIdentityToken: aws.String("expired")})
			return err
		}, "ExpiredTokenException", 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := wantAPIError(t, tt.call(), tt.code, tt.status)
			if e != nil && tt.msg != "" && e.ErrorMessage() != tt.msg {
				t.Errorf("message = %q, want %q", e.ErrorMessage(), tt.msg)
			}
		})
	}
	var nse *iamtypes.NoSuchEntityException
	if _, err := ic.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("missing")}); !errors.As(err, &nse) {
		t.Errorf("GetRole(missing) = %v, want a *types.NoSuchEntityException", err)
	}
}

func wantAPIError(t *testing.T, err error, code string, status int) smithy.APIError {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want a smithy.APIError", err)
	}
	if ae.ErrorCode() != code {
		t.Errorf("code = %q (%s), want %q", ae.ErrorCode(), ae.ErrorMessage(), code)
	}
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() != status {
		t.Errorf("status = %v, want %d", err, status)
	}
	return ae
}
