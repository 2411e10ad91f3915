package userpool

import (
	"bytes"
	"testing"

	"github.com/cognate-auth/cognate/internal/triggers/events"
)

// Every message Cognate sends has a sender source on each channel, named
// as Cognito names it.
func TestSenderSource(t *testing.T) {
	for _, src := range events.CustomMessageSources {
		for channel, prefix := range map[string]string{"EMAIL": "CustomEmailSender_", "SMS": "CustomSMSSender_"} {
			got, ok := senderSource(channel, src)
			want := prefix + string(src)[len("CustomMessage_"):]
			if !ok || string(got) != want || got.Email() != (channel == "EMAIL") {
				t.Errorf("senderSource(%s, %s) = %s, %v; want %s", channel, src, got, ok, want)
			}
		}
	}
	if _, ok := senderSource("SMS", "CustomMessage_AccountTakeOverNotification"); ok {
		t.Error("an SMS sender source Cognito does not have")
	}
}

func TestSenderKey(t *testing.T) {
	master := bytes.Repeat([]byte{1}, 32)
	a, err := SenderKey(master, "arn:aws:kms:us-east-1:000000000000:key/a")
	if err != nil || len(a) != 32 {
		t.Fatalf("SenderKey = %x, %v", a, err)
	}
	again, _ := SenderKey(master, "arn:aws:kms:us-east-1:000000000000:key/a")
	b, _ := SenderKey(master, "arn:aws:kms:us-east-1:000000000000:key/b")
	other, _ := SenderKey(bytes.Repeat([]byte{2}, 32), "arn:aws:kms:us-east-1:000000000000:key/a")
	if !bytes.Equal(a, again) || bytes.Equal(a, b) || bytes.Equal(a, other) {
		t.Errorf("keys: a %x, again %x, b %x, other master %x; want a stable key per master key and KMSKeyID", a, again, b, other)
	}
}
