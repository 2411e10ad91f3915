// Package awsjson serves AWS JSON 1.1 services over HTTP: a Handler per
// service, and a Router that mounts several on one listener by the prefix of
// their X-Amz-Target.
//
// A request is a POST whose X-Amz-Target header names the operation as
// "<TargetPrefix>.<Operation>" and whose body is a JSON object. The Handler
// looks the operation up, checks the caller's signature unless the operation
// is unsigned, decodes the body, validates it against the service model and
// calls the operation. Every failure is written by one error writer as
// {"__type": code, "message": message}, with the status the error carries.
//
// The package knows the protocol, not Cognito: operation tables, wire types
// and their validators are generated per service (see internal/tools/modelgen)
// and use the Timestamp, Validation and Bind helpers defined here.
package awsjson
