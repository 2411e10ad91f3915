// Package iamapi is the wire layer of the part of AWS Identity and Access
// Management (iam, query protocol, API version 2010-05-08) that Cognate
// serves: roles and their inline policies, OpenID Connect and SAML
// providers, users' inline policies and the policy simulator. It is
// generated from the service model for the operations listed in the
// generate directive: a struct per shape, named as in the model, validators
// that word their errors as IAM does (ValidationError), the Service
// interface, the operation table that internal/wire/query serves, and the
// wire code and HTTP status of each of the model's errors.
//
// Serve it with:
//
//	h, err := query.NewHandler(query.Config{
//		Service:      "iam",
//		Version:      iamapi.Version,
//		Namespace:    iamapi.Namespace,
//		Operations:   iamapi.Operations(svc),
//		ErrorStatus:  iamapi.ErrorStatus,
//		Authenticate: verifySigV4,
//	})
package iamapi

//go:generate go run ../../tools/modelgen -service iam -pkg iamapi -out . -ops CreateRole,GetRole,ListRoles,DeleteRole,UpdateRole,UpdateAssumeRolePolicy,PutRolePolicy,GetRolePolicy,DeleteRolePolicy,ListRolePolicies,CreateOpenIDConnectProvider,GetOpenIDConnectProvider,ListOpenIDConnectProviders,DeleteOpenIDConnectProvider,AddClientIDToOpenIDConnectProvider,RemoveClientIDFromOpenIDConnectProvider,UpdateOpenIDConnectProviderThumbprint,CreateSAMLProvider,GetSAMLProvider,ListSAMLProviders,DeleteSAMLProvider,GetUser,PutUserPolicy,GetUserPolicy,ListUserPolicies,DeleteUserPolicy,SimulatePrincipalPolicy,SimulateCustomPolicy
