// Package triggers runs a user pool's Lambda triggers for the domain: it
// builds a trigger's event (package events), invokes the function its ARN
// names (package functions), decodes what the function returned, and turns
// every failure into the exception Cognito answers with:
//   - the function's own error: UserLambdaValidationException,
//     "<Trigger> failed with error <message>.";
//   - no answer in time, or none at all: UnexpectedLambdaException,
//     "<Trigger> invocation failed due to error <reason>.";
//   - an answer Cognito could not read: InvalidLambdaResponseException,
//     "Unrecognizable lambda output".
//
// The domain packages declare the small interface they need of a Runner,
// so they know nothing of how functions are reached.
package triggers

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/functions"
	"github.com/cognate-auth/cognate/internal/triggers/events"
)

// The triggers' names, as LambdaConfig and Cognito's messages spell them.
const (
	PreSignUp          = "PreSignUp"
	PostConfirmation   = "PostConfirmation"
	PreAuthentication  = "PreAuthentication"
	PostAuthentication = "PostAuthentication"

	DefineAuthChallenge         = "DefineAuthChallenge"
	CreateAuthChallenge         = "CreateAuthChallenge"
	VerifyAuthChallengeResponse = "VerifyAuthChallengeResponse"
	PreTokenGeneration          = "PreTokenGeneration"
	UserMigration               = "UserMigration"
)

// Invoker invokes functions by ARN (functions.Invoker).
type Invoker interface {
	Invoke(ctx context.Context, arn string, event []byte) ([]byte, error)
	Resolve(arn string) (functions.Kind, error)
}

// Runner runs triggers through an Invoker. It is safe for concurrent use.
type Runner struct{ inv Invoker }

// New returns a Runner invoking functions through inv.
func New(inv Invoker) *Runner { return &Runner{inv: inv} }

// Check refuses, with InvalidParameterException, a trigger whose function
// nothing can reach: an ARN that is not a Lambda function's, or one that is
// not in the functions file when no Lambda endpoint is configured.
func (r *Runner) Check(trigger, arn string) error {
	_, err := r.inv.Resolve(arn)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, functions.ErrInvalidARN):
		return apierr.Wrap(apierr.InvalidParameter, "LambdaConfig."+trigger+" "+arn+" is not a Lambda function ARN.", err)
	case errors.Is(err, functions.ErrNoTarget):
		return apierr.Wrap(apierr.InvalidParameter, "LambdaConfig."+trigger+": Cognate cannot reach the function "+arn+
			": it is not in the functions file (--functions) and no Lambda endpoint (--lambda-endpoint) is configured.", err)
	}
	return apierr.Internal(err)
}

// PreSignUp runs the pre sign-up trigger and returns what it asks for
// (autoConfirmUser, autoVerifyEmail, autoVerifyPhone).
func (r *Runner) PreSignUp(ctx context.Context, arn string, src events.PreSignUpSource, c events.Caller,
	attributes, validationData, clientMetadata map[string]string) (events.PreSignUpResponse, error) {
	raw, err := r.invoke(ctx, PreSignUp, arn, events.NewPreSignUp(src, c, attributes, validationData, clientMetadata))
	if err != nil {
		return events.PreSignUpResponse{}, err
	}
	resp, err := events.DecodePreSignUpResponse(raw)
	if err != nil {
		return events.PreSignUpResponse{}, invalidResponse(err)
	}
	return resp, nil
}

// PostConfirmation runs the post confirmation trigger.
func (r *Runner) PostConfirmation(ctx context.Context, arn string, src events.PostConfirmationSource, c events.Caller,
	attributes, clientMetadata map[string]string) error {
	return r.empty(ctx, PostConfirmation, arn, events.NewPostConfirmation(src, c, attributes, clientMetadata))
}

// PreAuthentication runs the pre authentication trigger; userNotFound says
// the name is no user (a client that prevents user existence errors).
func (r *Runner) PreAuthentication(ctx context.Context, arn string, c events.Caller, attributes, clientMetadata map[string]string, userNotFound bool) error {
	return r.empty(ctx, PreAuthentication, arn, events.NewPreAuthentication(c, attributes, clientMetadata, userNotFound))
}

// PostAuthentication runs the post authentication trigger.
func (r *Runner) PostAuthentication(ctx context.Context, arn string, c events.Caller, attributes, clientMetadata map[string]string, newDevice bool) error {
	return r.empty(ctx, PostAuthentication, arn, events.NewPostAuthentication(c, attributes, clientMetadata, newDevice))
}

// DefineAuthChallenge runs the define auth challenge trigger with the
// history of a custom sign-in so far and returns its decision.
func (r *Runner) DefineAuthChallenge(ctx context.Context, arn string, c events.Caller, attributes map[string]string,
	session []events.ChallengeResult, clientMetadata map[string]string, userNotFound bool) (events.DefineAuthChallengeResponse, error) {
	raw, err := r.invoke(ctx, DefineAuthChallenge, arn, events.NewDefineAuthChallenge(c, attributes, session, clientMetadata, userNotFound))
	if err != nil {
		return events.DefineAuthChallengeResponse{}, err
	}
	resp, err := events.DecodeDefineAuthChallengeResponse(raw)
	if err != nil {
		return events.DefineAuthChallengeResponse{}, invalidResponse(err)
	}
	return resp, nil
}

// CreateAuthChallenge runs the create auth challenge trigger for the
// challenge DefineAuthChallenge chose.
func (r *Runner) CreateAuthChallenge(ctx context.Context, arn string, c events.Caller, attributes map[string]string, challengeName string,
	session []events.ChallengeResult, clientMetadata map[string]string, userNotFound bool) (events.CreateAuthChallengeResponse, error) {
	raw, err := r.invoke(ctx, CreateAuthChallenge, arn, events.NewCreateAuthChallenge(c, attributes, challengeName, session, clientMetadata, userNotFound))
	if err != nil {
		return events.CreateAuthChallengeResponse{}, err
	}
	resp, err := events.DecodeCreateAuthChallengeResponse(raw)
	if err != nil {
		return events.CreateAuthChallengeResponse{}, invalidResponse(err)
	}
	return resp, nil
}

// VerifyAuthChallengeResponse runs the verify auth challenge response
// trigger and reports whether it found the answer correct; an answer it
// left null is not.
func (r *Runner) VerifyAuthChallengeResponse(ctx context.Context, arn string, c events.Caller, attributes, privateParameters map[string]string,
	answer string, clientMetadata map[string]string, userNotFound bool) (bool, error) {
	raw, err := r.invoke(ctx, VerifyAuthChallengeResponse, arn,
		events.NewVerifyAuthChallengeResponse(c, attributes, privateParameters, answer, clientMetadata, userNotFound))
	if err != nil {
		return false, err
	}
	resp, err := events.DecodeVerifyAuthChallengeResponse(raw)
	if err != nil {
		return false, invalidResponse(err)
	}
	return resp.AnswerCorrect != nil && *resp.AnswerCorrect, nil
}

// PreTokenGenerationV1 runs a V1_0 pre token generation trigger and returns
// its change to the ID token (nil for none).
func (r *Runner) PreTokenGenerationV1(ctx context.Context, arn string, src events.PreTokenGenerationSource, c events.Caller,
	attributes map[string]string, groups events.Groups, clientMetadata map[string]string) (*events.ClaimsOverrideDetails, error) {
	raw, err := r.invoke(ctx, PreTokenGeneration, arn, events.NewPreTokenGenerationV1(src, c, attributes, groups, clientMetadata))
	if err != nil {
		return nil, err
	}
	resp, err := events.DecodePreTokenGenerationV1Response(raw)
	if err != nil {
		return nil, invalidResponse(err)
	}
	return resp.ClaimsOverrideDetails, nil
}

// PreTokenGenerationV2 runs a V2_0 or V3_0 (v) pre token generation
// trigger and returns its change to both tokens (nil for none).
func (r *Runner) PreTokenGenerationV2(ctx context.Context, arn string, v events.PreTokenGenerationVersion, src events.PreTokenGenerationSource,
	c events.Caller, attributes map[string]string, groups events.Groups, scopes []string, clientMetadata map[string]string) (*events.ClaimsAndScopeOverrideDetails, error) {
	raw, err := r.invoke(ctx, PreTokenGeneration, arn, events.NewPreTokenGenerationV2(v, src, c, attributes, groups, scopes, clientMetadata))
	if err != nil {
		return nil, err
	}
	resp, err := events.DecodePreTokenGenerationV2Response(raw)
	if err != nil {
		return nil, invalidResponse(err)
	}
	return resp.ClaimsAndScopeOverrideDetails, nil
}

// UserMigration runs the user migration trigger for a name that is no
// user and returns the user it describes, as the function answered it.
func (r *Runner) UserMigration(ctx context.Context, arn string, src events.UserMigrationSource, c events.Caller, password string,
	validationData, clientMetadata map[string]string) (events.UserMigrationResponse, error) {
	raw, err := r.invoke(ctx, UserMigration, arn, events.NewUserMigration(src, c, password, validationData, clientMetadata))
	if err != nil {
		return events.UserMigrationResponse{}, err
	}
	resp, err := events.DecodeUserMigrationResponse(raw)
	if err != nil {
		return events.UserMigrationResponse{}, invalidResponse(err)
	}
	return resp, nil
}

// empty runs a trigger whose response Cognito ignores, but which must still
// be an event.
func (r *Runner) empty(ctx context.Context, trigger, arn string, event any) error {
	raw, err := r.invoke(ctx, trigger, arn, event)
	if err != nil {
		return err
	}
	if err := events.DecodeEmptyResponse(trigger, raw); err != nil {
		return invalidResponse(err)
	}
	return nil
}

func (r *Runner) invoke(ctx context.Context, trigger, arn string, event any) ([]byte, error) {
	body, err := json.Marshal(event)
	if err != nil {
		return nil, apierr.Internal(err)
	}
	raw, err := r.inv.Invoke(ctx, arn, body)
	if err != nil {
		return nil, Failure(trigger, err)
	}
	return raw, nil
}

// Failure turns an invocation's error into Cognito's exception for trigger.
func Failure(trigger string, err error) error {
	var fe *functions.FunctionError
	switch {
	case errors.As(err, &fe):
		return apierr.Wrap(apierr.UserLambdaValidation, trigger+" failed with error "+fe.Message+".", err)
	case errors.Is(err, functions.ErrInvalidResponse):
		return invalidResponse(err)
	case errors.Is(err, functions.ErrTimeout):
		return apierr.Wrap(apierr.UnexpectedLambda, trigger+" invocation failed due to error Socket timeout while invoking Lambda function.", err)
	case errors.Is(err, functions.ErrNoTarget), errors.Is(err, functions.ErrInvalidARN):
		// The configuration changed since the pool was saved.
		return apierr.Wrap(apierr.UnexpectedLambda, trigger+" invocation failed due to error ResourceNotFoundException.", err)
	}
	return apierr.Wrap(apierr.UnexpectedLambda, trigger+" invocation failed due to error Unable to reach the function.", err)
}

func invalidResponse(err error) error {
	return apierr.Wrap(apierr.InvalidLambdaResponse, "Unrecognizable lambda output", err)
}
