package idp

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/signin"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/userpool"
	"github.com/cognate-auth/cognate/internal/wire/idpapi"
)

// poolFields is the part of CreateUserPool and UpdateUserPool they share.
type poolFields struct {
	Policies                    *idpapi.UserPoolPolicyType
	DeletionProtection          string
	LambdaConfig                *idpapi.LambdaConfigType
	AutoVerifiedAttributes      []string
	SmsVerificationMessage      string
	EmailVerificationMessage    string
	EmailVerificationSubject    string
	VerificationMessageTemplate *idpapi.VerificationMessageTemplateType
	SmsAuthenticationMessage    string
	UserAttributeUpdateSettings *idpapi.UserAttributeUpdateSettingsType
	MfaConfiguration            string
	DeviceConfiguration         *idpapi.DeviceConfigurationType
	EmailConfiguration          *idpapi.EmailConfigurationType
	SmsConfiguration            *idpapi.SmsConfigurationType
	UserPoolTags                map[string]string
	AdminCreateUserConfig       *idpapi.AdminCreateUserConfigType
	UserPoolAddOns              *idpapi.UserPoolAddOnsType
	AccountRecoverySetting      *idpapi.AccountRecoverySettingType
	UserPoolTier                string
}

func (f poolFields) input(name string) userpool.PoolInput {
	st := store.PoolSettings{
		AutoVerifiedAttributes: f.AutoVerifiedAttributes,
		DeletionProtection:     f.DeletionProtection == "ACTIVE",
		MFAConfiguration:       f.MfaConfiguration,
		Tier:                   f.UserPoolTier,
		Messages: store.MessageTemplates{
			SMSVerificationMessage:   f.SmsVerificationMessage,
			EmailVerificationMessage: f.EmailVerificationMessage,
			EmailVerificationSubject: f.EmailVerificationSubject,
			SMSAuthenticationMessage: f.SmsAuthenticationMessage,
		},
	}
	if t := f.VerificationMessageTemplate; t != nil {
		m := &st.Messages
		m.SMSVerificationMessage = firstOf(t.SmsMessage, m.SMSVerificationMessage)
		m.EmailVerificationMessage = firstOf(t.EmailMessage, m.EmailVerificationMessage)
		m.EmailVerificationSubject = firstOf(t.EmailSubject, m.EmailVerificationSubject)
		m.EmailMessageByLink, m.EmailSubjectByLink, m.DefaultEmailOption = t.EmailMessageByLink, t.EmailSubjectByLink, t.DefaultEmailOption
	}
	if u := f.UserAttributeUpdateSettings; u != nil {
		st.AttributesRequireVerificationBeforeUpdate = u.AttributesRequireVerificationBeforeUpdate
	}
	if a := f.AdminCreateUserConfig; a != nil {
		st.AdminCreateUser.AllowAdminCreateUserOnly = derefBool(a.AllowAdminCreateUserOnly)
		st.AdminCreateUser.UnusedAccountValidityDays = int(deref32(a.UnusedAccountValidityDays))
		if t := a.InviteMessageTemplate; t != nil {
			st.AdminCreateUser.InviteEmailMessage, st.AdminCreateUser.InviteEmailSubject, st.AdminCreateUser.InviteSMSMessage = t.EmailMessage, t.EmailSubject, t.SMSMessage
		}
	}
	st.LambdaConfig = lambdaConfig(f.LambdaConfig)
	st.Devices = deviceSettings(f.DeviceConfiguration)
	st.EmailConfiguration = emailConfiguration(f.EmailConfiguration)
	st.SMSConfiguration = smsConfiguration(f.SmsConfiguration)
	st.Tags = f.UserPoolTags
	st.UserPoolAddOns = userPoolAddOns(f.UserPoolAddOns)
	if a := f.AccountRecoverySetting; a != nil {
		for _, o := range a.RecoveryMechanisms {
			st.AccountRecovery = append(st.AccountRecovery, store.RecoveryOption{Name: o.Name, Priority: int(deref32(o.Priority))})
		}
	}
	in := userpool.PoolInput{Name: name, Settings: st}
	if f.Policies != nil {
		if pp := f.Policies.PasswordPolicy; pp != nil {
			in.PasswordPolicy = &store.PasswordPolicy{
				MinimumLength:                 int(deref32(pp.MinimumLength)),
				RequireUppercase:              derefBool(pp.RequireUppercase),
				RequireLowercase:              derefBool(pp.RequireLowercase),
				RequireNumbers:                derefBool(pp.RequireNumbers),
				RequireSymbols:                derefBool(pp.RequireSymbols),
				PasswordHistorySize:           int(deref32(pp.PasswordHistorySize)),
				TemporaryPasswordValidityDays: int(deref32(pp.TemporaryPasswordValidityDays)),
			}
			if pp.TemporaryPasswordValidityDays == nil {
				in.PasswordPolicy.TemporaryPasswordValidityDays = userpool.DefaultPasswordPolicy().TemporaryPasswordValidityDays
			}
		}
		if sp := f.Policies.SignInPolicy; sp != nil {
			in.Settings.FirstAuthFactors = sp.AllowedFirstAuthFactors
		}
	}
	return in
}

// deviceSettings reads DeviceConfiguration. As in Cognito, a configuration
// that sets any member turns device tracking on; none, or an empty one,
// leaves it off.
func deviceSettings(c *idpapi.DeviceConfigurationType) *store.DeviceSettings {
	if c == nil || (c.ChallengeRequiredOnNewDevice == nil && c.DeviceOnlyRememberedOnUserPrompt == nil) {
		return nil
	}
	return &store.DeviceSettings{ChallengeRequiredOnNewDevice: derefBool(c.ChallengeRequiredOnNewDevice),
		DeviceOnlyRememberedOnUserPrompt: derefBool(c.DeviceOnlyRememberedOnUserPrompt)}
}

// wireDeviceConfiguration renders a pool's device settings; nil when it
// does not track devices, as DescribeUserPool returns it.
func wireDeviceConfiguration(d *store.DeviceSettings) *idpapi.DeviceConfigurationType {
	if d == nil {
		return nil
	}
	return &idpapi.DeviceConfigurationType{ChallengeRequiredOnNewDevice: boolp(d.ChallengeRequiredOnNewDevice),
		DeviceOnlyRememberedOnUserPrompt: boolp(d.DeviceOnlyRememberedOnUserPrompt)}
}

// regionOf is the region part of a pool id.
func regionOf(poolID string) string {
	region, _, _ := strings.Cut(poolID, "_")
	return region
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func schemaChanges(in []idpapi.SchemaAttributeType) ([]userpool.SchemaChange, error) {
	out := make([]userpool.SchemaChange, len(in))
	for i, a := range in {
		c := userpool.SchemaChange{Name: a.Name, DataType: a.AttributeDataType, DeveloperOnly: derefBool(a.DeveloperOnlyAttribute),
			Mutable: a.Mutable, Required: derefBool(a.Required)}
		var err error
		if s := a.StringAttributeConstraints; s != nil {
			if c.MinLength, err = optInt(s.MinLength, "MinLength"); err != nil {
				return nil, err
			}
			if c.MaxLength, err = optInt(s.MaxLength, "MaxLength"); err != nil {
				return nil, err
			}
		}
		if n := a.NumberAttributeConstraints; n != nil {
			if c.MinValue, err = optInt(n.MinValue, "MinValue"); err != nil {
				return nil, err
			}
			if c.MaxValue, err = optInt(n.MaxValue, "MaxValue"); err != nil {
				return nil, err
			}
		}
		out[i] = c
	}
	return out, nil
}

// optInt parses one of the model's integer-valued string members.
func optInt(v, name string) (*int64, error) {
	if v == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil, invalidParameter(fmt.Sprintf("%s must be an integer.", name))
	}
	return &n, nil
}

// CreateUserPool creates a pool.
func (h *Handlers) CreateUserPool(ctx context.Context, in *idpapi.CreateUserPoolRequest) (*idpapi.CreateUserPoolResponse, error) {
	f := poolFields{in.Policies, in.DeletionProtection, in.LambdaConfig, in.AutoVerifiedAttributes, in.SmsVerificationMessage,
		in.EmailVerificationMessage, in.EmailVerificationSubject, in.VerificationMessageTemplate, in.SmsAuthenticationMessage,
		in.UserAttributeUpdateSettings, in.MfaConfiguration, in.DeviceConfiguration, in.EmailConfiguration, in.SmsConfiguration,
		in.UserPoolTags, in.AdminCreateUserConfig, in.UserPoolAddOns, in.AccountRecoverySetting, in.UserPoolTier}
	pi := f.input(in.PoolName)
	pi.Settings.UsernameAttributes = in.UsernameAttributes
	pi.Settings.AliasAttributes = in.AliasAttributes
	if in.UsernameConfiguration != nil {
		pi.CaseSensitive = in.UsernameConfiguration.CaseSensitive
	}
	var err error
	if pi.Schema, err = schemaChanges(in.Schema); err != nil {
		return nil, err
	}
	p, err := h.Pools.CreatePool(ctx, h.region(ctx), pi)
	if err != nil {
		return nil, err
	}
	return &idpapi.CreateUserPoolResponse{UserPool: h.wirePool(p, 0)}, nil
}

// DescribeUserPool describes a pool.
func (h *Handlers) DescribeUserPool(ctx context.Context, in *idpapi.DescribeUserPoolRequest) (*idpapi.DescribeUserPoolResponse, error) {
	p, err := h.Pools.Pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	n, err := h.Pools.EstimatedUsers(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	out := h.wirePool(p, n)
	if err := h.setPoolDomains(ctx, out); err != nil {
		return nil, err
	}
	return &idpapi.DescribeUserPoolResponse{UserPool: out}, nil
}

// UpdateUserPool replaces a pool's mutable settings.
func (h *Handlers) UpdateUserPool(ctx context.Context, in *idpapi.UpdateUserPoolRequest) (*idpapi.UpdateUserPoolResponse, error) {
	f := poolFields{in.Policies, in.DeletionProtection, in.LambdaConfig, in.AutoVerifiedAttributes, in.SmsVerificationMessage,
		in.EmailVerificationMessage, in.EmailVerificationSubject, in.VerificationMessageTemplate, in.SmsAuthenticationMessage,
		in.UserAttributeUpdateSettings, in.MfaConfiguration, in.DeviceConfiguration, in.EmailConfiguration, in.SmsConfiguration,
		in.UserPoolTags, in.AdminCreateUserConfig, in.UserPoolAddOns, in.AccountRecoverySetting, in.UserPoolTier}
	if _, err := h.Pools.UpdatePool(ctx, in.UserPoolId, f.input(in.PoolName)); err != nil {
		return nil, err
	}
	return &idpapi.UpdateUserPoolResponse{}, nil
}

// DeleteUserPool deletes a pool.
func (h *Handlers) DeleteUserPool(ctx context.Context, in *idpapi.DeleteUserPoolRequest) (*idpapi.DeleteUserPoolResponse, error) {
	if err := h.Pools.DeletePool(ctx, in.UserPoolId); err != nil {
		return nil, err
	}
	return &idpapi.DeleteUserPoolResponse{}, nil
}

// ListUserPools lists pools.
func (h *Handlers) ListUserPools(ctx context.Context, in *idpapi.ListUserPoolsRequest) (*idpapi.ListUserPoolsResponse, error) {
	pools, next, err := h.Pools.ListPools(ctx, in.NextToken, int(deref32(in.MaxResults)))
	if err != nil {
		return nil, err
	}
	out := &idpapi.ListUserPoolsResponse{NextToken: next, UserPools: []idpapi.UserPoolDescriptionType{}}
	for _, p := range pools {
		out.UserPools = append(out.UserPools, idpapi.UserPoolDescriptionType{
			Id: p.ID, Name: p.Name, LambdaConfig: wireLambdaConfig(p.Settings.LambdaConfig),
			CreationDate: stamp(p.CreatedAt), LastModifiedDate: stamp(p.UpdatedAt),
		})
	}
	return out, nil
}

// AddCustomAttributes adds custom attributes to a pool.
func (h *Handlers) AddCustomAttributes(ctx context.Context, in *idpapi.AddCustomAttributesRequest) (*idpapi.AddCustomAttributesResponse, error) {
	changes, err := schemaChanges(in.CustomAttributes)
	if err != nil {
		return nil, err
	}
	if err := h.Pools.AddCustomAttributes(ctx, in.UserPoolId, changes); err != nil {
		return nil, err
	}
	return &idpapi.AddCustomAttributesResponse{}, nil
}

func (h *Handlers) wirePool(p store.Pool, users int64) *idpapi.UserPoolType {
	st := p.Settings
	pp := st.PasswordPolicy
	deletion := "INACTIVE"
	if st.DeletionProtection {
		deletion = "ACTIVE"
	}
	out := &idpapi.UserPoolType{
		Id: p.ID, Name: p.Name,
		Arn: fmt.Sprintf("arn:aws:cognito-idp:%s:%s:userpool/%s", regionOf(p.ID), h.AccountID, p.ID),
		Policies: &idpapi.UserPoolPolicyType{
			PasswordPolicy: &idpapi.PasswordPolicyType{
				MinimumLength: i32(int64(pp.MinimumLength)), RequireUppercase: boolp(pp.RequireUppercase),
				RequireLowercase: boolp(pp.RequireLowercase), RequireNumbers: boolp(pp.RequireNumbers),
				RequireSymbols: boolp(pp.RequireSymbols), TemporaryPasswordValidityDays: i32(int64(pp.TemporaryPasswordValidityDays)),
			},
			SignInPolicy: &idpapi.SignInPolicyType{AllowedFirstAuthFactors: signin.AllowedFirstFactors(p)},
		},
		DeletionProtection:       deletion,
		LambdaConfig:             wireLambdaConfig(st.LambdaConfig),
		LastModifiedDate:         stamp(p.UpdatedAt),
		CreationDate:             stamp(p.CreatedAt),
		AutoVerifiedAttributes:   st.AutoVerifiedAttributes,
		AliasAttributes:          st.AliasAttributes,
		UsernameAttributes:       st.UsernameAttributes,
		SmsVerificationMessage:   st.Messages.SMSVerificationMessage,
		EmailVerificationMessage: st.Messages.EmailVerificationMessage,
		EmailVerificationSubject: st.Messages.EmailVerificationSubject,
		SmsAuthenticationMessage: st.Messages.SMSAuthenticationMessage,
		VerificationMessageTemplate: &idpapi.VerificationMessageTemplateType{
			SmsMessage: st.Messages.SMSVerificationMessage, EmailMessage: st.Messages.EmailVerificationMessage,
			EmailSubject: st.Messages.EmailVerificationSubject, EmailMessageByLink: st.Messages.EmailMessageByLink,
			EmailSubjectByLink: st.Messages.EmailSubjectByLink, DefaultEmailOption: firstOf(st.Messages.DefaultEmailOption, "CONFIRM_WITH_CODE"),
		},
		MfaConfiguration:       st.MFAConfiguration,
		EstimatedNumberOfUsers: i32(users),
		DeviceConfiguration:    wireDeviceConfiguration(userpool.DeviceSettingsOf(p)),
		EmailConfiguration:     wireEmailConfiguration(st.EmailConfiguration),
		SmsConfiguration:       wireSMSConfiguration(st.SMSConfiguration),
		UserPoolTags:           st.Tags,
		AdminCreateUserConfig: &idpapi.AdminCreateUserConfigType{
			AllowAdminCreateUserOnly:  boolp(st.AdminCreateUser.AllowAdminCreateUserOnly),
			UnusedAccountValidityDays: i32(int64(st.AdminCreateUser.UnusedAccountValidityDays)),
		},
		UserPoolAddOns:         wireUserPoolAddOns(st.UserPoolAddOns),
		UsernameConfiguration:  &idpapi.UsernameConfigurationType{CaseSensitive: boolp(st.CaseSensitive)},
		AccountRecoverySetting: wireRecovery(st.AccountRecovery),
		UserPoolTier:           st.Tier,
	}
	if a := st.AdminCreateUser; a.InviteEmailMessage != "" || a.InviteEmailSubject != "" || a.InviteSMSMessage != "" {
		out.AdminCreateUserConfig.InviteMessageTemplate = &idpapi.MessageTemplateType{EmailMessage: a.InviteEmailMessage, EmailSubject: a.InviteEmailSubject, SMSMessage: a.InviteSMSMessage}
	}
	if len(st.AttributesRequireVerificationBeforeUpdate) > 0 {
		out.UserAttributeUpdateSettings = &idpapi.UserAttributeUpdateSettingsType{AttributesRequireVerificationBeforeUpdate: st.AttributesRequireVerificationBeforeUpdate}
	}
	for _, a := range st.Schema {
		out.SchemaAttributes = append(out.SchemaAttributes, wireSchemaAttribute(a))
	}
	return out
}

func wireSchemaAttribute(a store.SchemaAttribute) idpapi.SchemaAttributeType {
	out := idpapi.SchemaAttributeType{Name: a.Name, AttributeDataType: a.DataType, DeveloperOnlyAttribute: boolp(a.DeveloperOnly),
		Mutable: boolp(a.Mutable), Required: boolp(a.Required)}
	itoa := func(p *int64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	}
	if a.HasStringConstraints {
		out.StringAttributeConstraints = &idpapi.StringAttributeConstraintsType{MinLength: itoa(a.MinLength), MaxLength: itoa(a.MaxLength)}
	}
	if a.HasNumberConstraints {
		out.NumberAttributeConstraints = &idpapi.NumberAttributeConstraintsType{MinValue: itoa(a.MinValue), MaxValue: itoa(a.MaxValue)}
	}
	return out
}

func invalidParameter(msg string) error { return apierr.New(apierr.InvalidParameter, msg) }

// wireRecovery renders a pool's account recovery mechanisms; nil when the
// pool has none, as Cognito leaves the member out.
func wireRecovery(opts []store.RecoveryOption) *idpapi.AccountRecoverySettingType {
	if len(opts) == 0 {
		return nil
	}
	out := &idpapi.AccountRecoverySettingType{}
	for _, o := range opts {
		out.RecoveryMechanisms = append(out.RecoveryMechanisms, idpapi.RecoveryOptionType{Name: o.Name, Priority: i32(int64(o.Priority))})
	}
	return out
}
