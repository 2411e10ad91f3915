package userpool

import (
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/triggers/events"
	"github.com/cognate-auth/cognate/sendercode"
)

// SenderKey is the key Cognate encrypts the custom senders' codes with for
// a pool whose LambdaConfig.KMSKeyID is kmsKeyID: HKDF-SHA256 of the master
// key, labelled with the key id, so that each KMSKeyID names its own key, as
// each KMS key is its own. `cognate keys sender-key` prints it.
func SenderKey(masterKey []byte, kmsKeyID string) ([]byte, error) {
	return hkdf.Key(sha256.New, masterKey, nil, "cognate/custom-sender/v1/"+kmsKeyID, sendercode.KeySize)
}

// checkCustomSenders applies Cognito's rules to the sender triggers: each
// is LambdaVersion V1_0 with a function, and either needs KMSKeyID, the key
// its codes are encrypted with.
func checkCustomSenders(lc store.LambdaConfig) error {
	for _, t := range []struct {
		name string
		c    store.LambdaVersionConfig
	}{{"CustomEmailSender", lc.CustomEmailSender}, {"CustomSMSSender", lc.CustomSMSSender}} {
		if t.c == (store.LambdaVersionConfig{}) {
			continue
		}
		if t.c.LambdaVersion != "V1_0" {
			return apierr.Newf(apierr.InvalidParameter, "LambdaConfig.%s.LambdaVersion %q is not V1_0.", t.name, t.c.LambdaVersion)
		}
		if t.c.LambdaArn == "" {
			return apierr.Newf(apierr.InvalidParameter, "LambdaConfig.%s.LambdaArn is required.", t.name)
		}
		if lc.KMSKeyID == "" {
			return apierr.Newf(apierr.InvalidParameter, "LambdaConfig.KMSKeyID is required with LambdaConfig.%s.", t.name)
		}
	}
	return nil
}

// senderARN is the function of the pool's custom sender for channel
// ("EMAIL" or "SMS"), or "" when Cognate delivers that channel itself.
func senderARN(p store.Pool, channel string) string {
	if channel == "EMAIL" {
		return p.Settings.LambdaConfig.CustomEmailSender.LambdaArn
	}
	return p.Settings.LambdaConfig.CustomSMSSender.LambdaArn
}

// senderSource is the sender trigger's source for a message whose custom
// message source is src.
func senderSource(channel string, src events.CustomMessageSource) (events.CustomSenderSource, bool) {
	prefix, all := "CustomSMSSender_", events.CustomSMSSenderSources
	if channel == "EMAIL" {
		prefix, all = "CustomEmailSender_", events.CustomEmailSenderSources
	}
	out := events.CustomSenderSource(prefix + strings.TrimPrefix(string(src), "CustomMessage_"))
	return out, slices.Contains(all, out)
}

// customSend hands a code (or temporary password) for u to the pool's
// sender function arn for channel, encrypted under the pool's sender key
// and bound to the pool, the source and the user's sub. Cognate sends
// nothing itself; the function's failure is the caller's.
func (s *Service) customSend(ctx context.Context, p store.Pool, u store.User, o origin, channel, arn, code string) error {
	trigger := "CustomSMSSender"
	if channel == "EMAIL" {
		trigger = "CustomEmailSender"
	}
	src, ok := senderSource(channel, o.source)
	if !ok {
		return apierr.Internal(fmt.Errorf("no %s source for %s", trigger, o.source))
	}
	run, err := s.runner(trigger)
	if err != nil {
		return err
	}
	key, err := SenderKey(s.masterKey, p.Settings.LambdaConfig.KMSKeyID)
	if err != nil {
		return apierr.Internal(err)
	}
	envelope, err := sendercode.Encrypt(key, code, sendercode.Binding{UserPoolID: p.ID, TriggerSource: string(src), Sub: u.Sub})
	if err != nil {
		return apierr.Internal(err)
	}
	return run.CustomSender(ctx, arn, src, caller(p, o.clientID, u.Username), envelope, eventAttributes(u), o.clientMetadata)
}
