// Package messaging delivers the messages Cognate sends to users:
// verification codes, temporary passwords and, later, MFA codes.
//
// The default sender is an outbox: messages are kept in the store, where
// `cognate messages` (or a test) reads them. Other senders (SMTP, SMS
// gateways) will implement the same interface, userpool.Sender.
package messaging

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/cognate-auth/cognate/internal/store"
)

// Outbox keeps every message in the store instead of sending it.
type Outbox struct {
	Store  store.OutboxStore
	Logger *slog.Logger
}

// Send records m. The code travels in the record so developers can read it;
// it is never logged.
func (o *Outbox) Send(ctx context.Context, m store.Message) error {
	id, err := o.Store.AddMessage(ctx, m)
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	if o.Logger != nil {
		o.Logger.InfoContext(ctx, "message kept in outbox", "id", id, "pool", m.PoolID, "user", m.Username,
			"channel", m.Channel, "purpose", m.Purpose)
	}
	return nil
}
