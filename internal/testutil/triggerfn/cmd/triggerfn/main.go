// Command triggerfn is package triggerfn's function as a program: a Lambda
// runtime when the Runtime Interface Emulator starts it (it sets
// AWS_LAMBDA_RUNTIME_API), a command target otherwise (the event on
// standard input, the response on standard output, an error on standard
// error with exit status 1). $TRIGGERFN_KIND names the target kind it
// reports.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/cognate-auth/cognate/internal/testutil/triggerfn"
)

func main() {
	fn := triggerfn.New(os.Getenv("TRIGGERFN_KIND"))
	if os.Getenv("AWS_LAMBDA_RUNTIME_API") != "" {
		lambda.Start(func(ctx context.Context, event json.RawMessage) (json.RawMessage, error) { return fn(ctx, event) })
		return
	}
	event, err := io.ReadAll(os.Stdin)
	if err == nil {
		var out []byte
		if out, err = fn(context.Background(), event); err == nil {
			_, err = os.Stdout.Write(out)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
