package triggers

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/triggers/events"
)

// respond answers an event with response members, after checking its
// source.
func respond(source string, response map[string]any) func(context.Context, []byte) ([]byte, error) {
	return func(_ context.Context, event []byte) ([]byte, error) {
		var e map[string]any
		if err := json.Unmarshal(event, &e); err != nil {
			return nil, err
		}
		if e["triggerSource"] != source {
			return nil, errors.New("unexpected source " + e["triggerSource"].(string))
		}
		e["response"] = response
		return json.Marshal(e)
	}
}

func TestCustomAuthTriggers(t *testing.T) {
	ctx := context.Background()
	c := events.Caller{Region: "us-east-1", UserPoolID: "us-east-1_abc", UserName: "alice", ClientID: "client"}
	history := []events.ChallengeResult{{ChallengeName: "CUSTOM_CHALLENGE", ChallengeResult: false, ChallengeMetadata: "q1"}}

	d, err := runner(t, respond(events.DefineAuthChallengeAuthentication, map[string]any{"challengeName": "CUSTOM_CHALLENGE",
		"issueTokens": false, "failAuthentication": false})).DefineAuthChallenge(ctx, arn, c, nil, history, nil, false)
	if err != nil || d.ChallengeName == nil || *d.ChallengeName != "CUSTOM_CHALLENGE" || *d.IssueTokens {
		t.Fatalf("DefineAuthChallenge = %+v, %v", d, err)
	}

	cr, err := runner(t, respond(events.CreateAuthChallengeAuthentication, map[string]any{
		"publicChallengeParameters": map[string]any{"question": "2+2"}, "privateChallengeParameters": map[string]any{"answer": "4"},
		"challengeMetadata": "q2"})).CreateAuthChallenge(ctx, arn, c, nil, "CUSTOM_CHALLENGE", history, nil, false)
	if err != nil || !reflect.DeepEqual(cr.PrivateChallengeParameters, map[string]string{"answer": "4"}) || *cr.ChallengeMetadata != "q2" {
		t.Fatalf("CreateAuthChallenge = %+v, %v", cr, err)
	}

	for _, tt := range []struct {
		response map[string]any
		want     bool
	}{{map[string]any{"answerCorrect": true}, true}, {map[string]any{"answerCorrect": false}, false}, {map[string]any{"answerCorrect": nil}, false}} {
		ok, err := runner(t, respond(events.VerifyAuthChallengeResponseAuthentication, tt.response)).
			VerifyAuthChallengeResponse(ctx, arn, c, nil, map[string]string{"answer": "4"}, "4", nil, false)
		if err != nil || ok != tt.want {
			t.Errorf("VerifyAuthChallengeResponse(%v) = %v, %v; want %v", tt.response, ok, err, tt.want)
		}
	}

	_, err = runner(t, respond(events.VerifyAuthChallengeResponseAuthentication, map[string]any{"answerCorrect": "yes"})).
		VerifyAuthChallengeResponse(ctx, arn, c, nil, nil, "4", nil, false)
	if !apierr.HasCode(err, apierr.InvalidLambdaResponse) {
		t.Errorf("a string answerCorrect: %v, want InvalidLambdaResponseException", err)
	}
	_, err = runner(t, func(context.Context, []byte) ([]byte, error) { return nil, errors.New("no") }).
		DefineAuthChallenge(ctx, arn, c, nil, nil, nil, true)
	var ae *apierr.Error
	if !errors.As(err, &ae) || ae.Message != "DefineAuthChallenge failed with error no." {
		t.Errorf("a failing function: %v", err)
	}
}
