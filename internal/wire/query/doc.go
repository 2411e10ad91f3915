// Package query serves AWS services of the query protocol (IAM, STS): a
// POSTed form of Action, Version and the operation's parameters in, XML
// out. It decodes forms into the structs modelgen generates (iamapi,
// stsapi), validates them against the model, calls the service and encodes
// the answer, or the one error writer's ErrorResponse, as AWS does. The
// Dispatcher sends form requests to the service their SigV4 credential
// scope names and everything else to the AWS JSON router.
package query
