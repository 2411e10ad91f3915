// Package stsapi is the wire layer of the part of AWS Security Token
// Service (sts, query protocol, API version 2011-06-15) that Cognate serves:
// AssumeRoleWithWebIdentity, which the model marks unsigned (the call a
// browser makes with only an OpenID token), and GetCallerIdentity. It is
// generated from the service model exactly as iamapi is: a struct per shape,
// validators worded as STS words them, the Service interface, the operation
// table that internal/wire/query serves, and the wire code and HTTP status
// of each of the model's errors.
package stsapi

//go:generate go run ../../tools/modelgen -service sts -pkg stsapi -out . -ops AssumeRoleWithWebIdentity,GetCallerIdentity
