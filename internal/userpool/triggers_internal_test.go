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
		{store.LambdaConfig{KMSKeyID: "k"}, ""}, // a key alone runs nothing
		{store.LambdaConfig{CustomEmailSender: store.LambdaVersionConfig{LambdaArn: arn, LambdaVersion: "V1_0"}},
			"LambdaConfig.KMSKeyID is required with LambdaConfig.CustomEmailSender."},
		{store.LambdaConfig{CustomSMSSender: store.LambdaVersionConfig{LambdaArn: arn, LambdaVersion: "V1_0"}},
			"LambdaConfig.KMSKeyID is required with LambdaConfig.CustomSMSSender."},
		{store.LambdaConfig{KMSKeyID: "k", CustomSMSSender: store.LambdaVersionConfig{LambdaArn: arn, LambdaVersion: "V2_0"}},
			"LambdaConfig.CustomSMSSender.LambdaVersion \"V2_0\" is not V1_0."},
		{store.LambdaConfig{KMSKeyID: "k", CustomEmailSender: store.LambdaVersionConfig{LambdaVersion: "V1_0"}},
			"LambdaConfig.CustomEmailSender.LambdaArn is required."},
		{store.LambdaConfig{KMSKeyID: "k", CustomEmailSender: store.LambdaVersionConfig{LambdaArn: arn, LambdaVersion: "V1_0"}},
			"LambdaConfig.CustomEmailSender: this Cognate runs no trigger functions."},
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
