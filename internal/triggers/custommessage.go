package triggers

import (
	"context"

	"github.com/cognate-auth/cognate/internal/triggers/events"
)

// CustomMessage is the custom message trigger's name.
const CustomMessage = "CustomMessage"

// CustomMessage runs the custom message trigger for a message about to be
// sent and returns the messages it wrote (members it left null are nil).
// The event carries only the placeholders, never the code.
func (r *Runner) CustomMessage(ctx context.Context, arn string, src events.CustomMessageSource, c events.Caller,
	attributes, clientMetadata map[string]string) (events.CustomMessageResponse, error) {
	raw, err := r.invoke(ctx, CustomMessage, arn, events.NewCustomMessage(src, c, attributes, clientMetadata))
	if err != nil {
		return events.CustomMessageResponse{}, err
	}
	resp, err := events.DecodeCustomMessageResponse(raw)
	if err != nil {
		return events.CustomMessageResponse{}, invalidResponse(err)
	}
	return resp, nil
}
