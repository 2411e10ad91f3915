// Package proxy is `cognate proxy`: a reverse proxy in front of any HTTP
// service that admits only requests signed with credentials Cognate vended
// and allowed by their role's policies, and tells the service who called.
//
// The action and resource of a request come from a route table, one rule
// per line:
//
//	# METHOD /path/{name}   action            resource
//	GET    /photos/{id}     photos:GetPhoto   arn:aws:photos:::photo/{id}
//	PUT    /photos/{id}     photos:PutPhoto   arn:aws:photos:::photo/{id}
//
// Paths are net/http ServeMux patterns ({name} a segment, {name...} the
// rest of the path); {name} in the resource is replaced by that part of the
// path. A request no rule matches is refused.
package proxy

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/cognate-auth/cognate/authz"
	"github.com/cognate-auth/cognate/authz/policy"
)

// Route maps requests to an action and a resource.
type Route struct {
	Method, Path, Action, Resource string
	Line                           int
}

var (
	methodRE = regexp.MustCompile(`^[A-Z]+$`)
	actionRE = regexp.MustCompile(`^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$`)
)

// ParseRoutes reads a route table.
func ParseRoutes(r io.Reader) ([]Route, error) {
	var routes []Route
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 4 {
			return nil, fmt.Errorf("routes line %d: want METHOD PATH ACTION RESOURCE, got %d fields", n, len(f))
		}
		rt := Route{Method: f[0], Path: f[1], Action: f[2], Resource: f[3], Line: n}
		switch {
		case !methodRE.MatchString(rt.Method):
			return nil, fmt.Errorf("routes line %d: method %q is not an HTTP method", n, rt.Method)
		case !strings.HasPrefix(rt.Path, "/"):
			return nil, fmt.Errorf("routes line %d: path %q must start with /", n, rt.Path)
		case !actionRE.MatchString(rt.Action):
			return nil, fmt.Errorf("routes line %d: action %q is not service:Action", n, rt.Action)
		}
		routes = append(routes, rt)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(routes) == 0 {
		return nil, errors.New("routes: the table has no rule")
	}
	return routes, nil
}

// Headers the proxy sets on requests it passes on; any the client sent are
// removed first.
const (
	HeaderPrincipalARN = "X-Cognate-Principal-Arn"
	HeaderRoleARN      = "X-Cognate-Role-Arn"
	HeaderIdentityID   = "X-Cognate-Identity-Id"
	HeaderAccountID    = "X-Cognate-Account-Id"
	HeaderSessionName  = "X-Cognate-Session-Name"
)

// Config configures a proxy.
type Config struct {
	Upstream *url.URL
	Routes   []Route
	Checker  *authz.Checker
	Logger   *slog.Logger
	// Transport reaches the upstream; nil means http.DefaultTransport.
	Transport http.RoundTripper
}

// New returns the proxy's handler.
func New(cfg Config) (http.Handler, error) {
	if cfg.Upstream == nil || cfg.Checker == nil {
		return nil, errors.New("proxy: Upstream and Checker are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(cfg.Upstream)
			pr.SetXForwarded()
		},
		Transport:  cfg.Transport,
		BufferPool: buffers{},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			cfg.Logger.WarnContext(r.Context(), "upstream failed", "err", err)
			writeError(w, http.StatusBadGateway, "BadGateway", "The upstream service did not answer.")
		},
	}
	mux := http.NewServeMux()
	for _, rt := range cfg.Routes {
		pattern := rt.Method + " " + rt.Path
		h := &route{Route: rt, checker: cfg.Checker, next: rp, log: cfg.Logger}
		if err := register(mux, pattern, h); err != nil {
			return nil, fmt.Errorf("routes line %d: %w", rt.Line, err)
		}
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusForbidden, "AccessDenied", "No route of this proxy matches "+r.Method+" "+r.URL.Path+".")
	})
	return mux, nil
}

// register adds a pattern, turning ServeMux's panic on a bad or
// conflicting pattern into an error.
func register(mux *http.ServeMux, pattern string, h http.Handler) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	mux.Handle(pattern, h)
	return nil
}

type route struct {
	Route
	checker *authz.Checker
	next    http.Handler
	log     *slog.Logger
}

var pathValueRE = regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)\}`)

func (rt *route) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	resource := pathValueRE.ReplaceAllStringFunc(rt.Resource, func(m string) string {
		return r.PathValue(m[1 : len(m)-1])
	})
	who, res, err := rt.checker.Check(r, rt.Action, resource)
	if err != nil {
		var e *authz.Error
		if errors.As(err, &e) {
			rt.log.InfoContext(r.Context(), "refused", "code", e.Code, "err", err)
			writeError(w, e.Status, e.Code, e.Message)
			return
		}
		rt.log.ErrorContext(r.Context(), "checking a request", "err", err)
		writeError(w, http.StatusInternalServerError, "InternalFailure", "The request could not be checked.")
		return
	}
	if res.Decision != policy.Allowed {
		d := authz.Denied(who, rt.Action, resource)
		rt.log.InfoContext(r.Context(), "denied", "principal", who.ARN, "action", rt.Action, "resource", resource, "decision", res.Decision.String())
		writeError(w, d.Status, d.Code, d.Message)
		return
	}
	for name := range r.Header {
		if lower := strings.ToLower(name); lower == "authorization" || strings.HasPrefix(lower, "x-amz-") || strings.HasPrefix(lower, "x-cognate-") {
			r.Header.Del(name)
		}
	}
	if q := r.URL.Query(); q.Has("X-Amz-Signature") {
		for k := range q {
			if strings.HasPrefix(k, "X-Amz-") {
				q.Del(k)
			}
		}
		r.URL.RawQuery = q.Encode()
	}
	r.Header.Set(HeaderPrincipalARN, who.ARN)
	r.Header.Set(HeaderRoleARN, who.RoleARN)
	r.Header.Set(HeaderAccountID, who.Account)
	r.Header.Set(HeaderSessionName, who.SessionName)
	if sub := who.Keys["cognito-identity.amazonaws.com:sub"]; len(sub) == 1 {
		r.Header.Set(HeaderIdentityID, sub[0])
	}
	rt.next.ServeHTTP(w, r)
}

type errorBody struct {
	XMLName xml.Name `xml:"Error"`
	Code    string   `xml:"Code"`
	Message string   `xml:"Message"`
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, xml.Header)
	_ = xml.NewEncoder(w).Encode(errorBody{Code: code, Message: message})
}

// buffers lends the reverse proxy its copy buffers, which it would
// otherwise allocate, 32 KiB each, for every request.
type buffers struct{}

var bufferPool = sync.Pool{New: func() any { return new([32 << 10]byte) }}

func (buffers) Get() []byte { return bufferPool.Get().(*[32 << 10]byte)[:] }
func (buffers) Put(b []byte) {
	if cap(b) == 32<<10 {
		bufferPool.Put((*[32 << 10]byte)(b[:32<<10]))
	}
}
