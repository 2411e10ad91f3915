package awsjson

import (
	"encoding/json"
	"testing"
	"time"
)

func TestTimestampMarshal(t *testing.T) {
	tests := []struct {
		name string
		in   time.Time
		want string
	}{
		{"whole seconds", time.Unix(1700000000, 0), "1700000000"},
		{"milliseconds", time.Unix(1700000000, 123_000_000), "1700000000.123"},
		{"trailing zeros trimmed", time.Unix(1700000000, 500_000_000), "1700000000.5"},
		{"below a millisecond truncated", time.Unix(1700000000, 999_999), "1700000000"},
		{"epoch", time.Unix(0, 0), "0"},
		{"before the epoch", time.Unix(-2, 500_000_000), "-1.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(TimestampOf(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestTimestampUnmarshal(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Time
		wantErr bool
	}{
		{in: "1700000000", want: time.Unix(1700000000, 0)},
		{in: "1700000000.123", want: time.Unix(1700000000, 123_000_000)},
		{in: "1700000000.123456789123", want: time.Unix(1700000000, 123_456_789)},
		{in: "1.614638166797E9", want: time.Unix(1614638166, 797_000_000)},
		{in: "1e3", want: time.Unix(1000, 0)},
		{in: "-1.5", want: time.Unix(-2, 500_000_000)},
		{in: "0", want: time.Unix(0, 0)},
		{in: `"1700000000"`, wantErr: true},
		{in: "true", wantErr: true},
		{in: "01", wantErr: true},
		{in: "1.", wantErr: true},
		{in: "99999999999999", wantErr: true},
		{in: "1e300", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var ts Timestamp
			err := ts.UnmarshalJSON([]byte(tt.in))
			if tt.wantErr {
				if err == nil {
					t.Fatalf("got %v, want an error", ts.Time)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !ts.Equal(tt.want) {
				t.Errorf("got %v, want %v", ts.Time, tt.want)
			}
		})
	}
}

func TestTimestampNullLeavesZero(t *testing.T) {
	var v struct{ T *Timestamp }
	if err := json.Unmarshal([]byte(`{"T":null}`), &v); err != nil || v.T != nil {
		t.Fatalf("got %v, %v", v.T, err)
	}
}

func FuzzTimestamp(f *testing.F) {
	for _, s := range []string{"0", "1700000000.123", "1.6E9", "-1.5", "null", `"x"`, "1e-400", "9e18"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var ts Timestamp
		if ts.UnmarshalJSON([]byte(s)) != nil {
			return
		}
		out, err := ts.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var back Timestamp
		if err := back.UnmarshalJSON(out); err != nil {
			t.Fatalf("%s -> %s does not read back: %v", s, out, err)
		}
		if back.UnixMilli() != ts.UnixMilli() {
			t.Fatalf("%s -> %s -> %v: milliseconds changed", s, out, back.Time)
		}
	})
}
