package awsjson

import (
	"log/slog"
	"strconv"
)

// Redacted replaces the value of a sensitive member in logs.
const Redacted = "[REDACTED]"

// LogList renders a list of structures for slog, element by element, so that
// each element's own LogValue redacts its sensitive members.
func LogList[T any, P interface {
	*T
	slog.LogValuer
}](s []T) slog.Value {
	attrs := make([]slog.Attr, len(s))
	for i := range s {
		attrs[i] = slog.Any(strconv.Itoa(i), P(&s[i]))
	}
	return slog.GroupValue(attrs...)
}

// LogMap renders a map of structures for slog, value by value.
func LogMap[T any, P interface {
	*T
	slog.LogValuer
}](m map[string]T) slog.Value {
	attrs := make([]slog.Attr, 0, len(m))
	for _, k := range SortedKeys(m) {
		v := m[k]
		attrs = append(attrs, slog.Any(k, P(&v)))
	}
	return slog.GroupValue(attrs...)
}
