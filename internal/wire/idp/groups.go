package idp

import (
	"context"

	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/userpool"
	"github.com/cognate-auth/cognate/internal/wire/idpapi"
)

// groupInput translates the members CreateGroup and UpdateGroup share. An
// empty Description cannot be told from an absent one and counts as not
// sent; an empty RoleArn fails the model's minimum length before this.
func groupInput(poolID, name, description, roleARN string, precedence *int32) userpool.GroupInput {
	in := userpool.GroupInput{PoolID: poolID, Name: name}
	if description != "" {
		in.Description = &description
	}
	if roleARN != "" {
		in.RoleARN = &roleARN
	}
	if precedence != nil {
		p := int64(*precedence)
		in.Precedence = &p
	}
	return in
}

func wireGroup(g store.Group) *idpapi.GroupType {
	out := &idpapi.GroupType{GroupName: g.Name, UserPoolId: g.PoolID, Description: g.Description, RoleArn: g.RoleARN,
		LastModifiedDate: stamp(g.UpdatedAt), CreationDate: stamp(g.CreatedAt)}
	if g.Precedence != nil {
		out.Precedence = i32(*g.Precedence)
	}
	return out
}

func wireGroups(gs []store.Group) []idpapi.GroupType {
	out := make([]idpapi.GroupType, len(gs))
	for i, g := range gs {
		out[i] = *wireGroup(g)
	}
	return out
}

// pageLimit is a list request's Limit, 60 (the model's maximum) when absent
// or 0.
func pageLimit(limit *int32) int {
	if n := int(deref32(limit)); n > 0 {
		return n
	}
	return 60
}

// CreateGroup creates a group.
func (h *Handlers) CreateGroup(ctx context.Context, in *idpapi.CreateGroupRequest) (*idpapi.CreateGroupResponse, error) {
	g, err := h.Pools.CreateGroup(ctx, groupInput(in.UserPoolId, in.GroupName, in.Description, in.RoleArn, in.Precedence))
	if err != nil {
		return nil, err
	}
	return &idpapi.CreateGroupResponse{Group: wireGroup(g)}, nil
}

// GetGroup describes a group.
func (h *Handlers) GetGroup(ctx context.Context, in *idpapi.GetGroupRequest) (*idpapi.GetGroupResponse, error) {
	g, err := h.Pools.Group(ctx, in.UserPoolId, in.GroupName)
	if err != nil {
		return nil, err
	}
	return &idpapi.GetGroupResponse{Group: wireGroup(g)}, nil
}

// UpdateGroup changes the members of a group that are sent.
func (h *Handlers) UpdateGroup(ctx context.Context, in *idpapi.UpdateGroupRequest) (*idpapi.UpdateGroupResponse, error) {
	g, err := h.Pools.UpdateGroup(ctx, groupInput(in.UserPoolId, in.GroupName, in.Description, in.RoleArn, in.Precedence))
	if err != nil {
		return nil, err
	}
	return &idpapi.UpdateGroupResponse{Group: wireGroup(g)}, nil
}

// DeleteGroup deletes a group.
func (h *Handlers) DeleteGroup(ctx context.Context, in *idpapi.DeleteGroupRequest) (*idpapi.DeleteGroupResponse, error) {
	if err := h.Pools.DeleteGroup(ctx, in.UserPoolId, in.GroupName); err != nil {
		return nil, err
	}
	return &idpapi.DeleteGroupResponse{}, nil
}

// ListGroups lists a pool's groups.
func (h *Handlers) ListGroups(ctx context.Context, in *idpapi.ListGroupsRequest) (*idpapi.ListGroupsResponse, error) {
	gs, next, err := h.Pools.ListGroups(ctx, in.UserPoolId, in.NextToken, pageLimit(in.Limit))
	if err != nil {
		return nil, err
	}
	return &idpapi.ListGroupsResponse{Groups: wireGroups(gs), NextToken: next}, nil
}

// AdminAddUserToGroup adds a user to a group.
func (h *Handlers) AdminAddUserToGroup(ctx context.Context, in *idpapi.AdminAddUserToGroupRequest) (*idpapi.AdminAddUserToGroupResponse, error) {
	if err := h.Pools.AdminAddUserToGroup(ctx, in.UserPoolId, in.Username, in.GroupName); err != nil {
		return nil, err
	}
	return &idpapi.AdminAddUserToGroupResponse{}, nil
}

// AdminRemoveUserFromGroup removes a user from a group.
func (h *Handlers) AdminRemoveUserFromGroup(ctx context.Context, in *idpapi.AdminRemoveUserFromGroupRequest) (*idpapi.AdminRemoveUserFromGroupResponse, error) {
	if err := h.Pools.AdminRemoveUserFromGroup(ctx, in.UserPoolId, in.Username, in.GroupName); err != nil {
		return nil, err
	}
	return &idpapi.AdminRemoveUserFromGroupResponse{}, nil
}

// AdminListGroupsForUser lists a user's groups.
func (h *Handlers) AdminListGroupsForUser(ctx context.Context, in *idpapi.AdminListGroupsForUserRequest) (*idpapi.AdminListGroupsForUserResponse, error) {
	gs, next, err := h.Pools.AdminListGroupsForUser(ctx, in.UserPoolId, in.Username, in.NextToken, pageLimit(in.Limit))
	if err != nil {
		return nil, err
	}
	return &idpapi.AdminListGroupsForUserResponse{Groups: wireGroups(gs), NextToken: next}, nil
}

// ListUsersInGroup lists a group's members as ListUsers renders users.
func (h *Handlers) ListUsersInGroup(ctx context.Context, in *idpapi.ListUsersInGroupRequest) (*idpapi.ListUsersInGroupResponse, error) {
	users, next, err := h.Pools.ListUsersInGroup(ctx, in.UserPoolId, in.GroupName, in.NextToken, pageLimit(in.Limit))
	if err != nil {
		return nil, err
	}
	out := &idpapi.ListUsersInGroupResponse{Users: []idpapi.UserType{}, NextToken: next}
	for _, u := range users {
		out.Users = append(out.Users, *wireUser(u.User, u.Attributes))
	}
	return out, nil
}
