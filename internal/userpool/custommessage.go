package userpool

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/triggers/events"
)

// origin is what a message answers: the custom message trigger's source,
// and the client and ClientMetadata of the request that caused it.
type origin struct {
	source         events.CustomMessageSource
	clientID       string
	clientMetadata map[string]string
}

// template is a message before its placeholders are filled: the subject
// (email only) and the body.
type template struct{ subject, body string }

// customMessage runs the pool's custom message trigger, if any, for a
// message to u and returns the templates to send, one per channel ("EMAIL",
// "SMS"), starting from defaults. The function sees only the placeholders;
// the code (and username) are filled in after it returns. A message it
// wrote without the code placeholder (or, for an invitation, the username
// placeholder), or longer than Cognito takes, is not used, and the default
// is sent instead, as Cognito does. Its failure is the caller's: no message is sent.
func (s *Service) customMessage(ctx context.Context, p store.Pool, u store.User, o origin, defaults map[string]template) (map[string]template, error) {
	arn := p.Settings.LambdaConfig.CustomMessage
	if arn == "" {
		return defaults, nil
	}
	run, err := s.runner("CustomMessage")
	if err != nil {
		return nil, err
	}
	resp, err := run.CustomMessage(ctx, arn, o.source, caller(p, o.clientID, u.Username), eventAttributes(u), o.clientMetadata)
	if err != nil {
		return nil, err
	}
	out := make(map[string]template, len(defaults))
	for channel, t := range defaults {
		written := resp.SMSMessage
		if channel == "EMAIL" {
			written = resp.EmailMessage
		}
		if written != nil && usable(o.source, *written) && utf8.RuneCountInString(*written) <= messageLimits[channel] {
			t.body = *written
			if channel == "EMAIL" && resp.EmailSubject != nil && *resp.EmailSubject != "" && utf8.RuneCountInString(*resp.EmailSubject) <= subjectLimit {
				t.subject = *resp.EmailSubject
			}
		}
		out[channel] = t
	}
	return out, nil
}

// messageLimits are the longest messages, in UTF-8 characters with their
// placeholders, Cognito takes from the function for each channel: its
// limits on a pool's email and SMS templates. subjectLimit is the email
// subject's. A longer subject alone falls back to the pool's subject.
var messageLimits = map[string]int{"EMAIL": 20000, "SMS": 140}

const subjectLimit = 140

// usable reports whether a function's message has the placeholders Cognito
// requires of it.
func usable(src events.CustomMessageSource, message string) bool {
	if !strings.Contains(message, events.CodePlaceholder) {
		return false
	}
	return src != events.CustomMessageAdminCreateUser || strings.Contains(message, events.UsernamePlaceholder)
}
