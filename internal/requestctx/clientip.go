package requestctx

import (
	"net/http"
	"net/netip"
	"slices"
	"strings"
)

// RemoteIP returns the address of the client that sent r: the peer's
// address, unless the peer is one of the trusted proxies. Each proxy appends
// to X-Forwarded-For the address it received the request from, so only what
// trusted proxies appended can be believed: the client is then the
// right-most address of X-Forwarded-For that is not a trusted proxy (the
// left-most when all of them are). A malformed entry ends the walk at the
// last address that could be believed, as does a missing header. It returns
// "" when the peer's address cannot be read.
func RemoteIP(r *http.Request, trusted []netip.Prefix) string {
	addr, ok := parseHost(r.RemoteAddr)
	if !ok {
		return ""
	}
	if !isTrusted(addr, trusted) {
		return addr.String()
	}
	values := r.Header.Values("X-Forwarded-For")
	for i := len(values) - 1; i >= 0; i-- {
		entries := strings.Split(values[i], ",")
		for j := len(entries) - 1; j >= 0; j-- {
			hop, ok := parseHost(strings.TrimSpace(entries[j]))
			if !ok {
				return addr.String()
			}
			addr = hop
			if !isTrusted(addr, trusted) {
				return addr.String()
			}
		}
	}
	return addr.String()
}

// parseHost reads "addr", "addr:port" or "[addr]:port", with IPv4-mapped
// IPv6 addresses read as IPv4.
func parseHost(s string) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	return slices.ContainsFunc(trusted, func(p netip.Prefix) bool { return p.Contains(a) })
}
