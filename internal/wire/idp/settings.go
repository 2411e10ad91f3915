package idp

import (
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/wire/idpapi"
)

// Translations of the settings members Cognate keeps and returns as sent:
// the generated types to the store's and back. Nil stands for a member
// that was not sent, both ways.

func lambdaConfig(c *idpapi.LambdaConfigType) store.LambdaConfig {
	if c == nil {
		return store.LambdaConfig{}
	}
	out := store.LambdaConfig{
		PreSignUp: c.PreSignUp, CustomMessage: c.CustomMessage, PostConfirmation: c.PostConfirmation,
		PreAuthentication: c.PreAuthentication, PostAuthentication: c.PostAuthentication,
		DefineAuthChallenge: c.DefineAuthChallenge, CreateAuthChallenge: c.CreateAuthChallenge,
		VerifyAuthChallengeResponse: c.VerifyAuthChallengeResponse, PreTokenGeneration: c.PreTokenGeneration,
		UserMigration: c.UserMigration, KMSKeyID: c.KMSKeyID,
	}
	if v := c.PreTokenGenerationConfig; v != nil {
		out.PreTokenGenerationConfig = store.LambdaVersionConfig{LambdaVersion: v.LambdaVersion, LambdaArn: v.LambdaArn}
	}
	if v := c.CustomSMSSender; v != nil {
		out.CustomSMSSender = store.LambdaVersionConfig{LambdaVersion: v.LambdaVersion, LambdaArn: v.LambdaArn}
	}
	if v := c.CustomEmailSender; v != nil {
		out.CustomEmailSender = store.LambdaVersionConfig{LambdaVersion: v.LambdaVersion, LambdaArn: v.LambdaArn}
	}
	if v := c.InboundFederation; v != nil {
		out.InboundFederation = store.LambdaVersionConfig{LambdaVersion: v.LambdaVersion, LambdaArn: v.LambdaArn}
	}
	return out
}

// wireLambdaConfig renders a pool's triggers; an empty LambdaConfig when it
// has none, as Cognito always reports the member.
func wireLambdaConfig(c store.LambdaConfig) *idpapi.LambdaConfigType {
	out := &idpapi.LambdaConfigType{
		PreSignUp: c.PreSignUp, CustomMessage: c.CustomMessage, PostConfirmation: c.PostConfirmation,
		PreAuthentication: c.PreAuthentication, PostAuthentication: c.PostAuthentication,
		DefineAuthChallenge: c.DefineAuthChallenge, CreateAuthChallenge: c.CreateAuthChallenge,
		VerifyAuthChallengeResponse: c.VerifyAuthChallengeResponse, PreTokenGeneration: c.PreTokenGeneration,
		UserMigration: c.UserMigration, KMSKeyID: c.KMSKeyID,
	}
	if v := c.PreTokenGenerationConfig; v != (store.LambdaVersionConfig{}) {
		out.PreTokenGenerationConfig = &idpapi.PreTokenGenerationVersionConfigType{LambdaVersion: v.LambdaVersion, LambdaArn: v.LambdaArn}
	}
	if v := c.CustomSMSSender; v != (store.LambdaVersionConfig{}) {
		out.CustomSMSSender = &idpapi.CustomSMSLambdaVersionConfigType{LambdaVersion: v.LambdaVersion, LambdaArn: v.LambdaArn}
	}
	if v := c.CustomEmailSender; v != (store.LambdaVersionConfig{}) {
		out.CustomEmailSender = &idpapi.CustomEmailLambdaVersionConfigType{LambdaVersion: v.LambdaVersion, LambdaArn: v.LambdaArn}
	}
	if v := c.InboundFederation; v != (store.LambdaVersionConfig{}) {
		out.InboundFederation = &idpapi.InboundFederationLambdaType{LambdaVersion: v.LambdaVersion, LambdaArn: v.LambdaArn}
	}
	return out
}

func emailConfiguration(c *idpapi.EmailConfigurationType) *store.EmailConfiguration {
	if c == nil {
		return nil
	}
	return &store.EmailConfiguration{SourceArn: c.SourceArn, ReplyToEmailAddress: c.ReplyToEmailAddress,
		EmailSendingAccount: c.EmailSendingAccount, From: c.From, ConfigurationSet: c.ConfigurationSet}
}

// wireEmailConfiguration renders a pool's email configuration; an empty one
// when none was sent, as Cognito always reports the member.
func wireEmailConfiguration(c *store.EmailConfiguration) *idpapi.EmailConfigurationType {
	if c == nil {
		return &idpapi.EmailConfigurationType{}
	}
	return &idpapi.EmailConfigurationType{SourceArn: c.SourceArn, ReplyToEmailAddress: c.ReplyToEmailAddress,
		EmailSendingAccount: c.EmailSendingAccount, From: c.From, ConfigurationSet: c.ConfigurationSet}
}

func smsConfiguration(c *idpapi.SmsConfigurationType) *store.SMSConfiguration {
	if c == nil {
		return nil
	}
	return &store.SMSConfiguration{SNSCallerArn: c.SnsCallerArn, ExternalID: c.ExternalId, SNSRegion: c.SnsRegion}
}

func wireSMSConfiguration(c *store.SMSConfiguration) *idpapi.SmsConfigurationType {
	if c == nil {
		return nil
	}
	return &idpapi.SmsConfigurationType{SnsCallerArn: c.SNSCallerArn, ExternalId: c.ExternalID, SnsRegion: c.SNSRegion}
}

func userPoolAddOns(a *idpapi.UserPoolAddOnsType) *store.UserPoolAddOns {
	if a == nil {
		return nil
	}
	out := &store.UserPoolAddOns{AdvancedSecurityMode: a.AdvancedSecurityMode}
	if f := a.AdvancedSecurityAdditionalFlows; f != nil {
		out.AdvancedSecurityAdditionalFlows = &store.AdvancedSecurityAdditionalFlows{CustomAuthMode: f.CustomAuthMode}
	}
	return out
}

func wireUserPoolAddOns(a *store.UserPoolAddOns) *idpapi.UserPoolAddOnsType {
	if a == nil {
		return nil
	}
	out := &idpapi.UserPoolAddOnsType{AdvancedSecurityMode: a.AdvancedSecurityMode}
	if f := a.AdvancedSecurityAdditionalFlows; f != nil {
		out.AdvancedSecurityAdditionalFlows = &idpapi.AdvancedSecurityAdditionalFlowsType{CustomAuthMode: f.CustomAuthMode}
	}
	return out
}

func webAuthnConfiguration(c *idpapi.WebAuthnConfigurationType) *store.WebAuthnConfiguration {
	if c == nil {
		return nil
	}
	return &store.WebAuthnConfiguration{RelyingPartyID: c.RelyingPartyId, UserVerification: c.UserVerification,
		FactorConfiguration: c.FactorConfiguration}
}

func wireWebAuthnConfiguration(c *store.WebAuthnConfiguration) *idpapi.WebAuthnConfigurationType {
	if c == nil {
		return nil
	}
	return &idpapi.WebAuthnConfigurationType{RelyingPartyId: c.RelyingPartyID, UserVerification: c.UserVerification,
		FactorConfiguration: c.FactorConfiguration}
}

func analyticsConfiguration(c *idpapi.AnalyticsConfigurationType) *store.AnalyticsConfiguration {
	if c == nil {
		return nil
	}
	return &store.AnalyticsConfiguration{ApplicationID: c.ApplicationId, ApplicationArn: c.ApplicationArn,
		RoleArn: c.RoleArn, ExternalID: c.ExternalId, UserDataShared: derefBool(c.UserDataShared)}
}

// wireAnalyticsConfiguration renders a client's analytics configuration,
// UserDataShared included (false when it was not sent).
func wireAnalyticsConfiguration(c *store.AnalyticsConfiguration) *idpapi.AnalyticsConfigurationType {
	if c == nil {
		return nil
	}
	return &idpapi.AnalyticsConfigurationType{ApplicationId: c.ApplicationID, ApplicationArn: c.ApplicationArn,
		RoleArn: c.RoleArn, ExternalId: c.ExternalID, UserDataShared: boolp(c.UserDataShared)}
}
