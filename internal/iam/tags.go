package iam

import (
	"slices"
	"strings"
)

// Tag is a key and value attached to a role or provider.
type Tag struct{ Key, Value string }

// maxTags is IAM's quota of tags per entity.
const maxTags = 50

// tagMap checks tags as IAM does (keys are unique ignoring case) and
// returns them as a map; nil for none.
func tagMap(tags []Tag, entity string) (map[string]string, error) {
	if len(tags) == 0 {
		return nil, nil
	}
	if len(tags) > maxTags {
		return nil, limitExceeded("Cannot exceed quota for TagsPer%s: %d", entity, maxTags)
	}
	m := make(map[string]string, len(tags))
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		k := strings.ToLower(t.Key)
		if seen[k] {
			return nil, invalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		seen[k] = true
		m[t.Key] = t.Value
	}
	return m, nil
}

// Tags lists a tag map ordered by key, as IAM lists tags.
func Tags(m map[string]string) []Tag {
	if len(m) == 0 {
		return nil
	}
	out := make([]Tag, 0, len(m))
	for k, v := range m {
		out = append(out, Tag{k, v})
	}
	slices.SortFunc(out, func(a, b Tag) int { return strings.Compare(a.Key, b.Key) })
	return out
}
