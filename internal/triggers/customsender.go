package triggers

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/functions"

	"github.com/cognate-auth/cognate/internal/triggers/events"
)

// The custom sender triggers' names.
const (
	CustomEmailSender = "CustomEmailSender"
	CustomSMSSender   = "CustomSMSSender"
)

// CustomSender runs the custom email or SMS sender trigger (the source says
// which) for a message Cognate would have sent: the function delivers it.
// encryptedCode is request.code, already encrypted for the function. Cognito
// reads nothing of what a sender returns (a function usually returns
// nothing, which Lambda answers as null), so only its failure counts: an
// answer that is not an event is no error here.
func (r *Runner) CustomSender(ctx context.Context, arn string, src events.CustomSenderSource, c events.Caller,
	encryptedCode string, attributes, clientMetadata map[string]string) error {
	trigger := CustomSMSSender
	if src.Email() {
		trigger = CustomEmailSender
	}
	body, err := json.Marshal(events.NewCustomSender(src, c, encryptedCode, attributes, clientMetadata))
	if err != nil {
		return apierr.Internal(err)
	}
	if _, err := r.inv.Invoke(ctx, arn, body); err != nil && !errors.Is(err, functions.ErrInvalidResponse) {
		return Failure(trigger, err)
	}
	return nil
}
