package triggers

import (
	"context"

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
// nothing), so only its failure counts.
func (r *Runner) CustomSender(ctx context.Context, arn string, src events.CustomSenderSource, c events.Caller,
	encryptedCode string, attributes, clientMetadata map[string]string) error {
	trigger := CustomSMSSender
	if src.Email() {
		trigger = CustomEmailSender
	}
	_, err := r.invoke(ctx, trigger, arn, events.NewCustomSender(src, c, encryptedCode, attributes, clientMetadata))
	return err
}
