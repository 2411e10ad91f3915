// Package identityapi is the wire layer of Amazon Cognito identity pools
// (cognito-identity, X-Amz-Target prefix AWSCognitoIdentityService),
// generated from the service model exactly as idpapi is for user pools: a
// struct per shape, validators worded as AWS words them, the Service
// interface with one method per operation, the operation table that
// internal/wire/awsjson serves, and the HTTP status of each exception.
//
// GetId, GetCredentialsForIdentity, GetOpenIdToken and UnlinkIdentity are
// unsigned in the model (the calls a browser makes before it has
// credentials); every other operation is signed.
package identityapi

//go:generate go run ../../tools/modelgen -service cognito-identity -pkg identityapi -out . -sdk-module github.com/aws/aws-sdk-go-v2/service/cognitoidentity
