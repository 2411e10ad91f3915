package awsjson

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
)

// Router serves several AWS JSON services on one listener. X-Amz-Target
// names the service before its dot ("AWSCognitoIdentityProviderService" in
// "AWSCognitoIdentityProviderService.SignUp"), so the router hands each
// request to the Handler of that prefix. A target of no service is answered
// as AWS answers an operation it does not know: UnknownOperationException.
type Router struct {
	services map[string]*Handler
	unknown  *Handler // answers what no service claims
}

// RouterConfig describes a Router.
type RouterConfig struct {
	// Services are the handlers to route to; their prefixes must differ.
	Services []*Handler
	// Logger and Observe receive the requests no service claims, as a
	// Handler's do; nil Logger means slog.Default().
	Logger  *slog.Logger
	Observe func(Observation)
}

// NewRouter checks cfg and returns its router.
func NewRouter(cfg RouterConfig) (*Router, error) {
	if len(cfg.Services) == 0 {
		return nil, errors.New("awsjson: RouterConfig.Services is empty")
	}
	rt := &Router{services: make(map[string]*Handler, len(cfg.Services))}
	for _, h := range cfg.Services {
		name := h.serviceName()
		if _, dup := rt.services[name]; dup {
			return nil, fmt.Errorf("awsjson: two services have the target prefix %s", name)
		}
		rt.services[name] = h
	}
	// A handler without operations answers every target as unknown, and
	// preflights and wrong methods as a service would.
	rt.unknown = &Handler{maxBody: DefaultMaxBodyBytes, log: cfg.Logger, observe: cfg.Observe}
	if rt.unknown.log == nil {
		rt.unknown.log = slog.Default()
	}
	return rt, nil
}

// ServeHTTP dispatches on the target's prefix.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	prefix, _, _ := strings.Cut(r.Header.Get("X-Amz-Target"), ".")
	if h, ok := rt.services[prefix]; ok {
		h.ServeHTTP(w, r)
		return
	}
	rt.unknown.ServeHTTP(w, r)
}
