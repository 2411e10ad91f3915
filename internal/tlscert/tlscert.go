// Package tlscert provides the certificates cognate serve presents over
// HTTPS: a key pair read from files and read again when they change (so
// certificates rotate without a restart), or a development certificate
// authority kept in a directory, which issues the server's certificate for
// the names it answers on and issues it again when they change or it nears
// its end.
//
// Both hand out certificates through GetCertificate, for a tls.Config made by
// ServerConfig.
package tlscert

import (
	"crypto/tls"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"
)

// ServerConfig returns the TLS configuration of the server: Go's defaults
// (cipher suites, curves, HTTP/2 through net/http), TLS 1.2 at least, and
// certificates from get.
func ServerConfig(get func(*tls.ClientHelloInfo) (*tls.Certificate, error)) *tls.Config {
	return &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: get}
}

// dnsName is a host name of letters, digits and hyphens, its first label
// possibly a wildcard.
var dnsName = regexp.MustCompile(`^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// CheckHost reports whether h can be named in a certificate: an IP address,
// or a DNS name (lower case), whose first label may be "*".
func CheckHost(h string) error {
	if _, err := netip.ParseAddr(h); err == nil {
		return nil
	}
	if len(h) > 253 || !dnsName.MatchString(h) {
		return fmt.Errorf("host %q: want a DNS name such as app.localhost or an IP address", h)
	}
	return nil
}

// normalHosts returns hosts lower-cased, addresses in their canonical form,
// each once, sorted: the form two host lists are compared in.
func normalHosts(hosts []string) []string {
	var out []string
	for _, h := range hosts {
		h = strings.ToLower(strings.TrimSpace(strings.TrimSuffix(strings.Trim(h, "[]"), ".")))
		if a, err := netip.ParseAddr(h); err == nil {
			h = a.Unmap().String()
		}
		if h != "" {
			out = append(out, h)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
