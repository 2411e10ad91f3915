package federation

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/crewjam/saml"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/cognate-auth/cognate/internal/apierr"
)

// What AWS is to a SAML identity provider: its audience and the sign-in
// endpoint the IdP posts the response to, named as the subject
// confirmation's Recipient (IAM User Guide, "Configure SAML assertions for
// the authentication response"). A regional endpoint,
// https://<region>.signin.aws.amazon.com/saml, is accepted for the
// identity pool's region as well.
const (
	samlAudience  = "urn:amazon:webservices"
	samlSignIn    = "https://signin.aws.amazon.com/saml"
	samlRoleAttr  = "https://aws.amazon.com/SAML/Attributes/Role"
	samlARNPrefix = "arn:aws:iam::"
	metadataNS    = "urn:oasis:names:tc:SAML:2.0:metadata"
)

// samlKey names one metadata document of one provider in the cache of
// parsed metadata.
type samlKey [sha256.Size]byte

func metadataKey(p SAMLProvider) samlKey {
	h := sha256.New()
	h.Write([]byte(p.ARN))
	h.Write([]byte{0})
	h.Write([]byte(p.MetadataDocument))
	var k samlKey
	h.Sum(k[:0])
	return k
}

// samlProviderARN reports whether arn names a SAML provider:
// arn:aws:iam::<12 digits>:saml-provider/<name>.
func samlProviderARN(arn string) bool {
	rest, ok := strings.CutPrefix(arn, samlARNPrefix)
	if !ok {
		return false
	}
	account, name, ok := strings.Cut(rest, ":saml-provider/")
	if !ok || len(account) != 12 || strings.Trim(account, "0123456789") != "" {
		return false
	}
	return name != "" && !strings.ContainsAny(name, " \t\r\n/")
}

// verifySAML checks a base64-encoded SAML Response presented under the
// ARN of a SAML provider the pool trusts, against the provider's metadata
// as IAM keeps it: the signature of the Response or of its assertion by a
// signing certificate of the metadata, the issuer, the audience, the
// bearer confirmation's recipient and validity, the conditions' validity.
func (v *Verifier) verifySAML(ctx context.Context, trust Trust, arn, token string) (Login, error) {
	unsupported := notAuthorized("Invalid login token. Token is not from a supported provider of this identity pool.")
	if !samlProviderARN(arn) || !slices.Contains(trust.SAMLProviderARNs, arn) {
		return Login{}, unsupported
	}
	p, err := v.cfg.Providers.SAMLProvider(ctx, arn)
	if err != nil {
		if isAPIError(err) {
			return Login{}, unsupported
		}
		return Login{}, apierr.Internal(err)
	}
	md, err := v.samlMetadata(p)
	if err != nil {
		v.cfg.Logger.WarnContext(ctx, "SAML provider metadata does not parse", "arn", arn, "err", err)
		return Login{}, notAuthorized("Invalid login token. Couldn't verify SAML response.")
	}
	doc, err := decodeSAMLResponse(token)
	if err != nil {
		return Login{}, notAuthorized("Invalid login token. Not a valid SAML response.")
	}
	assertion, err := v.parseSAMLResponse(md, doc, trust.IdentityPoolID)
	if err != nil {
		v.cfg.Logger.DebugContext(ctx, "SAML response refused", "arn", arn, "err", samlCause(err))
		return Login{}, samlError(err)
	}
	return samlLogin(arn, assertion)
}

// samlMetadata parses a provider's metadata, once for each document.
func (v *Verifier) samlMetadata(p SAMLProvider) (*saml.EntityDescriptor, error) {
	key := metadataKey(p)
	if md, ok := v.metadata.Get(key); ok {
		return md, nil
	}
	if hasDTD([]byte(p.MetadataDocument)) {
		return nil, errors.New("metadata has a document type declaration")
	}
	md, err := parseMetadata([]byte(p.MetadataDocument))
	if err != nil {
		return nil, err
	}
	v.metadata.Put(key, md)
	return md, nil
}

// parseMetadata reads the identity provider out of metadata: an
// EntityDescriptor, or an EntitiesDescriptor holding exactly one entity
// with an IDPSSODescriptor (IAM takes both).
func parseMetadata(doc []byte) (*saml.EntityDescriptor, error) {
	var root struct{ XMLName xml.Name }
	if err := xml.Unmarshal(doc, &root); err != nil {
		return nil, err
	}
	var idps []*saml.EntityDescriptor
	switch root.XMLName {
	case xml.Name{Space: metadataNS, Local: "EntityDescriptor"}:
		var md saml.EntityDescriptor
		if err := xml.Unmarshal(doc, &md); err != nil {
			return nil, err
		}
		idps = append(idps, &md)
	case xml.Name{Space: metadataNS, Local: "EntitiesDescriptor"}:
		var all saml.EntitiesDescriptor
		if err := xml.Unmarshal(doc, &all); err != nil {
			return nil, err
		}
		for i := range all.EntityDescriptors {
			if len(all.EntityDescriptors[i].IDPSSODescriptors) > 0 {
				idps = append(idps, &all.EntityDescriptors[i])
			}
		}
	}
	if len(idps) != 1 || idps[0].EntityID == "" || len(idps[0].IDPSSODescriptors) == 0 {
		return nil, errors.New("metadata does not describe one identity provider")
	}
	return idps[0], nil
}

// decodeSAMLResponse decodes a SAML Response as the HTTP-POST binding
// carries it: base64, perhaps folded over lines. A document type
// declaration is refused: SAML messages have none, and entity
// declarations are what expansion attacks are made of.
func decodeSAMLResponse(token string) ([]byte, error) {
	clean := strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, token)
	doc, err := base64.StdEncoding.DecodeString(clean)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(doc)) == 0 || hasDTD(doc) {
		return nil, errors.New("not a SAML response")
	}
	return doc, nil
}

func hasDTD(doc []byte) bool {
	upper := bytes.ToUpper(doc)
	return bytes.Contains(upper, []byte("<!DOCTYPE")) || bytes.Contains(upper, []byte("<!ENTITY"))
}

// parseSAMLResponse verifies doc as a response to AWS from the identity
// provider md describes, now. The response is unsolicited (AWS federation
// is IdP-initiated), so InResponseTo names no request Cognate made and is
// not checked; nor are responses remembered, since a client presents the
// same response to GetId and then to GetCredentialsForIdentity.
func (v *Verifier) parseSAMLResponse(md *saml.EntityDescriptor, doc []byte, poolID string) (*saml.Assertion, error) {
	acs, _ := url.Parse(samlSignIn)
	sp := &saml.ServiceProvider{
		EntityID:                    samlAudience,
		AcsURL:                      *acs,
		IDPMetadata:                 md,
		AllowIDPInitiated:           true,
		ValidateRequestID:           func(saml.Response, []string) error { return nil },
		ValidateAudienceRestriction: validateAWSAudience,
		RejectExpiredIDPMetadata:    true,
		Clock:                       dsig.NewFakeClockAt(v.now()),
	}
	assertion, err := sp.ParseXMLResponse(doc, nil, *acs)
	if errors.Is(err, saml.ErrDestinationMismatch) {
		if region, _, ok := strings.Cut(poolID, ":"); ok && region != "" && !strings.ContainsAny(region, "/.:@") {
			regional, _ := url.Parse("https://" + region + ".signin.aws.amazon.com/saml")
			sp.AcsURL = *regional
			assertion, err = sp.ParseXMLResponse(doc, nil, *regional)
		}
	}
	return assertion, err
}

// validateAWSAudience accepts an assertion every AudienceRestriction of
// which names AWS: urn:amazon:webservices or the sign-in endpoint.
func validateAWSAudience(a *saml.Assertion) error {
	if len(a.Conditions.AudienceRestrictions) == 0 {
		return errors.New("no AudienceRestriction")
	}
	for i := range a.Conditions.AudienceRestrictions {
		ok := slices.ContainsFunc(a.Conditions.AudienceRestrictions[i].AllAudiences(), func(au saml.Audience) bool {
			return au.Value == samlAudience || au.Value == samlSignIn ||
				(strings.HasPrefix(au.Value, "https://") && strings.HasSuffix(au.Value, ".signin.aws.amazon.com/saml"))
		})
		if !ok {
			return errors.New("AudienceRestriction does not name AWS")
		}
	}
	return nil
}

// samlCause is the detail crewjam keeps behind its opaque error.
func samlCause(err error) error {
	var ir *saml.InvalidResponseError
	if errors.As(err, &ir) && ir.PrivateErr != nil {
		return ir.PrivateErr
	}
	return err
}

// samlError words a refused response as NotAuthorizedException.
func samlError(err error) error {
	switch {
	case errors.Is(err, saml.ErrExpired):
		return notAuthorized("Invalid login token. Token expired.")
	case errors.Is(err, saml.ErrNotYetValid):
		return notAuthorized("Invalid login token. Token is not yet valid.")
	case errors.Is(err, saml.ErrAudienceMismatch):
		return notAuthorized("Invalid login token. Incorrect token audience.")
	case errors.Is(err, saml.ErrDestinationMismatch):
		return notAuthorized("Invalid login token. Incorrect SAML response recipient.")
	case errors.Is(err, saml.ErrIssuerMismatch):
		return notAuthorized("Invalid login token. Incorrect token issuer.")
	case errors.Is(err, saml.ErrInvalidSignature), errors.Is(err, saml.ErrUntrustedCertificate),
		errors.Is(err, saml.ErrCertificateNotValidNow):
		return notAuthorized("Invalid login token. Couldn't verify signed token.")
	}
	// crewjam does not export the error of a missing signature; its
	// message is all there is to tell it by (TestSAMLLogins checks it).
	if strings.Contains(samlCause(err).Error(), "signature element not present") {
		return notAuthorized("Invalid login token. SAML response is not signed.")
	}
	var status saml.ErrBadStatus
	if errors.As(err, &status) {
		return notAuthorized("Invalid login token. SAML response status is " + status.Status + ".")
	}
	return notAuthorized("Invalid login token. Not a valid SAML response.")
}

// samlLogin is what a verified assertion proves: the NameID as the
// subject, the attributes as claims, the roles the Role attribute pairs
// with this provider.
func samlLogin(arn string, a *saml.Assertion) (Login, error) {
	if a.Subject == nil || a.Subject.NameID == nil || strings.TrimSpace(a.Subject.NameID.Value) == "" {
		return Login{}, notAuthorized("Invalid login token. SAML response has no NameID.")
	}
	l := Login{Provider: arn, Subject: a.Subject.NameID.Value, Claims: map[string]any{}}
	for _, st := range a.AttributeStatements {
		for _, attr := range st.Attributes {
			values, _ := l.Claims[attr.Name].([]string)
			for _, val := range attr.Values {
				values = append(values, val.Value)
			}
			l.Claims[attr.Name] = values
		}
	}
	roles, _ := l.Claims[samlRoleAttr].([]string)
	for _, pair := range roles {
		if role, ok := samlRole(pair, arn); ok && !slices.Contains(l.Roles, role) {
			l.Roles = append(l.Roles, role)
		}
	}
	l.Expires = samlExpiry(a)
	return l, nil
}

// samlRole reads a Role attribute value, a role ARN and a provider ARN
// separated by a comma (in either order, as STS takes them), and returns
// the role when the provider is arn.
func samlRole(pair, arn string) (string, bool) {
	a, b, ok := strings.Cut(pair, ",")
	if !ok {
		return "", false
	}
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	if b != arn {
		a, b = b, a
	}
	if b != arn || !strings.HasPrefix(a, samlARNPrefix) || !strings.Contains(a, ":role/") {
		return "", false
	}
	return a, true
}

// samlExpiry is when the assertion stops being accepted: the earliest of
// the bearer confirmation's and the conditions' NotOnOrAfter.
func samlExpiry(a *saml.Assertion) time.Time {
	var t time.Time
	earlier := func(u time.Time) {
		if !u.IsZero() && (t.IsZero() || u.Before(t)) {
			t = u
		}
	}
	if a.Conditions != nil {
		earlier(a.Conditions.NotOnOrAfter)
	}
	if a.Subject != nil {
		for _, c := range a.Subject.SubjectConfirmations {
			if c.SubjectConfirmationData != nil {
				earlier(c.SubjectConfirmationData.NotOnOrAfter)
			}
		}
	}
	return t
}
