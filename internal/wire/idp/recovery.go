package idp

import (
	"context"

	"github.com/cognate-auth/cognate/internal/userpool"
	"github.com/cognate-auth/cognate/internal/wire/idpapi"
)

// ForgotPassword sends a password-reset code.
func (h *Handlers) ForgotPassword(ctx context.Context, in *idpapi.ForgotPasswordRequest) (*idpapi.ForgotPasswordResponse, error) {
	d, err := h.Pools.ForgotPassword(ctx, userpool.ForgotPasswordInput{ClientID: in.ClientId, SecretHash: in.SecretHash, Username: in.Username,
		ClientMetadata: in.ClientMetadata})
	if err != nil {
		return nil, err
	}
	return &idpapi.ForgotPasswordResponse{CodeDeliveryDetails: wireDelivery(&d)}, nil
}

// ConfirmForgotPassword sets a new password with a reset code.
func (h *Handlers) ConfirmForgotPassword(ctx context.Context, in *idpapi.ConfirmForgotPasswordRequest) (*idpapi.ConfirmForgotPasswordResponse, error) {
	err := h.Pools.ConfirmForgotPassword(ctx, userpool.ConfirmForgotPasswordInput{ClientID: in.ClientId, SecretHash: in.SecretHash,
		Username: in.Username, Code: in.ConfirmationCode, Password: in.Password, ClientMetadata: in.ClientMetadata})
	if err != nil {
		return nil, err
	}
	return &idpapi.ConfirmForgotPasswordResponse{}, nil
}

// AdminResetUserPassword invalidates a user's password and sends a reset code.
func (h *Handlers) AdminResetUserPassword(ctx context.Context, in *idpapi.AdminResetUserPasswordRequest) (*idpapi.AdminResetUserPasswordResponse, error) {
	if err := h.Pools.AdminResetUserPassword(ctx, in.UserPoolId, in.Username, in.ClientMetadata); err != nil {
		return nil, err
	}
	return &idpapi.AdminResetUserPasswordResponse{}, nil
}
