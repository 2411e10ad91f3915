package signin

import (
	"context"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/clientauth"
	"github.com/cognate-auth/cognate/internal/requestctx"
	"github.com/cognate-auth/cognate/internal/store"
)

// flowSpec is one flow of InitiateAuth.
type flowSpec struct {
	// allow is the ExplicitAuthFlows value the client must allow.
	allow string
	// admin says who may use the flow: anyone (0), only the administrator
	// operation (+1), or never it (-1).
	admin int
	// disabled is the error for a client that does not allow it; nil
	// for the usual one.
	disabled error
	start    func(e *Engine, ctx context.Context, a *attempt) (Result, error)
}

var flows = map[Flow]flowSpec{
	UserSRP:      {allow: clientauth.AllowUserSRP, start: func(e *Engine, ctx context.Context, a *attempt) (Result, error) { return e.startSRP(ctx, a, nil) }},
	UserPassword: {allow: clientauth.AllowUserPassword, admin: -1, start: startPassword},
	AdminUserPassword: {allow: clientauth.AllowAdminPassword, admin: +1, start: startPassword,
		disabled: apierr.New(apierr.InvalidParameter, "Auth flow not enabled for this client")},
	AdminNoSRP: {allow: clientauth.AllowAdminPassword, admin: +1, start: startPassword,
		disabled: apierr.New(apierr.InvalidParameter, "Auth flow not enabled for this client")},
	UserAuth:          {allow: clientauth.AllowUserAuth, start: (*Engine).startChoice},
	RefreshToken:      {allow: clientauth.AllowRefreshToken, start: (*Engine).refresh},
	RefreshTokenAlias: {allow: clientauth.AllowRefreshToken, start: (*Engine).refresh},
	CustomAuth:        {allow: clientauth.AllowCustom, start: (*Engine).startCustom},
}

func startPassword(e *Engine, ctx context.Context, a *attempt) (Result, error) {
	return e.startPassword(ctx, a, nil, claimNone)
}

// challengeSpec is one challenge of RespondToAuthChallenge.
type challengeSpec struct {
	// steps are the kinds of state that may answer the challenge, opened
	// from the Session, or from the response named stateIn.
	steps   []step
	stateIn string
	// required are the responses the challenge needs besides USERNAME,
	// checked in order before the state is opened.
	required []string
	// sameUser makes USERNAME name the user the sign-in is for.
	sameUser bool
	answer   func(e *Engine, ctx context.Context, a *attempt) (Result, error)
}

var challenges = map[Challenge]challengeSpec{
	PasswordVerifier: {steps: []step{stepPasswordVerifier}, stateIn: "PASSWORD_CLAIM_SECRET_BLOCK", sameUser: true,
		required: []string{"PASSWORD_CLAIM_SECRET_BLOCK", "PASSWORD_CLAIM_SIGNATURE", "TIMESTAMP"}, answer: (*Engine).verifySRP},
	NewPasswordRequired: {steps: []step{stepNewPassword}, required: []string{"NEW_PASSWORD"}, answer: (*Engine).answerNewPassword},
	SMSMFA:              {steps: []step{stepMFA}, required: []string{codeResponses[SMSMFA]}, answer: answerCode(SMSMFA)},
	SoftwareTokenMFA:    {steps: []step{stepMFA}, required: []string{codeResponses[SoftwareTokenMFA]}, answer: answerCode(SoftwareTokenMFA)},
	EmailOTP:            {steps: []step{stepMFA}, required: []string{codeResponses[EmailOTP]}, answer: answerCode(EmailOTP)},
	SMSOTP:              {steps: []step{stepMFA}, required: []string{codeResponses[SMSOTP]}, answer: answerCode(SMSOTP)},
	SelectMFAType:       {steps: []step{stepSelectMFA}, required: []string{"ANSWER"}, answer: (*Engine).selectMFA},
	MFASetup:            {steps: []step{stepTOTPVerified, stepMFASetup}, answer: (*Engine).answerMFASetup},
	SelectChallenge:     {steps: []step{stepSelectChallenge}, required: []string{"ANSWER"}, answer: selectFirstFactor("")},
	Password:            {steps: []step{stepSelectChallenge}, answer: selectFirstFactor(Password)},
	PasswordSRP:         {steps: []step{stepSelectChallenge}, answer: selectFirstFactor(PasswordSRP)},
	DeviceSRPAuth:       {steps: []step{stepDeviceSRP}, required: []string{"DEVICE_KEY", "SRP_A"}, answer: (*Engine).answerDeviceSRP},
	DevicePasswordVerifier: {steps: []step{stepDevicePassword}, stateIn: "PASSWORD_CLAIM_SECRET_BLOCK",
		required: []string{"DEVICE_KEY", "PASSWORD_CLAIM_SECRET_BLOCK", "PASSWORD_CLAIM_SIGNATURE", "TIMESTAMP"}, answer: (*Engine).answerDevicePassword},
	CustomChallenge: {steps: []step{stepCustom}, required: []string{"ANSWER"}, sameUser: true, answer: (*Engine).answerCustom},
}

func missing(param string) error {
	return apierr.Newf(apierr.InvalidParameter, "Missing required parameter %s", param)
}

// Start begins a sign-in.
func (e *Engine) Start(ctx context.Context, in StartInput) (res Result, err error) {
	var c store.Client
	var p store.Pool
	defer func() { e.logOutcome(ctx, p.ID, in.ClientID, "flow", string(in.Flow), res, err) }()
	spec, known := flows[in.Flow]
	c, p, err = e.dir.Client(ctx, in.PoolID, in.ClientID)
	if err != nil {
		return Result{}, err
	}
	if !known {
		return Result{}, apierr.Newf(apierr.UnsupportedOperation, "The %s flow is not supported by Cognate yet.", in.Flow)
	}
	admin := in.PoolID != ""
	if (spec.admin < 0 && admin) || (spec.admin > 0 && !admin) {
		return Result{}, apierr.New(apierr.InvalidParameter, "Initiate Auth method not supported.")
	}
	if !clientauth.FlowAllowed(c, spec.allow) {
		if spec.disabled != nil {
			return Result{}, spec.disabled
		}
		return Result{}, flowDisabled(in.Flow)
	}
	a := &attempt{client: c, pool: p, admin: admin, params: in.Parameters, meta: in.ClientMetadata, user: in.Context}
	return spec.start(e, ctx, a)
}

func flowDisabled(f Flow) error {
	return apierr.Newf(apierr.InvalidParameter, "%s flow not enabled for this client", f)
}

// Respond answers a challenge of a sign-in under way.
func (e *Engine) Respond(ctx context.Context, in RespondInput) (res Result, err error) {
	var c store.Client
	var p store.Pool
	defer func() { e.logOutcome(ctx, p.ID, in.ClientID, "challenge", string(in.Challenge), res, err) }()
	c, p, err = e.dir.Client(ctx, in.PoolID, in.ClientID)
	if err != nil {
		return Result{}, err
	}
	spec, ok := challenges[in.Challenge]
	if !ok {
		return Result{}, apierr.Newf(apierr.InvalidParameter, "The %s challenge is not supported by Cognate yet.", in.Challenge)
	}
	r := in.Responses
	for _, k := range append([]string{"USERNAME"}, spec.required...) {
		if r[k] == "" {
			return Result{}, missing(k)
		}
	}
	sealed := in.Session
	if spec.stateIn != "" {
		sealed = r[spec.stateIn]
	}
	st, err := e.open(sealed, c.ID, spec.steps...)
	if err != nil {
		return Result{}, err
	}
	if st.PoolID != p.ID {
		return Result{}, errInvalidSession
	}
	a := &attempt{client: c, pool: p, admin: in.PoolID != "", params: r, meta: in.ClientMetadata, user: in.Context, state: st}
	if spec.sameUser {
		if name := r["USERNAME"]; name != st.Username && e.dir.CanonicalName(p, name) != e.dir.CanonicalName(p, st.Typed) {
			return Result{}, errBadCredentials
		}
	}
	if err := clientauth.CheckSecretHash(c, r["SECRET_HASH"], r["USERNAME"], st.Username, st.Typed); err != nil {
		return Result{}, err
	}
	return spec.answer(e, ctx, a)
}

// logOutcome logs how a step of a sign-in ended: its tokens, a challenge,
// or the failure, never what the user sent.
func (e *Engine) logOutcome(ctx context.Context, poolID, clientID, kind, name string, res Result, err error) {
	requestctx.SetResources(ctx, poolID, clientID)
	attrs := []any{"request_id", requestctx.RequestID(ctx), "pool", poolID, "client", clientID, kind, name}
	switch {
	case err != nil:
		ae := apierr.As(err)
		e.log.InfoContext(ctx, "sign-in step failed", append(attrs, "error", ae.Code, "message", ae.Message)...)
	case res.Tokens != nil:
		e.log.InfoContext(ctx, "sign-in succeeded", attrs...)
	default:
		e.log.DebugContext(ctx, "sign-in challenge", append(attrs, "challenge", string(res.Challenge))...)
	}
}
