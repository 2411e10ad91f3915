package query

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
)

// sentEmpty returns a JSON document holding the parameters of form that
// were sent with an empty value, laid out as the AWS JSON request of the
// same input would be, or nil if there are none. awsjson's Validation
// reads it to tell an empty string that was sent ("Tags.member.1.Value=",
// legal for a tag) from a required member that is missing.
func sentEmpty(form url.Values) []byte {
	var root map[string]any
	for key, vals := range form {
		if len(vals) != 1 || vals[0] != "" {
			continue
		}
		if root == nil {
			root = make(map[string]any)
		}
		place(root, strings.Split(key, "."), form, key)
	}
	if root == nil {
		return nil
	}
	b, err := json.Marshal(root)
	if err != nil {
		return nil
	}
	return b
}

// place sets "" at the position segs name inside node.
func place(node map[string]any, segs []string, form url.Values, key string) {
	name := segs[0]
	rest := segs[1:]
	if len(rest) == 0 {
		if _, ok := node[name]; !ok {
			node[name] = ""
		}
		return
	}
	if len(rest) >= 2 && rest[0] == "member" {
		i, err := strconv.Atoi(rest[1])
		if err != nil || i < 1 || i > maxListMembers {
			return
		}
		list, _ := node[name].([]any)
		for len(list) < i {
			list = append(list, nil)
		}
		if len(rest) == 2 {
			list[i-1] = ""
		} else {
			child, _ := list[i-1].(map[string]any)
			if child == nil {
				child = make(map[string]any)
			}
			place(child, rest[2:], form, key)
			list[i-1] = child
		}
		node[name] = list
		return
	}
	if len(rest) == 3 && rest[0] == "entry" && rest[2] == "value" {
		// A map of strings: the value's key is its sibling parameter.
		m, _ := node[name].(map[string]any)
		if m == nil {
			m = make(map[string]any)
		}
		m[form.Get(strings.TrimSuffix(key, "value")+"key")] = ""
		node[name] = m
		return
	}
	child, _ := node[name].(map[string]any)
	if child == nil {
		child = make(map[string]any)
	}
	place(child, rest, form, key)
	node[name] = child
}
