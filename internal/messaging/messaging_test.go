package messaging

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/cognate-auth/cognate/internal/store"
)

// fakeOutbox records messages in memory, or fails with err.
type fakeOutbox struct {
	got []store.Message
	err error
}

func (f *fakeOutbox) AddMessage(_ context.Context, m store.Message) (int64, error) {
	if f.err != nil {
		return 0, f.err
	}
	f.got = append(f.got, m)
	return int64(len(f.got)), nil
}

func (f *fakeOutbox) ListMessages(context.Context, store.MessageFilter) ([]store.Message, error) {
	return f.got, nil
}

func (f *fakeOutbox) DeleteMessagesBefore(context.Context, time.Time) (int64, error) { return 0, nil }

func TestOutboxKeepsMessageAndNeverLogsCode(t *testing.T) {
	var log bytes.Buffer
	st := &fakeOutbox{}
	o := &Outbox{Store: st, Logger: slog.New(slog.NewTextHandler(&log, nil))}
	m := store.Message{PoolID: "us-east-1_abc", Username: "alice", Channel: "EMAIL", Destination: "alice@example.com",
		Purpose: "SignUp", Subject: "Your code", Body: "Your code is 493817", Code: "493817"}
	if err := o.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if len(st.got) != 1 || st.got[0] != m {
		t.Fatalf("outbox holds %+v, want exactly %+v", st.got, m)
	}
	line := log.String()
	for _, want := range []string{"us-east-1_abc", "alice", "EMAIL", "SignUp"} {
		if !strings.Contains(line, want) {
			t.Errorf("log line %q lacks %q", line, want)
		}
	}
	if strings.Contains(line, "493817") || strings.Contains(line, "alice@example.com") {
		t.Errorf("log line %q leaks the code or the destination", line)
	}
}

func TestOutboxReportsStoreFailure(t *testing.T) {
	boom := errors.New("disk full")
	o := &Outbox{Store: &fakeOutbox{err: boom}}
	if err := o.Send(context.Background(), store.Message{Code: "1"}); !errors.Is(err, boom) {
		t.Errorf("Send = %v, want it to wrap %v", err, boom)
	}
}
