package functions

import (
	"context"
	"errors"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// lambdaTarget calls the Lambda Invoke API (RequestResponse) through the SDK.
type lambdaTarget struct {
	client       *lambda.Client
	region       string // fixed signing region, or "" for the ARN's
	functionName string // sent instead of the ARN when set
}

func newLambdaTarget(cfg LambdaConfig, endpoint, functionName string, client *http.Client) (*lambdaTarget, error) {
	if err := checkURL(endpoint, false); err != nil {
		return nil, err
	}
	var creds aws.CredentialsProvider = aws.AnonymousCredentials{}
	if cfg.AccessKeyID != "" {
		if cfg.SecretAccessKey == "" {
			return nil, errors.New("an access key id needs its secret access key")
		}
		creds = credentials.NewStaticCredentialsProvider(cfg.AccessKeyID, cfg.SecretAccessKey, cfg.SessionToken)
	}
	region := cfg.Region
	if region == "" {
		region = "us-east-1" // replaced per call by the ARN's region
	}
	return &lambdaTarget{
		client: lambda.New(lambda.Options{
			Region:       region,
			BaseEndpoint: aws.String(endpoint),
			Credentials:  creds,
			HTTPClient:   client,
			// One attempt: Cognito's time limit is the function's, not the retries'.
			Retryer: aws.NopRetryer{},
		}),
		region:       cfg.Region,
		functionName: functionName,
	}, nil
}

func (l *lambdaTarget) kind() Kind { return KindLambda }

func (l *lambdaTarget) invoke(ctx context.Context, arn ARN, event []byte) ([]byte, string, error) {
	name := l.functionName
	if name == "" {
		name = arn.String()
	}
	var opts []func(*lambda.Options)
	if l.region == "" {
		opts = append(opts, func(o *lambda.Options) { o.Region = arn.Region })
	}
	out, err := l.client.Invoke(ctx, &lambda.InvokeInput{
		FunctionName:   aws.String(name),
		InvocationType: types.InvocationTypeRequestResponse,
		Payload:        event,
	}, opts...)
	if errors.Is(err, errTooLarge) {
		return nil, "", invalid("%w", errTooLarge)
	}
	if err != nil {
		return nil, "", unexpected("lambda: %w", err)
	}
	return out.Payload, aws.ToString(out.FunctionError), nil
}
