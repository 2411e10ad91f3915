package iamsts_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/google/go-cmp/cmp"
)

func TestOpenIDConnectProviders(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.iamClient(admin)
	ctx := context.Background()
	out, err := c.CreateOpenIDConnectProvider(ctx, &awsiam.CreateOpenIDConnectProviderInput{Url: aws.String("https://idp.example.com/t1"),
		ClientIDList: []string{"app"}, ThumbprintList: []string{strings.Repeat("ab", 20)},
		Tags: []iamtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	must(t, err)
	arn := "arn:aws:iam::123456789012:oidc-provider/idp.example.com/t1"
	if *out.OpenIDConnectProviderArn != arn || len(out.Tags) != 1 {
		t.Errorf("created %+v", out)
	}
	got, err := c.GetOpenIDConnectProvider(ctx, &awsiam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn)})
	must(t, err)
	if *got.Url != "idp.example.com/t1" || !cmp.Equal(got.ClientIDList, []string{"app"}) || len(got.ThumbprintList) != 1 || got.CreateDate == nil {
		t.Errorf("GetOpenIDConnectProvider = %+v", got)
	}
	_, err = c.CreateOpenIDConnectProvider(ctx, &awsiam.CreateOpenIDConnectProviderInput{Url: aws.String("https://idp.example.com/t1"), ClientIDList: []string{"x"}})
	wantAPIError(t, err, "EntityAlreadyExists", 409, "Provider with url https://idp.example.com/t1 already exists.")
	_, err = c.CreateOpenIDConnectProvider(ctx, &awsiam.CreateOpenIDConnectProviderInput{Url: aws.String("http://idp.example.com")})
	wantAPIError(t, err, "InvalidInput", 400, "")
	list, err := c.ListOpenIDConnectProviders(ctx, &awsiam.ListOpenIDConnectProvidersInput{})
	must(t, err)
	if len(list.OpenIDConnectProviderList) != 1 || *list.OpenIDConnectProviderList[0].Arn != arn {
		t.Errorf("list = %+v", list.OpenIDConnectProviderList)
	}
	_, err = c.DeleteOpenIDConnectProvider(ctx, &awsiam.DeleteOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn)})
	must(t, err)
	_, err = c.GetOpenIDConnectProvider(ctx, &awsiam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn)})
	wantAPIError(t, err, "NoSuchEntity", 404, "OpenIDConnect Provider not found for arn "+arn)
	list, err = c.ListOpenIDConnectProviders(ctx, &awsiam.ListOpenIDConnectProvidersInput{})
	must(t, err)
	if len(list.OpenIDConnectProviderList) != 0 {
		t.Errorf("after delete: %+v", list.OpenIDConnectProviderList)
	}
}

// TestOpenIDConnectProviderUpdates drives AddClientIDToOpenIDConnectProvider,
// RemoveClientIDFromOpenIDConnectProvider and
// UpdateOpenIDConnectProviderThumbprint through the SDK.
func TestOpenIDConnectProviderUpdates(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.iamClient(admin)
	ctx := context.Background()
	out, err := c.CreateOpenIDConnectProvider(ctx, &awsiam.CreateOpenIDConnectProviderInput{Url: aws.String("https://idp.example.com"),
		ClientIDList: []string{"app"}, ThumbprintList: []string{strings.Repeat("ab", 20)}})
	must(t, err)
	arn := out.OpenIDConnectProviderArn
	state := func(t *testing.T) (clientIDs, thumbprints []string) {
		t.Helper()
		got, err := c.GetOpenIDConnectProvider(ctx, &awsiam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: arn})
		must(t, err)
		return got.ClientIDList, got.ThumbprintList
	}
	add := func(id string) error {
		_, err := c.AddClientIDToOpenIDConnectProvider(ctx, &awsiam.AddClientIDToOpenIDConnectProviderInput{OpenIDConnectProviderArn: arn, ClientID: aws.String(id)})
		return err
	}
	remove := func(id string) error {
		_, err := c.RemoveClientIDFromOpenIDConnectProvider(ctx, &awsiam.RemoveClientIDFromOpenIDConnectProviderInput{OpenIDConnectProviderArn: arn, ClientID: aws.String(id)})
		return err
	}
	thumbprints := func(ts ...string) error {
		_, err := c.UpdateOpenIDConnectProviderThumbprint(ctx, &awsiam.UpdateOpenIDConnectProviderThumbprintInput{OpenIDConnectProviderArn: arn, ThumbprintList: ts})
		return err
	}

	t.Run("client ids", func(t *testing.T) {
		must(t, add("cli"))
		must(t, add("app")) // present already: no change, no error
		if ids, _ := state(t); !cmp.Equal(ids, []string{"app", "cli"}) {
			t.Errorf("after adding cli and app again: %q", ids)
		}
		must(t, remove("app"))
		must(t, remove("never-there"))
		if ids, _ := state(t); !cmp.Equal(ids, []string{"cli"}) {
			t.Errorf("after removing app and an absent id: %q", ids)
		}
		for i := 1; i < 100; i++ { // cli and 99 more: IAM's quota
			must(t, add(fmt.Sprintf("app-%03d", i)))
		}
		wantAPIError(t, add("one-too-many"), "LimitExceeded", 409, "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100")
		must(t, add("app-001")) // present: still a success at the quota
		if ids, _ := state(t); len(ids) != 100 || slices.Contains(ids, "one-too-many") {
			t.Errorf("%d client ids after the quota was hit, want 100 without one-too-many", len(ids))
		}
	})

	t.Run("thumbprints", func(t *testing.T) {
		a, b := strings.Repeat("0a", 20), strings.Repeat("BC", 20)
		must(t, thumbprints(a, b, strings.ToUpper(a)))
		if _, ts := state(t); !cmp.Equal(ts, []string{a, b}) {
			t.Errorf("after replacing the list: %q, want %q (the lists are not merged; case-insensitive duplicates go)", ts, []string{a, b})
		}
		wantAPIError(t, thumbprints(strings.Repeat("zz", 20)), "InvalidInput", 400, "")
		wantAPIError(t, thumbprints("abc"), "ValidationError", 400, "")
		wantAPIError(t, thumbprints(sixThumbprints()...), "InvalidInput", 400, "Thumbprint list must contain fewer than 6 entries")
		if _, ts := state(t); !cmp.Equal(ts, []string{a, b}) {
			t.Errorf("after refused updates: %q", ts)
		}
	})

	t.Run("no such provider", func(t *testing.T) {
		none := "arn:aws:iam::123456789012:oidc-provider/none.example.com"
		msg := "OpenIDConnect Provider not found for arn " + none
		_, err := c.AddClientIDToOpenIDConnectProvider(ctx, &awsiam.AddClientIDToOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(none), ClientID: aws.String("x")})
		wantAPIError(t, err, "NoSuchEntity", 404, msg)
		_, err = c.RemoveClientIDFromOpenIDConnectProvider(ctx, &awsiam.RemoveClientIDFromOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(none), ClientID: aws.String("x")})
		wantAPIError(t, err, "NoSuchEntity", 404, msg)
		_, err = c.UpdateOpenIDConnectProviderThumbprint(ctx, &awsiam.UpdateOpenIDConnectProviderThumbprintInput{OpenIDConnectProviderArn: aws.String(none), ThumbprintList: []string{strings.Repeat("ab", 20)}})
		wantAPIError(t, err, "NoSuchEntity", 404, msg)
	})
}

func sixThumbprints() []string {
	var out []string
	for i := range 6 {
		out = append(out, strings.Repeat(string(rune('a'+i)), 40))
	}
	return out
}

const samlMetadata = `<?xml version="1.0"?>
<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/saml" validUntil="2031-05-06T07:08:09Z">
  <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>CERT</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example.com/sso?a=1&amp;b=2"/>
  </IDPSSODescriptor>
</EntityDescriptor>`

func TestSAMLProviders(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.iamClient(admin)
	ctx := context.Background()
	doc := strings.Replace(samlMetadata, "CERT", strings.Repeat("MIIC", 250), 1)
	out, err := c.CreateSAMLProvider(ctx, &awsiam.CreateSAMLProviderInput{Name: aws.String("corp"), SAMLMetadataDocument: aws.String(doc)})
	must(t, err)
	arn := "arn:aws:iam::123456789012:saml-provider/corp"
	if *out.SAMLProviderArn != arn {
		t.Errorf("created %+v", out)
	}
	got, err := c.GetSAMLProvider(ctx, &awsiam.GetSAMLProviderInput{SAMLProviderArn: aws.String(arn)})
	must(t, err)
	if *got.SAMLMetadataDocument != doc || !got.ValidUntil.Equal(time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC)) || got.CreateDate == nil {
		t.Errorf("GetSAMLProvider = %+v", got)
	}
	_, err = c.CreateSAMLProvider(ctx, &awsiam.CreateSAMLProviderInput{Name: aws.String("corp"), SAMLMetadataDocument: aws.String(doc)})
	wantAPIError(t, err, "EntityAlreadyExists", 409, "Provider with name corp already exists.")
	_, err = c.CreateSAMLProvider(ctx, &awsiam.CreateSAMLProviderInput{Name: aws.String("bad"), SAMLMetadataDocument: aws.String(strings.Repeat("x", 1000))})
	wantAPIError(t, err, "InvalidInput", 400, "Could not parse metadata")
	list, err := c.ListSAMLProviders(ctx, &awsiam.ListSAMLProvidersInput{})
	must(t, err)
	if len(list.SAMLProviderList) != 1 || *list.SAMLProviderList[0].Arn != arn || list.SAMLProviderList[0].ValidUntil == nil {
		t.Errorf("list = %+v", list.SAMLProviderList)
	}
	_, err = c.DeleteSAMLProvider(ctx, &awsiam.DeleteSAMLProviderInput{SAMLProviderArn: aws.String(arn)})
	must(t, err)
	_, err = c.DeleteSAMLProvider(ctx, &awsiam.DeleteSAMLProviderInput{SAMLProviderArn: aws.String(arn)})
	wantAPIError(t, err, "NoSuchEntity", 404, "Manifest not found for arn "+arn)
}

func TestSimulation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.iamClient(admin)
	ctx := context.Background()
	cond := `{"Version":"2012-10-17","Statement":[{"Sid":"Office","Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`
	out, err := c.SimulateCustomPolicy(ctx, &awsiam.SimulateCustomPolicyInput{PolicyInputList: []string{s3Read, cond},
		ActionNames: []string{"s3:GetObject", "s3:PutObject"}, ResourceArns: []string{"arn:aws:s3:::photos/a"}})
	must(t, err)
	if len(out.EvaluationResults) != 2 || out.IsTruncated {
		t.Fatalf("results = %+v", out.EvaluationResults)
	}
	get, put := out.EvaluationResults[0], out.EvaluationResults[1]
	if *get.EvalActionName != "s3:GetObject" || *get.EvalResourceName != "arn:aws:s3:::photos/a" || get.EvalDecision != iamtypes.PolicyEvaluationDecisionTypeAllowed {
		t.Errorf("get = %+v", get)
	}
	if m := get.MatchedStatements; len(m) != 1 || *m[0].SourcePolicyId != "PolicyInputList.1" || m[0].StartPosition.Column != 41 || m[0].EndPosition.Line != 1 {
		t.Errorf("matched = %+v", m)
	}
	// With resources named, missing keys are reported per resource.
	if put.EvalDecision != iamtypes.PolicyEvaluationDecisionTypeImplicitDeny || len(put.MissingContextValues) != 0 || len(put.ResourceSpecificResults) != 1 {
		t.Fatalf("put = %+v", put)
	}
	if rr := put.ResourceSpecificResults[0]; *rr.EvalResourceName != "arn:aws:s3:::photos/a" || rr.EvalResourceDecision != iamtypes.PolicyEvaluationDecisionTypeImplicitDeny ||
		!cmp.Equal(rr.MissingContextValues, []string{"aws:SourceIp"}) {
		t.Errorf("put on the resource = %+v", rr)
	}
	if get.EvalDecisionDetails == nil {
		t.Error("EvalDecisionDetails absent, want it present and empty")
	}
	out, err = c.SimulateCustomPolicy(ctx, &awsiam.SimulateCustomPolicyInput{PolicyInputList: []string{cond}, ActionNames: []string{"s3:PutObject", "s3:GetObject"},
		MaxItems:       aws.Int32(1),
		ContextEntries: []iamtypes.ContextEntry{{ContextKeyName: aws.String("aws:SourceIp"), ContextKeyType: iamtypes.ContextKeyTypeEnumIp, ContextKeyValues: []string{"10.9.8.7"}}}})
	must(t, err)
	if len(out.EvaluationResults) != 1 || !out.IsTruncated || out.EvaluationResults[0].EvalDecision != iamtypes.PolicyEvaluationDecisionTypeAllowed {
		t.Errorf("first page = %+v", out)
	}
	next, err := c.SimulateCustomPolicy(ctx, &awsiam.SimulateCustomPolicyInput{PolicyInputList: []string{cond}, ActionNames: []string{"s3:PutObject", "s3:GetObject"},
		Marker:         out.Marker,
		ContextEntries: []iamtypes.ContextEntry{{ContextKeyName: aws.String("aws:SourceIp"), ContextKeyType: iamtypes.ContextKeyTypeEnumIp, ContextKeyValues: []string{"10.9.8.7"}}}})
	must(t, err)
	if len(next.EvaluationResults) != 1 || next.IsTruncated || *next.EvaluationResults[0].EvalActionName != "s3:GetObject" {
		t.Errorf("second page = %+v", next)
	}

	_, err = c.CreateRole(ctx, &awsiam.CreateRoleInput{RoleName: aws.String("web"), AssumeRolePolicyDocument: aws.String(cognitoTrust)})
	must(t, err)
	_, err = c.PutRolePolicy(ctx, &awsiam.PutRolePolicyInput{RoleName: aws.String("web"), PolicyName: aws.String("read"), PolicyDocument: aws.String(s3Read)})
	must(t, err)
	pp, err := c.SimulatePrincipalPolicy(ctx, &awsiam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String("arn:aws:iam::123456789012:role/web"),
		ActionNames: []string{"s3:GetObject"}, ResourceArns: []string{"arn:aws:s3:::photos/a"}})
	must(t, err)
	r := pp.EvaluationResults[0]
	if r.EvalDecision != iamtypes.PolicyEvaluationDecisionTypeAllowed || *r.MatchedStatements[0].SourcePolicyId != "read" ||
		r.MatchedStatements[0].SourcePolicyType != iamtypes.PolicySourceTypeRole {
		t.Errorf("principal = %+v", r)
	}
	_, err = c.SimulatePrincipalPolicy(ctx, &awsiam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String("arn:aws:iam::123456789012:role/gone"),
		ActionNames: []string{"s3:GetObject"}})
	wantAPIError(t, err, "NoSuchEntity", 404, "The role with name gone cannot be found.")
	_, err = c.SimulateCustomPolicy(ctx, &awsiam.SimulateCustomPolicyInput{PolicyInputList: []string{s3Read}, ActionNames: []string{"s3:GetObject"},
		ResourcePolicy: aws.String(s3Read)})
	wantAPIError(t, err, "InvalidInput", 400, "ResourcePolicy is not supported by Cognate yet.")
}
