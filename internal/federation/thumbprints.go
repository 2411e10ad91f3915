package federation

import (
	"context"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"
)

// An OpenID Connect provider registered in IAM carries thumbprints: hex
// SHA-1 fingerprints of the top certificate its servers present (the top
// intermediate CA, or the certificate itself when it is self-signed). As
// in AWS, they matter only when the server's chain does not lead to a CA
// the client trusts: then a chain whose top certificate has one of the
// thumbprints is trusted instead, as long as it is a valid chain for the
// host asked.

// issuerKey names an issuer together with the thumbprints it is trusted
// by: a discovered provider and its client are kept under it, so that a
// changed thumbprint list means a new client and a new discovery.
type issuerKey struct {
	issuer string
	// thumbprints are the lower-cased thumbprints, sorted, comma-separated.
	thumbprints string
}

func newIssuerKey(issuer string, thumbprints []string) issuerKey {
	ts := make([]string, len(thumbprints))
	for i, t := range thumbprints {
		ts[i] = strings.ToLower(t)
	}
	slices.Sort(ts)
	return issuerKey{issuer: issuer, thumbprints: strings.Join(slices.Compact(ts), ",")}
}

// Thumbprint is a certificate's thumbprint as IAM keeps it: the hex SHA-1
// of its DER encoding, in lower case.
func Thumbprint(c *x509.Certificate) string {
	sum := sha1.Sum(c.Raw)
	return hex.EncodeToString(sum[:])
}

// clientFor returns the client that fetches the discovery document and
// the keys of the issuer of k.
func (v *Verifier) clientFor(k issuerKey) *http.Client {
	if k.thumbprints == "" {
		return v.client
	}
	if c, ok := v.clients.Get(k); ok {
		return c
	}
	c, ok := thumbprintClient(v.client, strings.Split(k.thumbprints, ","))
	if !ok {
		v.cfg.Logger.Warn("the HTTP client's transport cannot be given thumbprints; they are ignored", "issuer", k.issuer)
	}
	v.clients.Put(k, c)
	return c
}

// thumbprintClient returns a client like base whose TLS connections are
// also trusted when the server's top certificate has one of thumbprints
// (lower case). It can do so only when base's transport is an
// *http.Transport that does not dial TLS itself; otherwise it returns base
// and false. Through an HTTPS proxy, the transport does the handshake
// itself: only the usual verification applies there.
func thumbprintClient(base *http.Client, thumbprints []string) (*http.Client, bool) {
	rt := base.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	bt, ok := rt.(*http.Transport)
	//lint:ignore SA1019 a transport that dials TLS with the deprecated hook must not be given another
	if !ok || bt.DialTLSContext != nil || bt.DialTLS != nil {
		return base, false
	}
	t := bt.Clone()
	tlsBase := t.TLSClientConfig
	if tlsBase == nil {
		tlsBase = &tls.Config{}
	}
	dial := t.DialContext
	if dial == nil {
		dial = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	}
	if t.IdleConnTimeout == 0 {
		// Evicted clients must not keep connections open for ever.
		t.IdleConnTimeout = 90 * time.Second
	}
	t.DialTLSContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		raw, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		cfg := tlsBase.Clone()
		if cfg.ServerName == "" {
			cfg.ServerName = host
		}
		// The documented way to verify a chain oneself: crypto/tls skips
		// its own check and calls VerifyConnection, which does the usual
		// one (roots, host name, dates) and then the thumbprints'.
		cfg.InsecureSkipVerify = true
		cfg.VerifyConnection = func(cs tls.ConnectionState) error {
			now := time.Now()
			if tlsBase.Time != nil {
				now = tlsBase.Time()
			}
			return verifyChain(cs.PeerCertificates, cfg.ServerName, tlsBase.RootCAs, thumbprints, now)
		}
		conn := tls.Client(raw, cfg)
		if err := conn.HandshakeContext(ctx); err != nil {
			raw.Close()
			return nil, err
		}
		return conn, nil
	}
	c := *base
	c.Transport = t
	return &c, true
}

// verifyChain verifies the chain a server presented for host: against
// roots (nil: the system's) as crypto/tls would, or, failing that, against
// the top certificate of the chain when its thumbprint is one of
// thumbprints. Either way the leaf must be valid for host, now, and for
// server authentication.
func verifyChain(certs []*x509.Certificate, host string, roots *x509.CertPool, thumbprints []string, now time.Time) error {
	if len(certs) == 0 {
		return errors.New("federation: the server presented no certificate")
	}
	opts := x509.VerifyOptions{Roots: roots, DNSName: host, CurrentTime: now, Intermediates: x509.NewCertPool()}
	for _, c := range certs[1:] {
		opts.Intermediates.AddCert(c)
	}
	_, err := certs[0].Verify(opts)
	if err == nil {
		return nil
	}
	top := certs[len(certs)-1]
	thumb := Thumbprint(top)
	if !slices.Contains(thumbprints, thumb) {
		return fmt.Errorf("%w; the thumbprint of the top certificate, %s, is not one of the provider's", err, thumb)
	}
	opts.Roots = x509.NewCertPool()
	opts.Roots.AddCert(top)
	opts.Intermediates = x509.NewCertPool()
	if len(certs) > 2 {
		for _, c := range certs[1 : len(certs)-1] {
			opts.Intermediates.AddCert(c)
		}
	}
	if _, err := certs[0].Verify(opts); err != nil {
		return fmt.Errorf("federation: the top certificate has the provider's thumbprint %s, but the chain is not valid for %s: %w", thumb, host, err)
	}
	return nil
}
