package userpool

import (
	"context"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/signin"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/triggers/events"
)

// The custom authentication triggers, for the sign-in engine's CUSTOM_AUTH.
// A trigger the pool lacks fails the sign-in as Cognito fails it when the
// trigger is missing.

func (d directory) customTrigger(trigger, arn string) (Triggers, error) {
	if arn == "" {
		return nil, apierr.New(apierr.InvalidParameter, "Custom auth lambda trigger is not configured for the user pool.")
	}
	return d.s.runner(trigger)
}

// customCaller is who a custom sign-in is for, and the attributes its
// triggers are shown: none for a name that is no user.
func customCaller(p store.Pool, c store.Client, u *store.User, name string) (events.Caller, map[string]string, bool) {
	if u == nil {
		return caller(p, c.ID, name), map[string]string{}, true
	}
	return caller(p, c.ID, u.Username), eventAttributes(*u), false
}

func history(rounds []signin.CustomRound) []events.ChallengeResult {
	out := make([]events.ChallengeResult, 0, len(rounds))
	for _, r := range rounds {
		out = append(out, events.ChallengeResult{ChallengeName: r.Name, ChallengeResult: r.Result, ChallengeMetadata: r.Metadata})
	}
	return out
}

func (d directory) DefineAuthChallenge(ctx context.Context, p store.Pool, c store.Client, u *store.User, name string,
	rounds []signin.CustomRound, clientMetadata map[string]string) (signin.CustomDecision, error) {
	run, err := d.customTrigger("DefineAuthChallenge", p.Settings.LambdaConfig.DefineAuthChallenge)
	if err != nil {
		return signin.CustomDecision{}, err
	}
	who, attrs, notFound := customCaller(p, c, u, name)
	r, err := run.DefineAuthChallenge(ctx, p.Settings.LambdaConfig.DefineAuthChallenge, who, attrs, history(rounds), clientMetadata, notFound)
	if err != nil {
		return signin.CustomDecision{}, err
	}
	var dec signin.CustomDecision
	if r.ChallengeName != nil {
		dec.Challenge = *r.ChallengeName
	}
	dec.IssueTokens = r.IssueTokens != nil && *r.IssueTokens
	dec.Fail = r.FailAuthentication != nil && *r.FailAuthentication
	return dec, nil
}

func (d directory) CreateAuthChallenge(ctx context.Context, p store.Pool, c store.Client, u *store.User, name, challenge string,
	rounds []signin.CustomRound, clientMetadata map[string]string) (signin.CustomChallengeSpec, error) {
	run, err := d.customTrigger("CreateAuthChallenge", p.Settings.LambdaConfig.CreateAuthChallenge)
	if err != nil {
		return signin.CustomChallengeSpec{}, err
	}
	who, attrs, notFound := customCaller(p, c, u, name)
	r, err := run.CreateAuthChallenge(ctx, p.Settings.LambdaConfig.CreateAuthChallenge, who, attrs, challenge, history(rounds), clientMetadata, notFound)
	if err != nil {
		return signin.CustomChallengeSpec{}, err
	}
	spec := signin.CustomChallengeSpec{Public: r.PublicChallengeParameters, Private: r.PrivateChallengeParameters}
	if r.ChallengeMetadata != nil {
		spec.Metadata = *r.ChallengeMetadata
	}
	return spec, nil
}

func (d directory) VerifyAuthChallengeResponse(ctx context.Context, p store.Pool, c store.Client, u *store.User, name string,
	private map[string]string, answer string, clientMetadata map[string]string) (bool, error) {
	run, err := d.customTrigger("VerifyAuthChallengeResponse", p.Settings.LambdaConfig.VerifyAuthChallengeResponse)
	if err != nil {
		return false, err
	}
	who, attrs, notFound := customCaller(p, c, u, name)
	return run.VerifyAuthChallengeResponse(ctx, p.Settings.LambdaConfig.VerifyAuthChallengeResponse, who, attrs, private, answer, clientMetadata, notFound)
}
