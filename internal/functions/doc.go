// Package functions reaches the functions that Cognito's triggers name by
// ARN: given a function ARN and an event, it invokes the function and returns
// its response, or an error that says which of Cognito's outcomes it is —
// the function's own error (*FunctionError, UserLambdaValidationException),
// no answer in time or no answer at all (ErrUnexpected,
// UnexpectedLambdaException), or an answer that is not a JSON object
// (ErrInvalidResponse, InvalidLambdaResponseException).
//
// A function is reached, per ARN, through
//   - the Lambda Invoke API at a configured endpoint (AWS Lambda, LocalStack,
//     the AWS Lambda Runtime Interface Emulator), through aws-sdk-go-v2;
//   - an HTTP webhook: the event POSTed, signed as package webhook describes;
//   - a local command: the event on its standard input, the response on its
//     standard output, a non-zero exit its error (standard error's last line
//     the message);
//   - an in-process Go function, for programs that embed Cognate.
//
// The functions file (File, LoadFile) maps ARNs to webhooks, commands,
// in-process functions and Lambda endpoints of their own; other ARNs go to the
// Lambda endpoint of the Config, and with none they have no target
// (ErrNoTarget), which Resolve reports before any invocation.
//
// Every invocation is bounded by a timeout (Cognito's 5 seconds unless
// configured) and events and responses by Lambda's 6 MB. Events carry
// passwords and codes: they are never logged, and commands do not inherit
// Cognate's environment. The package knows no trigger: events are opaque
// JSON to it.
package functions
