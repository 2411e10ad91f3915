package integration

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	citypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentity/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/crewjam/saml"
	dsig "github.com/russellhaering/goxmldsig"
)

// What AWS is to a SAML identity provider: the service provider
// urn:amazon:webservices, whose assertion consumer is the sign-in endpoint
// (IAM User Guide, "Configure SAML assertions for the authentication
// response").
const (
	awsSAMLEntity = "urn:amazon:webservices"
	awsSAMLSignIn = "https://signin.aws.amazon.com/saml"
)

// samlIdP is a SAML identity provider made with crewjam/saml: an RSA key
// and a self-signed certificate for it, under one entity id. Each response
// is made by a fresh saml.IdentityProvider, so tests in parallel share one.
type samlIdP struct {
	entityID string
	key      *rsa.PrivateKey
	cert     *x509.Certificate
}

func newSAMLIdP(t *testing.T, entityID string) *samlIdP {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{SerialNumber: randomSerial(), Subject: pkix.Name{CommonName: "Cognate test SAML IdP"},
		NotBefore: now.Add(-24 * time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &samlIdP{entityID: entityID, key: key, cert: cert}
}

// awsServiceProvider is AWS as the identity provider's configuration
// knows it: one service provider, posted to at acs.
type awsServiceProvider struct{ acs string }

func (sp awsServiceProvider) GetServiceProvider(_ *http.Request, id string) (*saml.EntityDescriptor, error) {
	return &saml.EntityDescriptor{EntityID: id, SPSSODescriptors: []saml.SPSSODescriptor{{
		AssertionConsumerServices: []saml.IndexedEndpoint{{Binding: saml.HTTPPostBinding, Location: sp.acs, Index: 1}},
	}}}, nil
}

// provider is crewjam's identity provider with this key, whose clock says
// now and which posts to acs.
func (s *samlIdP) provider(now time.Time, acs string) *saml.IdentityProvider {
	md, _ := url.Parse(s.entityID)
	sso := *md
	sso.Path = "/sso"
	return &saml.IdentityProvider{Key: s.key, Certificate: s.cert, MetadataURL: *md, SSOURL: sso,
		ServiceProviderProvider: awsServiceProvider{acs: acs}, Clock: dsig.NewFakeClockAt(now)}
}

// metadata is the identity provider's SAML metadata, as an administrator
// hands it to IAM CreateSAMLProvider.
func (s *samlIdP) metadata(t *testing.T) string {
	t.Helper()
	b, err := xml.Marshal(s.provider(time.Now(), awsSAMLSignIn).Metadata())
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// samlResponse shapes one response: when the IdP makes it (zero: now),
// where it sends it (empty: AWS's sign-in endpoint), the audience its
// assertion names (empty: AWS), and the values of its Role attribute
// ("<role ARN>,<provider ARN>").
type samlResponse struct {
	at       time.Time
	acs      string
	audience string
	roles    []string
}

// response is the base64 SAML Response an IdP-initiated sign-in of
// nameID posts to AWS: crewjam's assertion and response, signed.
func (s *samlIdP) response(t *testing.T, nameID string, o samlResponse) string {
	t.Helper()
	if o.at.IsZero() {
		o.at = time.Now()
	}
	if o.acs == "" {
		o.acs = awsSAMLSignIn
	}
	idp := s.provider(o.at, o.acs)
	req, err := idp.NewIdpInitiatedRequest(httptest.NewRequest(http.MethodGet, idp.SSOURL.String(), nil), awsSAMLEntity, "")
	if err != nil {
		t.Fatal(err)
	}
	attribute := func(name string, values ...string) saml.Attribute {
		a := saml.Attribute{Name: name, NameFormat: "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"}
		for _, v := range values {
			a.Values = append(a.Values, saml.AttributeValue{Type: "xs:string", Value: v})
		}
		return a
	}
	session := &saml.Session{ID: rand.Text(), CreateTime: o.at, ExpireTime: o.at.Add(time.Hour), Index: "1",
		NameID: nameID, NameIDFormat: string(saml.PersistentNameIDFormat), UserEmail: nameID + "@corp.saml.test",
		CustomAttributes: []saml.Attribute{attribute("https://aws.amazon.com/SAML/Attributes/RoleSessionName", nameID)},
	}
	if len(o.roles) > 0 {
		session.CustomAttributes = append(session.CustomAttributes, attribute("https://aws.amazon.com/SAML/Attributes/Role", o.roles...))
	}
	if err := (saml.DefaultAssertionMaker{}).MakeAssertion(req, session); err != nil {
		t.Fatal(err)
	}
	if o.audience != "" {
		req.Assertion.Conditions.AudienceRestrictions = []saml.AudienceRestriction{{Audience: saml.Audience{Value: o.audience}}}
	}
	form, err := req.PostBinding()
	if err != nil {
		t.Fatal(err)
	}
	if form.URL != o.acs {
		t.Fatalf("the IdP posts to %s, not %s", form.URL, o.acs)
	}
	return form.SAMLResponse
}

// TestIdentityPoolSAML federates a SAML identity provider into an identity
// pool through IAM: its metadata registered with CreateSAMLProvider, the
// pool listing the provider's ARN, and its responses presented under that
// ARN.
func TestIdentityPoolSAML(t *testing.T) {
	const entityID = "https://idp.saml.test/metadata"
	idp := newSAMLIdP(t, entityID)
	// Another key under the same entity id: an impostor.
	impostor := newSAMLIdP(t, entityID)
	// Another identity provider, registered in IAM but not trusted by the pool.
	untrusted := newSAMLIdP(t, "https://other.saml.test/metadata")

	engines(t, func(t *testing.T, e *env) {
		c := newIdentityClients(e.URL)
		register := func(name string, p *samlIdP) string {
			out, err := c.IAM.CreateSAMLProvider(ctx(t), &iam.CreateSAMLProviderInput{Name: aws.String(name),
				SAMLMetadataDocument: aws.String(p.metadata(t))})
			if err != nil {
				t.Fatalf("CreateSAMLProvider %s: %v", name, err)
			}
			return *out.SAMLProviderArn
		}
		providerARN := register("corp", idp)
		if want := "arn:aws:iam::000000000000:saml-provider/corp"; providerARN != want {
			t.Fatalf("SAML provider ARN %s, want %s", providerARN, want)
		}
		untrustedARN := register("other", untrusted)

		pool, err := c.Admin.CreateIdentityPool(ctx(t), &ci.CreateIdentityPoolInput{
			IdentityPoolName: aws.String("saml"), AllowUnauthenticatedIdentities: false,
			SamlProviderARNs: []string{providerARN},
		})
		if err != nil {
			t.Fatal(err)
		}
		ipID := *pool.IdentityPoolId
		authRole := c.createRole(t, "saml-auth", trustPolicy(ipID, "authenticated"))
		if _, err := c.Admin.SetIdentityPoolRoles(ctx(t), &ci.SetIdentityPoolRolesInput{IdentityPoolId: aws.String(ipID),
			Roles: map[string]string{"authenticated": authRole}}); err != nil {
			t.Fatal(err)
		}
		getID := func(arn, response string) (string, error) {
			out, err := c.Anon.GetId(ctx(t), &ci.GetIdInput{IdentityPoolId: aws.String(ipID),
				Logins: map[string]string{arn: response}})
			if err != nil {
				return "", err
			}
			return *out.IdentityId, nil
		}

		t.Run("login", func(t *testing.T) {
			response := idp.response(t, "jdoe", samlResponse{})
			id, err := getID(providerARN, response)
			if err != nil {
				t.Fatal(err)
			}
			// The client presents the same response again for credentials.
			out, err := c.Anon.GetCredentialsForIdentity(ctx(t), &ci.GetCredentialsForIdentityInput{IdentityId: aws.String(id),
				Logins: map[string]string{providerARN: response}})
			if err != nil {
				t.Fatal(err)
			}
			if want := "arn:aws:sts::000000000000:assumed-role/saml-auth/CognitoIdentityCredentials"; c.callerARN(t, out.Credentials) != want {
				t.Fatalf("caller %s, want %s", c.callerARN(t, out.Credentials), want)
			}
			desc, err := c.Admin.DescribeIdentity(ctx(t), &ci.DescribeIdentityInput{IdentityId: aws.String(id)})
			if err != nil || len(desc.Logins) != 1 || desc.Logins[0] != providerARN {
				t.Fatalf("DescribeIdentity = %+v, %v; want logins [%s]", desc, err, providerARN)
			}
			again, err := getID(providerARN, idp.response(t, "jdoe", samlResponse{}))
			if err != nil || again != id {
				t.Fatalf("jdoe's second response: GetId = %q, %v; want %s", again, err, id)
			}
			other, err := getID(providerARN, idp.response(t, "asmith", samlResponse{}))
			if err != nil || other == id {
				t.Fatalf("asmith's response: GetId = %q, %v; want an identity other than jdoe's", other, err)
			}
		})

		t.Run("bad responses create nothing", func(t *testing.T) {
			before := countIdentities(t, c.Admin, ipID)
			for _, tc := range []struct {
				name, arn, response string
				message             string // in the error's message
			}{
				{"signed by another key", providerARN, impostor.response(t, "jdoe", samlResponse{}), "Couldn't verify signed token."},
				{"expired", providerARN, idp.response(t, "jdoe", samlResponse{at: time.Now().Add(-10 * time.Minute)}), "Token expired."},
				{"wrong audience", providerARN, idp.response(t, "jdoe", samlResponse{audience: "https://sp.saml.test/metadata"}),
					"Incorrect token audience."},
				{"wrong recipient", providerARN, idp.response(t, "jdoe", samlResponse{acs: "https://sp.saml.test/acs"}),
					"Incorrect SAML response recipient."},
				{"provider the pool does not trust", untrustedARN, untrusted.response(t, "jdoe", samlResponse{}),
					"Token is not from a supported provider of this identity pool."},
				{"another provider's response", providerARN, untrusted.response(t, "jdoe", samlResponse{}), "Couldn't verify signed token."},
			} {
				_, err := getID(tc.arn, tc.response)
				if code := apiCode(err); code != "NotAuthorizedException" || !strings.Contains(errorMessage(err), tc.message) {
					t.Errorf("%s: GetId error %v (code %q), want NotAuthorizedException saying %q", tc.name, err, code, tc.message)
				}
			}
			if after := countIdentities(t, c.Admin, ipID); after != before {
				t.Fatalf("identities %d before the bad responses, %d after", before, after)
			}
		})

		t.Run("role from the assertion", func(t *testing.T) {
			engineers := c.createRole(t, "saml-engineers", trustPolicy(ipID, "authenticated"))
			auditors := c.createRole(t, "saml-auditors", trustPolicy(ipID, "authenticated"))
			if _, err := c.Admin.SetIdentityPoolRoles(ctx(t), &ci.SetIdentityPoolRolesInput{IdentityPoolId: aws.String(ipID),
				Roles: map[string]string{"authenticated": authRole},
				RoleMappings: map[string]citypes.RoleMapping{providerARN: {Type: citypes.RoleMappingTypeToken,
					AmbiguousRoleResolution: citypes.AmbiguousRoleResolutionTypeDeny}},
			}); err != nil {
				t.Fatal(err)
			}
			credentials := func(response, customRole string) (string, error) {
				logins := map[string]string{providerARN: response}
				id, err := getID(providerARN, response)
				if err != nil {
					return "", err
				}
				in := &ci.GetCredentialsForIdentityInput{IdentityId: aws.String(id), Logins: logins}
				if customRole != "" {
					in.CustomRoleArn = aws.String(customRole)
				}
				out, err := c.Anon.GetCredentialsForIdentity(ctx(t), in)
				if err != nil {
					return "", err
				}
				return c.callerARN(t, out.Credentials), nil
			}
			assumed := func(role string) string {
				return "arn:aws:sts::000000000000:assumed-role/" + role[strings.LastIndex(role, "/")+1:] + "/CognitoIdentityCredentials"
			}
			// One role offered for this provider (the other pair names
			// another provider): that role.
			one := idp.response(t, "jdoe", samlResponse{roles: []string{engineers + "," + providerARN, auditors + "," + untrustedARN}})
			if got, err := credentials(one, ""); err != nil || got != assumed(engineers) {
				t.Fatalf("one role offered: caller %q, %v; want %s", got, err, assumed(engineers))
			}
			// Two offered (the pair in either order): ambiguous, so denied,
			// unless the client picks one. (Which error Cognito answers a
			// denial with is not checked here: its documentation does not say.)
			two := idp.response(t, "jdoe", samlResponse{roles: []string{engineers + "," + providerARN, providerARN + "," + auditors}})
			if got, err := credentials(two, ""); apiCode(err) == "" {
				t.Fatalf("two roles offered, ambiguity denied: caller %q, %v; want an error", got, err)
			}
			if got, err := credentials(two, auditors); err != nil || got != assumed(auditors) {
				t.Fatalf("custom role %s: caller %q, %v", auditors, got, err)
			}
			// A role the assertion does not offer cannot be picked.
			if got, err := credentials(one, auditors); apiCode(err) == "" {
				t.Fatalf("custom role the assertion does not offer: caller %q, %v; want an error", got, err)
			}
		})

		t.Run("provider deleted", func(t *testing.T) {
			response := idp.response(t, "jdoe", samlResponse{})
			if _, err := getID(providerARN, response); err != nil {
				t.Fatal(err)
			}
			if _, err := c.IAM.DeleteSAMLProvider(ctx(t), &iam.DeleteSAMLProviderInput{SAMLProviderArn: aws.String(providerARN)}); err != nil {
				t.Fatal(err)
			}
			_, err := getID(providerARN, response)
			wantCode(t, err, "NotAuthorizedException")
		})
	})
}
