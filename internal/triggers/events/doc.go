// Package events is Cognito's Lambda trigger events and responses as Go types, with the exact JSON that
// Amazon Cognito sends to a function and reads back from it.
//
// It knows nothing of how a function is reached (that is the invoking package's job) nor of what the
// answer does to a user or a token (that is the domain's): it builds the event the sign-in engine and the
// user-pool operations hand to a function, and decodes the function's returned event into a typed response,
// refusing what Cognito would refuse with InvalidLambdaResponseException.
//
// # Envelope
//
// Every event has Cognito's common members, in Cognito's order: version, triggerSource, region, userPoolId,
// userName, callerContext {awsSdkVersion, clientId}, request and response. The version is "1" for every trigger
// except pre token generation, whose events carry the configured LambdaVersion ("1", "2" or "3").
//
// # Which operation sends which source
//
//	PreSignUp_SignUp                       SignUp
//	PreSignUp_AdminCreateUser              AdminCreateUser
//	PreSignUp_ExternalProvider             first sign-in through a federated identity provider (hosted UI)
//	PostConfirmation_ConfirmSignUp         ConfirmSignUp, AdminConfirmSignUp, sign-up auto-confirmed by PreSignUp
//	PostConfirmation_ConfirmForgotPassword ConfirmForgotPassword (a user confirmed by resetting the password)
//	PreAuthentication_Authentication       InitiateAuth, AdminInitiateAuth (every flow but REFRESH_TOKEN_AUTH)
//	PostAuthentication_Authentication      the step of InitiateAuth / RespondToAuthChallenge (and Admin
//	                                       variants) that issues tokens
//	TokenGeneration_HostedAuth             the hosted UI / OAuth 2.0 authorization code and implicit grants
//	TokenGeneration_Authentication         InitiateAuth / RespondToAuthChallenge when they issue tokens
//	TokenGeneration_NewPasswordChallenge   RespondToAuthChallenge answering NEW_PASSWORD_REQUIRED
//	TokenGeneration_AuthenticateDevice     sign-in ending with the DEVICE_SRP_AUTH challenges
//	TokenGeneration_RefreshTokens          REFRESH_TOKEN_AUTH / GetTokensFromRefreshToken / refresh_token grant
//	TokenGeneration_ClientCredentials      the client_credentials grant (V3_0 only)
//	DefineAuthChallenge_Authentication     CUSTOM_AUTH: InitiateAuth and every RespondToAuthChallenge round
//	CreateAuthChallenge_Authentication     CUSTOM_AUTH, when DefineAuthChallenge asks for CUSTOM_CHALLENGE
//	VerifyAuthChallengeResponse_Authentication  RespondToAuthChallenge answering CUSTOM_CHALLENGE
//	CustomMessage_SignUp                   SignUp (confirmation code)
//	CustomMessage_AdminCreateUser          AdminCreateUser (temporary password invitation)
//	CustomMessage_ResendCode               ResendConfirmationCode
//	CustomMessage_ForgotPassword           ForgotPassword, AdminResetUserPassword
//	CustomMessage_UpdateUserAttribute      UpdateUserAttributes / AdminUpdateUserAttributes changing email or phone
//	CustomMessage_VerifyUserAttribute      GetUserAttributeVerificationCode
//	CustomMessage_Authentication           an SMS or email MFA code (or passwordless one-time code) at sign-in
//	UserMigration_Authentication           USER_PASSWORD_AUTH (or ADMIN_USER_PASSWORD_AUTH) for an unknown user
//	UserMigration_ForgotPassword           ForgotPassword for an unknown user
//	CustomEmailSender_* / CustomSMSSender_* the same operations as the CustomMessage sources, when the pool
//	                                       delivers through its own sender (plus
//	                                       CustomEmailSender_AccountTakeOverNotification for threat protection)
//	InboundFederation_ExternalProvider     every sign-in through a federated identity provider, before the
//	                                       provider's attributes are mapped to the user
//
// # Responses
//
// A Decode…Response function reads the whole event a function returned and extracts its response member.
// Like Cognito it ignores members it does not know (a function usually returns the event it was given, request
// and all) but refuses a member of the wrong JSON type, a returned value that is not a JSON object, and text
// that is not UTF-8; each refusal is a *ResponseError, which the caller turns into
// InvalidLambdaResponseException. Member names match exactly, as Cognito's do: "AutoConfirmUser" is not
// "autoConfirmUser". A null member counts as absent.
package events
