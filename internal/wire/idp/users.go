package idp

import (
	"context"

	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/userpool"
	"github.com/cognate-auth/cognate/internal/wire/idpapi"
)

func wireDelivery(d *userpool.CodeDelivery) *idpapi.CodeDeliveryDetailsType {
	if d == nil {
		return nil
	}
	return &idpapi.CodeDeliveryDetailsType{Destination: d.Destination, DeliveryMedium: d.DeliveryMedium, AttributeName: d.AttributeName}
}

// SignUp registers a user.
func (h *Handlers) SignUp(ctx context.Context, in *idpapi.SignUpRequest) (*idpapi.SignUpResponse, error) {
	if in.Password == "" {
		return nil, invalidParameter("Password is required for sign-up by Cognate.")
	}
	res, err := h.Pools.SignUp(ctx, userpool.SignUpInput{ClientID: in.ClientId, SecretHash: in.SecretHash,
		Username: in.Username, Password: in.Password, Attributes: attributes(in.UserAttributes),
		ValidationData: attributeMap(in.ValidationData), ClientMetadata: in.ClientMetadata})
	if err != nil {
		return nil, err
	}
	return &idpapi.SignUpResponse{UserConfirmed: boolp(res.Confirmed), UserSub: res.UserSub, CodeDeliveryDetails: wireDelivery(res.Delivery)}, nil
}

// ConfirmSignUp confirms a user with a code.
func (h *Handlers) ConfirmSignUp(ctx context.Context, in *idpapi.ConfirmSignUpRequest) (*idpapi.ConfirmSignUpResponse, error) {
	err := h.Pools.ConfirmSignUp(ctx, userpool.ConfirmSignUpInput{ClientID: in.ClientId, SecretHash: in.SecretHash,
		Username: in.Username, Code: in.ConfirmationCode, ForceAliasCreation: derefBool(in.ForceAliasCreation), ClientMetadata: in.ClientMetadata})
	if err != nil {
		return nil, err
	}
	return &idpapi.ConfirmSignUpResponse{}, nil
}

// ResendConfirmationCode sends a new sign-up code.
func (h *Handlers) ResendConfirmationCode(ctx context.Context, in *idpapi.ResendConfirmationCodeRequest) (*idpapi.ResendConfirmationCodeResponse, error) {
	d, err := h.Pools.ResendConfirmationCode(ctx, in.ClientId, in.SecretHash, in.Username, in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	return &idpapi.ResendConfirmationCodeResponse{CodeDeliveryDetails: wireDelivery(&d)}, nil
}

// AdminConfirmSignUp confirms a user without a code.
func (h *Handlers) AdminConfirmSignUp(ctx context.Context, in *idpapi.AdminConfirmSignUpRequest) (*idpapi.AdminConfirmSignUpResponse, error) {
	if err := h.Pools.AdminConfirmSignUp(ctx, in.UserPoolId, in.Username, in.ClientMetadata); err != nil {
		return nil, err
	}
	return &idpapi.AdminConfirmSignUpResponse{}, nil
}

// GetUser returns the caller's attributes.
func (h *Handlers) GetUser(ctx context.Context, in *idpapi.GetUserRequest) (*idpapi.GetUserResponse, error) {
	u, attrs, err := h.Pools.GetUser(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	list, preferred, options := userMFA(u)
	return &idpapi.GetUserResponse{Username: u.Username, UserAttributes: wireAttributes(attrs),
		UserMFASettingList: list, PreferredMfaSetting: preferred, MFAOptions: options}, nil
}

// DeleteUser deletes the caller.
func (h *Handlers) DeleteUser(ctx context.Context, in *idpapi.DeleteUserRequest) (*idpapi.DeleteUserResponse, error) {
	if err := h.Pools.DeleteUser(ctx, in.AccessToken); err != nil {
		return nil, err
	}
	return &idpapi.DeleteUserResponse{}, nil
}

// GlobalSignOut revokes every sign-in of the caller.
func (h *Handlers) GlobalSignOut(ctx context.Context, in *idpapi.GlobalSignOutRequest) (*idpapi.GlobalSignOutResponse, error) {
	if err := h.Pools.GlobalSignOut(ctx, in.AccessToken); err != nil {
		return nil, err
	}
	return &idpapi.GlobalSignOutResponse{}, nil
}

func wireUser(u store.User, attrs []userpool.Attribute) *idpapi.UserType {
	return &idpapi.UserType{Username: u.Username, Attributes: wireAttributes(attrs), UserCreateDate: stamp(u.CreatedAt),
		UserLastModifiedDate: stamp(u.UpdatedAt), Enabled: boolp(u.Enabled), UserStatus: u.Status}
}

// AdminCreateUser creates a user with a temporary password.
func (h *Handlers) AdminCreateUser(ctx context.Context, in *idpapi.AdminCreateUserRequest) (*idpapi.AdminCreateUserResponse, error) {
	u, err := h.Pools.AdminCreateUser(ctx, userpool.AdminCreateUserInput{PoolID: in.UserPoolId, Username: in.Username,
		Attributes: attributes(in.UserAttributes), TemporaryPassword: in.TemporaryPassword,
		ForceAliasCreation: derefBool(in.ForceAliasCreation), MessageAction: in.MessageAction, DeliveryMediums: in.DesiredDeliveryMediums,
		ValidationData: attributeMap(in.ValidationData), ClientMetadata: in.ClientMetadata})
	if err != nil {
		return nil, err
	}
	_, attrs, err := h.Pools.AdminGetUser(ctx, in.UserPoolId, u.Username)
	if err != nil {
		return nil, err
	}
	return &idpapi.AdminCreateUserResponse{User: wireUser(u, attrs)}, nil
}

// AdminGetUser describes a user.
func (h *Handlers) AdminGetUser(ctx context.Context, in *idpapi.AdminGetUserRequest) (*idpapi.AdminGetUserResponse, error) {
	u, attrs, err := h.Pools.AdminGetUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	list, preferred, options := userMFA(u)
	return &idpapi.AdminGetUserResponse{Username: u.Username, UserAttributes: wireAttributes(attrs), UserCreateDate: stamp(u.CreatedAt),
		UserLastModifiedDate: stamp(u.UpdatedAt), Enabled: boolp(u.Enabled), UserStatus: u.Status,
		UserMFASettingList: list, PreferredMfaSetting: preferred, MFAOptions: options}, nil
}

// AdminDeleteUser deletes a user.
func (h *Handlers) AdminDeleteUser(ctx context.Context, in *idpapi.AdminDeleteUserRequest) (*idpapi.AdminDeleteUserResponse, error) {
	if err := h.Pools.AdminDeleteUser(ctx, in.UserPoolId, in.Username); err != nil {
		return nil, err
	}
	return &idpapi.AdminDeleteUserResponse{}, nil
}

// AdminSetUserPassword sets a user's password.
func (h *Handlers) AdminSetUserPassword(ctx context.Context, in *idpapi.AdminSetUserPasswordRequest) (*idpapi.AdminSetUserPasswordResponse, error) {
	if err := h.Pools.AdminSetUserPassword(ctx, in.UserPoolId, in.Username, in.Password, derefBool(in.Permanent)); err != nil {
		return nil, err
	}
	return &idpapi.AdminSetUserPasswordResponse{}, nil
}

// AdminDisableUser disables a user and revokes its sign-ins.
func (h *Handlers) AdminDisableUser(ctx context.Context, in *idpapi.AdminDisableUserRequest) (*idpapi.AdminDisableUserResponse, error) {
	if err := h.Pools.AdminSetEnabled(ctx, in.UserPoolId, in.Username, false); err != nil {
		return nil, err
	}
	return &idpapi.AdminDisableUserResponse{}, nil
}

// AdminEnableUser enables a user.
func (h *Handlers) AdminEnableUser(ctx context.Context, in *idpapi.AdminEnableUserRequest) (*idpapi.AdminEnableUserResponse, error) {
	if err := h.Pools.AdminSetEnabled(ctx, in.UserPoolId, in.Username, true); err != nil {
		return nil, err
	}
	return &idpapi.AdminEnableUserResponse{}, nil
}

// AdminUserGlobalSignOut revokes every sign-in of a user.
func (h *Handlers) AdminUserGlobalSignOut(ctx context.Context, in *idpapi.AdminUserGlobalSignOutRequest) (*idpapi.AdminUserGlobalSignOutResponse, error) {
	if err := h.Pools.AdminUserGlobalSignOut(ctx, in.UserPoolId, in.Username); err != nil {
		return nil, err
	}
	return &idpapi.AdminUserGlobalSignOutResponse{}, nil
}

// AdminUpdateUserAttributes sets a user's attributes.
func (h *Handlers) AdminUpdateUserAttributes(ctx context.Context, in *idpapi.AdminUpdateUserAttributesRequest) (*idpapi.AdminUpdateUserAttributesResponse, error) {
	if err := h.Pools.AdminUpdateUserAttributes(ctx, in.UserPoolId, in.Username, attributes(in.UserAttributes), in.ClientMetadata); err != nil {
		return nil, err
	}
	return &idpapi.AdminUpdateUserAttributesResponse{}, nil
}

// AdminDeleteUserAttributes removes attributes of a user.
func (h *Handlers) AdminDeleteUserAttributes(ctx context.Context, in *idpapi.AdminDeleteUserAttributesRequest) (*idpapi.AdminDeleteUserAttributesResponse, error) {
	if err := h.Pools.AdminDeleteUserAttributes(ctx, in.UserPoolId, in.Username, in.UserAttributeNames); err != nil {
		return nil, err
	}
	return &idpapi.AdminDeleteUserAttributesResponse{}, nil
}

// DeleteUserAttributes removes attributes of the caller.
func (h *Handlers) DeleteUserAttributes(ctx context.Context, in *idpapi.DeleteUserAttributesRequest) (*idpapi.DeleteUserAttributesResponse, error) {
	if err := h.Pools.DeleteUserAttributes(ctx, in.AccessToken, in.UserAttributeNames); err != nil {
		return nil, err
	}
	return &idpapi.DeleteUserAttributesResponse{}, nil
}

// ListUsers lists a pool's users.
func (h *Handlers) ListUsers(ctx context.Context, in *idpapi.ListUsersRequest) (*idpapi.ListUsersResponse, error) {
	filter, err := userpool.ParseFilter(in.Filter)
	if err != nil {
		return nil, err
	}
	limit := int(deref32(in.Limit))
	if limit == 0 {
		limit = 60
	}
	users, next, err := h.Pools.ListUsers(ctx, userpool.ListUsersInput{PoolID: in.UserPoolId, Filter: filter,
		Attributes: in.AttributesToGet, After: in.PaginationToken, Limit: limit})
	if err != nil {
		return nil, err
	}
	out := &idpapi.ListUsersResponse{PaginationToken: next, Users: []idpapi.UserType{}}
	for _, u := range users {
		out.Users = append(out.Users, *wireUser(u.User, u.Attributes))
	}
	return out, nil
}

// UpdateUserAttributes sets the caller's attributes.
func (h *Handlers) UpdateUserAttributes(ctx context.Context, in *idpapi.UpdateUserAttributesRequest) (*idpapi.UpdateUserAttributesResponse, error) {
	ds, err := h.Pools.UpdateUserAttributes(ctx, in.AccessToken, attributes(in.UserAttributes), in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	out := &idpapi.UpdateUserAttributesResponse{}
	for _, d := range ds {
		out.CodeDeliveryDetailsList = append(out.CodeDeliveryDetailsList, *wireDelivery(&d))
	}
	return out, nil
}

// GetUserAttributeVerificationCode sends a code to verify an attribute.
func (h *Handlers) GetUserAttributeVerificationCode(ctx context.Context, in *idpapi.GetUserAttributeVerificationCodeRequest) (*idpapi.GetUserAttributeVerificationCodeResponse, error) {
	d, err := h.Pools.GetUserAttributeVerificationCode(ctx, in.AccessToken, in.AttributeName, in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	return &idpapi.GetUserAttributeVerificationCodeResponse{CodeDeliveryDetails: wireDelivery(&d)}, nil
}

// VerifyUserAttribute verifies an attribute with a code.
func (h *Handlers) VerifyUserAttribute(ctx context.Context, in *idpapi.VerifyUserAttributeRequest) (*idpapi.VerifyUserAttributeResponse, error) {
	if err := h.Pools.VerifyUserAttribute(ctx, in.AccessToken, in.AttributeName, in.Code); err != nil {
		return nil, err
	}
	return &idpapi.VerifyUserAttributeResponse{}, nil
}

// ChangePassword changes the caller's password.
func (h *Handlers) ChangePassword(ctx context.Context, in *idpapi.ChangePasswordRequest) (*idpapi.ChangePasswordResponse, error) {
	if err := h.Pools.ChangePassword(ctx, in.AccessToken, in.PreviousPassword, in.ProposedPassword); err != nil {
		return nil, err
	}
	return &idpapi.ChangePasswordResponse{}, nil
}

// GetUserAuthFactors lists the caller's first factors and MFA settings.
func (h *Handlers) GetUserAuthFactors(ctx context.Context, in *idpapi.GetUserAuthFactorsRequest) (*idpapi.GetUserAuthFactorsResponse, error) {
	u, factors, err := h.Pools.UserAuthFactors(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	list, preferred, _ := userMFA(u)
	return &idpapi.GetUserAuthFactorsResponse{Username: u.Username, ConfiguredUserAuthFactors: factors,
		UserMFASettingList: list, PreferredMfaSetting: preferred}, nil
}
