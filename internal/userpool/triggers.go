package userpool

import (
	"context"
	"maps"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/triggers/events"
)

// Triggers runs a pool's Lambda triggers (package triggers implements it).
// Its errors are Cognito's exceptions (UserLambdaValidationException,
// UnexpectedLambdaException, InvalidLambdaResponseException).
type Triggers interface {
	// Check refuses a function that nothing can reach.
	Check(trigger, arn string) error
	PreSignUp(ctx context.Context, arn string, src events.PreSignUpSource, c events.Caller,
		attributes, validationData, clientMetadata map[string]string) (events.PreSignUpResponse, error)
	PostConfirmation(ctx context.Context, arn string, src events.PostConfirmationSource, c events.Caller,
		attributes, clientMetadata map[string]string) error
	PreAuthentication(ctx context.Context, arn string, c events.Caller, attributes, clientMetadata map[string]string, userNotFound bool) error
	PostAuthentication(ctx context.Context, arn string, c events.Caller, attributes, clientMetadata map[string]string, newDevice bool) error
	DefineAuthChallenge(ctx context.Context, arn string, c events.Caller, attributes map[string]string,
		session []events.ChallengeResult, clientMetadata map[string]string, userNotFound bool) (events.DefineAuthChallengeResponse, error)
	CreateAuthChallenge(ctx context.Context, arn string, c events.Caller, attributes map[string]string, challengeName string,
		session []events.ChallengeResult, clientMetadata map[string]string, userNotFound bool) (events.CreateAuthChallengeResponse, error)
	VerifyAuthChallengeResponse(ctx context.Context, arn string, c events.Caller, attributes, privateParameters map[string]string,
		answer string, clientMetadata map[string]string, userNotFound bool) (bool, error)
	PreTokenGenerationV1(ctx context.Context, arn string, src events.PreTokenGenerationSource, c events.Caller,
		attributes map[string]string, groups events.Groups, clientMetadata map[string]string) (*events.ClaimsOverrideDetails, error)
	UserMigration(ctx context.Context, arn string, src events.UserMigrationSource, c events.Caller, password string,
		validationData, clientMetadata map[string]string) (events.UserMigrationResponse, error)
	PreTokenGenerationV2(ctx context.Context, arn string, v events.PreTokenGenerationVersion, src events.PreTokenGenerationSource,
		c events.Caller, attributes map[string]string, groups events.Groups, scopes []string, clientMetadata map[string]string) (*events.ClaimsAndScopeOverrideDetails, error)
	CustomMessage(ctx context.Context, arn string, src events.CustomMessageSource, c events.Caller,
		attributes, clientMetadata map[string]string) (events.CustomMessageResponse, error)
	CustomSender(ctx context.Context, arn string, src events.CustomSenderSource, c events.Caller,
		encryptedCode string, attributes, clientMetadata map[string]string) error
}

// checkLambdaConfig accepts the triggers Cognate runs, each function one it
// can reach, and refuses every other member by name: a trigger accepted
// and never run would be worse than a refusal.
func (s *Service) checkLambdaConfig(lc store.LambdaConfig) error {
	if err := checkPreTokenGeneration(lc); err != nil {
		return err
	}
	if err := checkCustomSenders(lc); err != nil {
		return err
	}
	_, preToken := preTokenGeneration(lc)
	supported := []struct{ name, arn string }{
		{"PreSignUp", lc.PreSignUp}, {"PostConfirmation", lc.PostConfirmation},
		{"PreAuthentication", lc.PreAuthentication}, {"PostAuthentication", lc.PostAuthentication},
		{"PreTokenGeneration", preToken},
		{"DefineAuthChallenge", lc.DefineAuthChallenge}, {"CreateAuthChallenge", lc.CreateAuthChallenge},
		{"VerifyAuthChallengeResponse", lc.VerifyAuthChallengeResponse},
		{"UserMigration", lc.UserMigration}, {"CustomMessage", lc.CustomMessage},
		{"CustomEmailSender", lc.CustomEmailSender.LambdaArn}, {"CustomSMSSender", lc.CustomSMSSender.LambdaArn},
	}
	// What is left once the members Cognate runs are cleared is refused.
	rest := lc
	rest.PreSignUp, rest.PostConfirmation, rest.PreAuthentication, rest.PostAuthentication = "", "", "", ""
	rest.DefineAuthChallenge, rest.CreateAuthChallenge, rest.VerifyAuthChallengeResponse = "", "", ""
	rest.PreTokenGeneration, rest.PreTokenGenerationConfig = "", store.LambdaVersionConfig{}
	rest.UserMigration, rest.CustomMessage = "", ""
	rest.CustomEmailSender, rest.CustomSMSSender, rest.KMSKeyID = store.LambdaVersionConfig{}, store.LambdaVersionConfig{}, ""
	if rest.InboundFederation != (store.LambdaVersionConfig{}) {
		return apierr.New(apierr.InvalidParameter, "LambdaConfig.InboundFederation is not supported by Cognate yet; PreSignUp, "+
			"PostConfirmation, PreAuthentication, PostAuthentication, PreTokenGeneration, DefineAuthChallenge, CreateAuthChallenge, "+
			"VerifyAuthChallengeResponse, UserMigration, CustomMessage, CustomEmailSender and CustomSMSSender are.")
	}
	if rest != (store.LambdaConfig{}) { // a member added to the model since
		return apierr.New(apierr.InvalidParameter, "LambdaConfig names a trigger that is not supported by Cognate yet.")
	}
	for _, t := range supported {
		if t.arn == "" {
			continue
		}
		if s.triggers == nil {
			return apierr.Newf(apierr.InvalidParameter, "LambdaConfig.%s: this Cognate runs no trigger functions.", t.name)
		}
		if err := s.triggers.Check(t.name, t.arn); err != nil {
			return err
		}
	}
	return nil
}

// runner is what runs a pool's trigger. A Service built without one
// refuses any LambdaConfig, but may read a pool another server saved.
func (s *Service) runner(trigger string) (Triggers, error) {
	if s.triggers == nil {
		return nil, apierr.New(apierr.UnexpectedLambda, trigger+" invocation failed due to error ResourceNotFoundException.")
	}
	return s.triggers, nil
}

// adminClientID is the clientId of administrators' operations in events.
const adminClientID = "CLIENT_ID_NOT_APPLICABLE"

// caller is who asks, as a trigger's event names it.
func caller(p store.Pool, clientID, username string) events.Caller {
	return events.Caller{Region: poolRegion(p.ID), UserPoolID: p.ID, UserName: username, ClientID: clientID}
}

// eventAttributes are a user's attributes as Cognito sends them to
// triggers: the sub, every attribute, and the user's status.
func eventAttributes(u store.User) map[string]string {
	attrs := maps.Clone(u.Attributes)
	if attrs == nil {
		attrs = map[string]string{}
	}
	attrs["sub"] = u.Sub
	attrs["cognito:user_status"] = u.Status
	return attrs
}

// preSignUp runs the pool's pre sign-up trigger, if any, for a user not yet
// written, and applies its answer to u: confirmed (for SignUp), email and
// phone number verified when the user has them.
func (s *Service) preSignUp(ctx context.Context, p store.Pool, src events.PreSignUpSource, clientID string, u *store.User,
	validationData, clientMetadata map[string]string) error {
	arn := p.Settings.LambdaConfig.PreSignUp
	if arn == "" {
		return nil
	}
	run, err := s.runner("PreSignUp")
	if err != nil {
		return err
	}
	resp, err := run.PreSignUp(ctx, arn, src, caller(p, clientID, u.Username), maps.Clone(u.Attributes), validationData, clientMetadata)
	if err != nil {
		return err
	}
	if resp.AutoConfirmUser && src == events.PreSignUpSignUp {
		u.Status = store.StatusConfirmed
	}
	if resp.AutoVerifyEmail && u.Attributes["email"] != "" {
		u.Attributes["email_verified"] = "true"
	}
	if resp.AutoVerifyPhone && u.Attributes["phone_number"] != "" {
		u.Attributes["phone_number_verified"] = "true"
	}
	return nil
}

// postConfirmation runs the pool's post confirmation trigger, if any, for a
// user just confirmed. As in Cognito, its failure is the caller's error
// but the confirmation stays.
func (s *Service) postConfirmation(ctx context.Context, p store.Pool, src events.PostConfirmationSource, clientID string, u store.User,
	clientMetadata map[string]string) error {
	arn := p.Settings.LambdaConfig.PostConfirmation
	if arn == "" {
		return nil
	}
	run, err := s.runner("PostConfirmation")
	if err != nil {
		return err
	}
	return run.PostConfirmation(ctx, arn, src, caller(p, clientID, u.Username), eventAttributes(u), clientMetadata)
}

func (d directory) PreAuthentication(ctx context.Context, p store.Pool, c store.Client, u *store.User, name string, clientMetadata map[string]string) error {
	arn := p.Settings.LambdaConfig.PreAuthentication
	if arn == "" {
		return nil
	}
	run, err := d.s.runner("PreAuthentication")
	if err != nil {
		return err
	}
	if u == nil {
		return run.PreAuthentication(ctx, arn, caller(p, c.ID, name), map[string]string{}, clientMetadata, true)
	}
	return run.PreAuthentication(ctx, arn, caller(p, c.ID, u.Username), eventAttributes(*u), clientMetadata, false)
}

func (d directory) PostAuthentication(ctx context.Context, p store.Pool, c store.Client, u store.User, clientMetadata map[string]string, newDevice bool) error {
	arn := p.Settings.LambdaConfig.PostAuthentication
	if arn == "" {
		return nil
	}
	run, err := d.s.runner("PostAuthentication")
	if err != nil {
		return err
	}
	return run.PostAuthentication(ctx, arn, caller(p, c.ID, u.Username), eventAttributes(u), clientMetadata, newDevice)
}
