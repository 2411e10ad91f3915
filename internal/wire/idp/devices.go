package idp

import (
	"context"
	"fmt"

	"github.com/cognate-auth/cognate/internal/userpool"
	"github.com/cognate-auth/cognate/internal/wire/idpapi"
)

// ConfirmDevice registers the device a sign-in was bound to.
func (h *Handlers) ConfirmDevice(ctx context.Context, in *idpapi.ConfirmDeviceRequest) (*idpapi.ConfirmDeviceResponse, error) {
	ci := userpool.ConfirmDeviceInput{AccessToken: in.AccessToken, DeviceKey: in.DeviceKey, DeviceName: in.DeviceName}
	if v := in.DeviceSecretVerifierConfig; v != nil {
		ci.Verifier = &userpool.DeviceVerifierConfig{PasswordVerifier: v.PasswordVerifier, Salt: v.Salt}
	}
	necessary, err := h.Pools.ConfirmDevice(ctx, ci)
	if err != nil {
		return nil, err
	}
	return &idpapi.ConfirmDeviceResponse{UserConfirmationNecessary: boolp(necessary)}, nil
}

// GetDevice describes one of the caller's remembered devices.
func (h *Handlers) GetDevice(ctx context.Context, in *idpapi.GetDeviceRequest) (*idpapi.GetDeviceResponse, error) {
	d, err := h.Pools.GetDevice(ctx, in.AccessToken, in.DeviceKey)
	if err != nil {
		return nil, err
	}
	out := h.wireDevice(d)
	return &idpapi.GetDeviceResponse{Device: &out}, nil
}

// AdminGetDevice describes one of a user's devices.
func (h *Handlers) AdminGetDevice(ctx context.Context, in *idpapi.AdminGetDeviceRequest) (*idpapi.AdminGetDeviceResponse, error) {
	d, err := h.Pools.AdminGetDevice(ctx, in.UserPoolId, in.Username, in.DeviceKey)
	if err != nil {
		return nil, err
	}
	out := h.wireDevice(d)
	return &idpapi.AdminGetDeviceResponse{Device: &out}, nil
}

// ListDevices lists the caller's remembered devices.
func (h *Handlers) ListDevices(ctx context.Context, in *idpapi.ListDevicesRequest) (*idpapi.ListDevicesResponse, error) {
	ds, next, err := h.Pools.ListDevices(ctx, in.AccessToken, int(deref32(in.Limit)), in.PaginationToken)
	if err != nil {
		return nil, err
	}
	return &idpapi.ListDevicesResponse{Devices: h.wireDevices(ds), PaginationToken: next}, nil
}

// AdminListDevices lists a user's devices.
func (h *Handlers) AdminListDevices(ctx context.Context, in *idpapi.AdminListDevicesRequest) (*idpapi.AdminListDevicesResponse, error) {
	ds, next, err := h.Pools.AdminListDevices(ctx, in.UserPoolId, in.Username, int(deref32(in.Limit)), in.PaginationToken)
	if err != nil {
		return nil, err
	}
	return &idpapi.AdminListDevicesResponse{Devices: h.wireDevices(ds), PaginationToken: next}, nil
}

// UpdateDeviceStatus remembers or stops remembering one of the caller's
// devices.
func (h *Handlers) UpdateDeviceStatus(ctx context.Context, in *idpapi.UpdateDeviceStatusRequest) (*idpapi.UpdateDeviceStatusResponse, error) {
	if err := h.Pools.UpdateDeviceStatus(ctx, in.AccessToken, in.DeviceKey, in.DeviceRememberedStatus); err != nil {
		return nil, err
	}
	return &idpapi.UpdateDeviceStatusResponse{}, nil
}

// AdminUpdateDeviceStatus remembers or stops remembering one of a user's
// devices.
func (h *Handlers) AdminUpdateDeviceStatus(ctx context.Context, in *idpapi.AdminUpdateDeviceStatusRequest) (*idpapi.AdminUpdateDeviceStatusResponse, error) {
	if err := h.Pools.AdminUpdateDeviceStatus(ctx, in.UserPoolId, in.Username, in.DeviceKey, in.DeviceRememberedStatus); err != nil {
		return nil, err
	}
	return &idpapi.AdminUpdateDeviceStatusResponse{}, nil
}

// ForgetDevice deletes one of the caller's devices.
func (h *Handlers) ForgetDevice(ctx context.Context, in *idpapi.ForgetDeviceRequest) (*idpapi.ForgetDeviceResponse, error) {
	if err := h.Pools.ForgetDevice(ctx, in.AccessToken, in.DeviceKey); err != nil {
		return nil, err
	}
	return &idpapi.ForgetDeviceResponse{}, nil
}

// AdminForgetDevice deletes one of a user's devices.
func (h *Handlers) AdminForgetDevice(ctx context.Context, in *idpapi.AdminForgetDeviceRequest) (*idpapi.AdminForgetDeviceResponse, error) {
	if err := h.Pools.AdminForgetDevice(ctx, in.UserPoolId, in.Username, in.DeviceKey); err != nil {
		return nil, err
	}
	return &idpapi.AdminForgetDeviceResponse{}, nil
}

func (h *Handlers) wireDevices(ds []userpool.Device) []idpapi.DeviceType {
	out := make([]idpapi.DeviceType, len(ds))
	for i, d := range ds {
		out[i] = h.wireDevice(d)
	}
	return out
}

// wireDevice renders a device with the attributes Cognito gives it, in
// Cognito's order: device_status (always "valid"), device_name,
// dev:device_arn, dev:device_owner ("<username>.<pool id>"), last_ip_used
// and dev:device_remembered_status. Cognito's dev:device_sdk, which names
// the client library, is left out: Cognate does not know it.
func (h *Handlers) wireDevice(d userpool.Device) idpapi.DeviceType {
	owner := d.Username + "." + d.PoolID
	attrs := []idpapi.AttributeType{{Name: "device_status", Value: "valid"}}
	if d.Name != "" {
		attrs = append(attrs, idpapi.AttributeType{Name: "device_name", Value: d.Name})
	}
	attrs = append(attrs,
		idpapi.AttributeType{Name: "dev:device_arn", Value: fmt.Sprintf("arn:aws:cognito-idp:%s:%s:owner/%s/device/%s",
			regionOf(d.PoolID), h.AccountID, owner, d.Key)},
		idpapi.AttributeType{Name: "dev:device_owner", Value: owner})
	if d.LastIP != "" {
		attrs = append(attrs, idpapi.AttributeType{Name: "last_ip_used", Value: d.LastIP})
	}
	status := userpool.DeviceNotRemembered
	if d.Remembered {
		status = userpool.DeviceRemembered
	}
	attrs = append(attrs, idpapi.AttributeType{Name: "dev:device_remembered_status", Value: status})
	return idpapi.DeviceType{DeviceKey: d.Key, DeviceAttributes: attrs, DeviceCreateDate: stamp(d.CreatedAt),
		DeviceLastModifiedDate: stamp(d.UpdatedAt), DeviceLastAuthenticatedDate: stamp(d.LastAuthenticatedAt)}
}
