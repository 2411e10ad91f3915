package messaging

import "testing"

func TestMask(t *testing.T) {
	cases := map[[2]string]string{
		{"email", "alice@example.com"}:   "a***@e***",
		{"email", "broken"}:              "***",
		{"phone_number", "+15551234567"}: "+*******4567",
	}
	for in, want := range cases {
		if got := Mask(in[0], in[1]); got != want {
			t.Errorf("Mask(%s, %s) = %s, want %s", in[0], in[1], got, want)
		}
	}
}
