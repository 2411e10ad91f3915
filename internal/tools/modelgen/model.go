package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
)

// model is the part of a botocore service model the generator reads.
type model struct {
	Metadata struct {
		APIVersion   string `json:"apiVersion"`
		TargetPrefix string `json:"targetPrefix"`
		Protocol     string `json:"protocol"`
		JSONVersion  string `json:"jsonVersion"`
		XMLNamespace string `json:"xmlNamespace"`
	} `json:"metadata"`
	Operations map[string]*operation `json:"operations"`
	Shapes     map[string]*shape     `json:"shapes"`
}

type operation struct {
	Name     string   `json:"name"`
	Input    *ref     `json:"input"`
	Output   *ref     `json:"output"`
	AuthType string   `json:"authtype"`
	Auth     []string `json:"auth"`
}

// unsigned reports whether callers may omit SigV4: the model says
// "authtype": "none", or lists Smithy's noAuth scheme.
func (o *operation) unsigned() bool {
	return o.AuthType == "none" || slices.Contains(o.Auth, "smithy.api#noAuth")
}

// ref points at a shape from a member, a list, a map or an operation.
type ref struct {
	Shape             string `json:"shape"`
	Deprecated        bool   `json:"deprecated"`
	DeprecatedMessage string `json:"deprecatedMessage"`
	// ResultWrapper names the element wrapping a query protocol output.
	ResultWrapper string `json:"resultWrapper"`
}

// refKeys are the keys a member reference may carry. Anything else (such as
// locationName or jsonvalue) would change the wire form, which the generator
// does not implement, so it refuses the model rather than guess.
var refKeys = []string{"shape", "documentation", "box", "deprecated", "deprecatedMessage", "idempotencyToken", "resultWrapper"}

func (r *ref) UnmarshalJSON(data []byte) error {
	if err := checkKeys(data, refKeys); err != nil {
		return err
	}
	type plain ref
	return json.Unmarshal(data, (*plain)(r))
}

type shape struct {
	Type      string   `json:"type"`
	Members   members  `json:"members"`
	Required  []string `json:"required"`
	Min       *int64   `json:"-"`
	Max       *int64   `json:"-"`
	Pattern   string   `json:"pattern"`
	Enum      []string `json:"enum"`
	Sensitive bool     `json:"sensitive"`
	Member    *ref     `json:"member"`
	Key       *ref     `json:"key"`
	Value     *ref     `json:"value"`
	Exception bool     `json:"exception"`
	Fault     bool     `json:"fault"`
	Document  bool     `json:"document"`
	// TimestampFormat must be empty or unixTimestamp, AWS JSON's default.
	TimestampFormat string `json:"timestampFormat"`
	// Error is the query protocol's wire code and status of an exception.
	Error *struct {
		Code           string `json:"code"`
		HTTPStatusCode int    `json:"httpStatusCode"`
	} `json:"error"`
}

var shapeKeys = []string{
	"type", "members", "required", "min", "max", "pattern", "enum", "sensitive",
	"member", "key", "value", "exception", "fault", "error", "documentation",
	"document", "deprecated", "deprecatedMessage", "timestampFormat", "retryable", "box",
}

func (s *shape) UnmarshalJSON(data []byte) error {
	if err := checkKeys(data, shapeKeys); err != nil {
		return err
	}
	type plain shape
	var aux struct {
		*plain
		Min *json.Number `json:"min"`
		Max *json.Number `json:"max"`
	}
	aux.plain = (*plain)(s)
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	var err error
	if s.Min, err = integral(aux.Min); err != nil {
		return err
	}
	s.Max, err = integral(aux.Max)
	return err
}

func integral(n *json.Number) (*int64, error) {
	if n == nil {
		return nil, nil
	}
	v, err := strconv.ParseInt(n.String(), 10, 64)
	if err != nil {
		return nil, fmt.Errorf("limit %s is not an integer", n)
	}
	return &v, nil
}

// member is one structure member, in the order the model lists it.
type member struct {
	Name string
	ref
}

// members keeps the model's member order, which validation follows.
type members []member

func (ms *members) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return fmt.Errorf("members: want an object")
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		name, _ := t.(string)
		var r ref
		if err := dec.Decode(&r); err != nil {
			return fmt.Errorf("member %s: %w", name, err)
		}
		*ms = append(*ms, member{Name: name, ref: r})
	}
	_, err := dec.Token()
	return err
}

func checkKeys(data []byte, allowed []string) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	for k := range m {
		if !slices.Contains(allowed, k) {
			return fmt.Errorf("unsupported model key %q", k)
		}
	}
	return nil
}

// loadModel reads a service-2.json, gzipped or not.
func loadModel(path string) (*model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if zr, err := gzip.NewReader(f); err == nil {
		defer zr.Close()
		r = zr
	} else if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	var m model
	if err := json.NewDecoder(r).Decode(&m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &m, nil
}

// check refuses models the generator would mistranslate.
func (m *model) check() error {
	if p := m.Metadata.Protocol; p != "json" && p != "query" {
		return fmt.Errorf("protocol %q is neither AWS JSON nor query", p)
	}
	for name, s := range m.Shapes {
		if s.TimestampFormat != "" && s.TimestampFormat != "unixTimestamp" {
			return fmt.Errorf("shape %s: timestampFormat %q is not supported", name, s.TimestampFormat)
		}
		for _, r := range s.refs() {
			if _, ok := m.Shapes[r.Shape]; !ok {
				return fmt.Errorf("shape %s refers to unknown shape %s", name, r.Shape)
			}
		}
		if s.Type == "map" && m.Shapes[s.Key.Shape].Type != "string" {
			return fmt.Errorf("shape %s: map keys must be strings", name)
		}
	}
	for name, op := range m.Operations {
		// A query model may have operations without input; selectOps
		// refuses them only if they are selected.
		if op.Input == nil && m.Metadata.Protocol != "query" {
			return fmt.Errorf("operation %s has no input", name)
		}
	}
	return nil
}

// refs lists the shapes s points at.
func (s *shape) refs() []*ref {
	var out []*ref
	for i := range s.Members {
		out = append(out, &s.Members[i].ref)
	}
	for _, r := range []*ref{s.Member, s.Key, s.Value} {
		if r != nil {
			out = append(out, r)
		}
	}
	return out
}

func (s *shape) required(member string) bool { return slices.Contains(s.Required, member) }
