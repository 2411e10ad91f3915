package query

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/google/uuid"
)

// Dispatcher sends query protocol requests to their service and everything
// else to the next handler (the AWS JSON router). Build it with
// NewDispatcher.
type Dispatcher struct {
	services map[string]*Handler
	next     http.Handler
}

// NewDispatcher routes POSTed forms among services, keyed by SigV4 signing
// name ("iam", "sts"). A signed request goes to the service its credential
// scope names (.../region/SERVICE/aws4_request); an unsigned one to the
// service of which its Action is an unsigned operation, else to the one
// that has the operation at all (which then asks for a signature). Anything
// that is not a POSTed form goes to next.
func NewDispatcher(services map[string]*Handler, next http.Handler) http.Handler {
	return &Dispatcher{services: services, next: next}
}

// ServeHTTP dispatches one request.
func (d *Dispatcher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !isForm(r) {
		d.next.ServeHTTP(w, r)
		return
	}
	if name, ok := scopeService(r.Header.Get("Authorization")); ok {
		if h, ok := d.services[name]; ok {
			h.ServeHTTP(w, r)
			return
		}
		writeUnclaimed(w, http.StatusBadRequest, "InvalidAction",
			"Credential should be scoped to a service Cognate serves, not '"+name+"'.")
		return
	}
	h, err := d.byAction(r)
	if err != nil {
		e := clientError(err)
		writeUnclaimed(w, e.Status, e.Code, e.Message)
		return
	}
	h.ServeHTTP(w, r)
}

func isForm(r *http.Request) bool {
	if r.Method != http.MethodPost {
		return false
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == ContentType
}

// scopeService reads the service of a SigV4 Authorization header's
// credential scope: AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request, ...
func scopeService(auth string) (string, bool) {
	rest, ok := strings.CutPrefix(auth, "AWS4-HMAC-SHA256 ")
	if !ok {
		return "", false
	}
	for part := range strings.SplitSeq(rest, ",") {
		cred, ok := strings.CutPrefix(strings.TrimSpace(part), "Credential=")
		if !ok {
			continue
		}
		scope := strings.Split(cred, "/")
		if len(scope) != 5 || scope[4] != "aws4_request" || scope[3] == "" {
			return "", false
		}
		return scope[3], true
	}
	return "", false
}

// byAction finds the service of an unsigned request from its Action,
// reading the body and putting it back for the service.
func (d *Dispatcher) byAction(r *http.Request) (*Handler, error) {
	body, err := readBody(r, DefaultMaxBodyBytes)
	if err != nil {
		return nil, err
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	form, err := parseForm(body)
	if err != nil {
		return nil, err
	}
	actions := form["Action"]
	if len(actions) != 1 || actions[0] == "" {
		return nil, errMissingAction
	}
	var owner *Handler
	for _, h := range d.services {
		op, ok := h.ops[actions[0]]
		if ok && op.Unsigned {
			return h, nil
		}
		if ok {
			owner = h
		}
	}
	if owner == nil {
		return nil, errMethodUnknown(actions[0])
	}
	return owner, nil
}

func errMethodUnknown(action string) error {
	e := *errMethod
	e.Message = "Could not find operation " + action + "."
	return &e
}

// writeUnclaimed answers a form no service claims.
func writeUnclaimed(w http.ResponseWriter, status int, code, message string) {
	id := uuid.NewString()
	w.Header()["x-amzn-RequestId"] = []string{id}
	writeXML(w, status, errorBody("", status, code, message, id))
}
