package idpapi

import (
	"context"
	"testing"

	"github.com/cognate-auth/cognate/internal/apierr"
)

// fuzzOps are operations with nested lists, maps, enums, ranges and
// sensitive members.
var fuzzOps = []string{
	"InitiateAuth", "RespondToAuthChallenge", "SignUp", "AdminCreateUser",
	"CreateUserPool", "CreateUserPoolClient", "UpdateUserPool", "ListUsers",
	"CreateManagedLoginBranding", "SetRiskConfiguration",
}

func FuzzDecodeValidate(f *testing.F) {
	for _, seed := range []string{
		``, `{}`, `null`, `[]`, `"x"`, `{"ClientId":""}`,
		`{"AuthFlow":"USER_SRP_AUTH","ClientId":"abc","AuthParameters":{"USERNAME":"a","SRP_A":"ff"}}`,
		`{"ChallengeName":"PASSWORD_VERIFIER","ClientId":"abc","ChallengeResponses":{"USERNAME":"a"},"Session":"` + "0123456789abcdefghij" + `"}`,
		`{"ClientId":"abc","Username":"","UserAttributes":[{"Name":"email"},{},{"Name":""}]}`,
		`{"UserPoolId":"us-east-1_X","Username":"u","UserAttributes":[{"Name":"日本語"}],"DesiredDeliveryMediums":["EMAIL","FAX"]}`,
		`{"PoolName":"p","Policies":{"PasswordPolicy":{"MinimumLength":1e3}},"Schema":[{"Name":"x","NumberAttributeConstraints":{}}]}`,
		`{"UserPoolId":"us-east-1_X","ClientName":"c","ExplicitAuthFlows":["X"],"TokenValidityUnits":{"AccessToken":"days"}}`,
		`{"UserPoolId":"us-east-1_X","Limit":-1,"AttributesToGet":[""]}`,
		`{"UserPoolId":"us-east-1_X","Assets":[{"Category":"FAVICON_ICO","ColorMode":"LIGHT","Extension":"ICO","Bytes":"AAEC"}],"Settings":{"a":[1]}}`,
		`{"UserPoolId":"us-east-1_X","RiskExceptionConfiguration":{"BlockedIPRangeList":["` + "10.0.0.0/8" + `"]}}`,
	} {
		f.Add([]byte(seed))
	}
	ops := Operations(UnimplementedService{})
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, name := range fuzzOps {
			_, err := ops[name].Invoke(context.Background(), body)
			switch e := apierr.As(err); e.Code {
			case apierr.SerializationException, apierr.InvalidParameter, "UnsupportedOperationException":
			default:
				t.Fatalf("%s: unexpected %s: %s", name, e.Code, e.Message)
			}
		}
	})
}

// A typical SRP sign-in request from Amplify.
var initiateAuthBody = []byte(`{"AuthFlow":"USER_SRP_AUTH","ClientId":"1example23456789abcdefghij",` +
	`"AuthParameters":{"USERNAME":"alice@example.com","SRP_A":"` + srpA + `"},"ClientMetadata":{}}`)

const srpA = "5d1a2c0b9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b" +
	"3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d" +
	"3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f"

type fixedAuth struct{ UnimplementedService }

var fixedAuthResponse = &InitiateAuthResponse{ChallengeName: ChallengeNameTypePasswordVerifier}

func (fixedAuth) InitiateAuth(context.Context, *InitiateAuthRequest) (*InitiateAuthResponse, error) {
	return fixedAuthResponse, nil
}

func BenchmarkInitiateAuthDecodeValidate(b *testing.B) {
	op := Operations(fixedAuth{})["InitiateAuth"]
	ctx := context.Background()
	b.ReportAllocs()
	b.SetBytes(int64(len(initiateAuthBody)))
	for b.Loop() {
		if _, err := op.Invoke(ctx, initiateAuthBody); err != nil {
			b.Fatal(err)
		}
	}
}
