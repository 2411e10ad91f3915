package srp

import (
	"errors"
	"testing"
	"time"
)

func TestFormatTimestamp(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, 11, 3, 9, 4, 5, 0, time.UTC), "Tue Nov 3 09:04:05 UTC 2026"},
		{time.Date(2026, 11, 9, 0, 0, 0, 0, time.UTC), "Mon Nov 9 00:00:00 UTC 2026"},
		{time.Date(2026, 11, 10, 23, 59, 59, 999_999_999, time.UTC), "Tue Nov 10 23:59:59 UTC 2026"},
		{time.Date(2027, 1, 1, 12, 30, 7, 0, time.UTC), "Fri Jan 1 12:30:07 UTC 2027"},
		{time.Date(2028, 2, 29, 1, 2, 3, 0, time.UTC), "Tue Feb 29 01:02:03 UTC 2028"},
		{time.Date(2026, 11, 1, 0, 30, 0, 0, time.FixedZone("CET", 3600)), "Sat Oct 31 23:30:00 UTC 2026"},
	}
	for _, tt := range tests {
		if got := FormatTimestamp(tt.in); got != tt.want {
			t.Errorf("FormatTimestamp(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseTimestamp(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time // zero for ErrTimestampFormat
	}{
		{"Tue Nov 3 09:04:05 UTC 2026", time.Date(2026, 11, 3, 9, 4, 5, 0, time.UTC)},
		{"Fri Nov 13 23:59:59 UTC 2026", time.Date(2026, 11, 13, 23, 59, 59, 0, time.UTC)},
		{"Tue Feb 29 00:00:00 UTC 2028", time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC)},
		// What Java's parser takes besides the canonical form: VerifyClaim
		// still fails these, as it signs the canonical form.
		{"Tue Nov 03 09:04:05 UTC 2026", time.Date(2026, 11, 3, 9, 4, 5, 0, time.UTC)},
		{"tue nov 3 09:04:05 UTC 2026", time.Date(2026, 11, 3, 9, 4, 5, 0, time.UTC)},
		{"Tue Nov 3 9:04:05 UTC 2026", time.Date(2026, 11, 3, 9, 4, 5, 0, time.UTC)},
		{"Tue Nov  3 09:04:05 UTC 2026", time.Date(2026, 11, 3, 9, 4, 5, 0, time.UTC)},
		{"", time.Time{}},
		{"Mon Nov 3 09:04:05 UTC 2026", time.Time{}}, // Nov 3 2026 is a Tuesday
		{"Tue Nov 3 09:04:05 GMT 2026", time.Time{}}, // only UTC
		{"Tue Nov 3 09:04:05 PST 2026", time.Time{}}, // no other zone
		{"Tue Nov 3 09:04:05 UTC 26", time.Time{}},
		{"Tue Nov 3 09:04:5 UTC 2026", time.Time{}},
		{"Tue Nov 3 24:00:00 UTC 2026", time.Time{}},
		{"Mon Nov 31 09:04:05 UTC 2026", time.Time{}},
		{"Mon Feb 29 09:04:05 UTC 2027", time.Time{}},
		{"Tuesday Nov 3 09:04:05 UTC 2026", time.Time{}},
		{"Tue November 3 09:04:05 UTC 2026", time.Time{}},
		{" Tue Nov 3 09:04:05 UTC 2026", time.Time{}},
		{"Tue Nov 3 09:04:05 UTC 2026 ", time.Time{}},
		{"2026-11-03T09:04:05Z", time.Time{}},
	}
	for _, tt := range tests {
		got, err := ParseTimestamp(tt.in)
		if tt.want.IsZero() {
			if !errors.Is(err, ErrTimestampFormat) {
				t.Errorf("ParseTimestamp(%q) = %v, %v, want ErrTimestampFormat", tt.in, got, err)
			}
			continue
		}
		if err != nil || !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("ParseTimestamp(%q) = %v, %v, want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestCheckTimestamp(t *testing.T) {
	now := time.Date(2026, 11, 3, 9, 4, 5, 0, time.UTC)
	tests := []struct {
		offset time.Duration
		want   error
	}{
		{0, nil},
		{TimestampTolerance, nil},
		{-TimestampTolerance, nil},
		{TimestampTolerance + time.Second, ErrTimestampSkew},
		{-TimestampTolerance - time.Second, ErrTimestampSkew},
		{24 * time.Hour, ErrTimestampSkew},
	}
	for _, tt := range tests {
		ts := FormatTimestamp(now.Add(tt.offset))
		if _, err := CheckTimestamp(ts, now); !errors.Is(err, tt.want) {
			t.Errorf("CheckTimestamp(%q) = %v, want %v", ts, err, tt.want)
		}
	}
	if _, err := CheckTimestamp("yesterday", now); !errors.Is(err, ErrTimestampFormat) {
		t.Errorf("CheckTimestamp(yesterday) = %v, want ErrTimestampFormat", err)
	}
}
