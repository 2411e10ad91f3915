package userpool

import (
	"strings"
	"testing"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
)

// A Service without a trigger runner accepts an empty LambdaConfig only,
// and names what it refuses.
func TestCheckLambdaConfigWithoutRunner(t *testing.T) {
	arn := "arn:aws:lambda:us-east-1:000000000000:function:f"
	tests := []struct {
		lc   store.LambdaConfig
		want string // "" accepted
	}{
		{store.LambdaConfig{}, ""},
		{store.LambdaConfig{PreSignUp: arn}, "LambdaConfig.PreSignUp: this Cognate runs no trigger functions."},
		{store.LambdaConfig{PostAuthentication: arn}, "LambdaConfig.PostAuthentication"},
		{store.LambdaConfig{CustomMessage: arn}, "LambdaConfig.CustomMessage: this Cognate runs no trigger functions."},
		{store.LambdaConfig{KMSKeyID: "k"}, "LambdaConfig.KMSKeyID is not supported"},
		{store.LambdaConfig{InboundFederation: store.LambdaVersionConfig{LambdaArn: arn, LambdaVersion: "V1_0"}}, "LambdaConfig.InboundFederation"},
	}
	for _, tt := range tests {
		err := (&Service{}).checkLambdaConfig(tt.lc)
		if tt.want == "" {
			if err != nil {
				t.Errorf("%+v refused: %v", tt.lc, err)
			}
			continue
		}
		if !apierr.HasCode(err, apierr.InvalidParameter) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: %v, want InvalidParameterException containing %q", tt.lc, err, tt.want)
		}
	}
}
