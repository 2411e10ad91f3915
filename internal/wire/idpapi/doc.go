// Package idpapi is the wire layer of Amazon Cognito user pools
// (cognito-idp, X-Amz-Target prefix AWSCognitoIdentityProviderService),
// generated from the service model: a struct per shape, named as in the
// model, validators that word their errors as AWS does, the Service
// interface with one method per operation, the operation table that
// internal/wire/awsjson serves, and the HTTP status the model gives each
// exception.
//
// Serve it with:
//
//	h, err := awsjson.NewHandler(awsjson.Config{
//		TargetPrefix: idpapi.TargetPrefix,
//		Operations:      idpapi.Operations(svc),
//		ExceptionStatus: idpapi.ExceptionStatus,
//		Authenticate:    verifySigV4,
//	})
package idpapi

//go:generate go run ../../tools/modelgen -service cognito-idp -pkg idpapi -out . -sdk-module github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider
