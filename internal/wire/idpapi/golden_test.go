package idpapi

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/cognate-auth/cognate/internal/wire/awsjson"
)

var update = flag.Bool("update", false, "rewrite golden files")

func ptr[T any](v T) *T { return &v }

func stamp(ms int64) *awsjson.Timestamp {
	ts := awsjson.TimestampOf(time.UnixMilli(ms).UTC())
	return &ts
}

// Wire structs as Cognito writes them, pinned by golden files; each file
// must also decode back into the same value.
func TestGolden(t *testing.T) {
	tests := []struct {
		file string
		v    any
	}{
		{"user_pool_type.golden.json", &DescribeUserPoolResponse{UserPool: &UserPoolType{
			Id: "us-east-1_EXAMPLE", Name: "example", Arn: "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_EXAMPLE",
			CreationDate: stamp(1700000000123), LastModifiedDate: stamp(1700000100000),
			Policies: &UserPoolPolicyType{PasswordPolicy: &PasswordPolicyType{
				MinimumLength: ptr[int32](8), RequireUppercase: ptr(true), RequireLowercase: ptr(true),
				RequireNumbers: ptr(true), RequireSymbols: ptr(false), TemporaryPasswordValidityDays: ptr[int32](7),
			}},
			SchemaAttributes: []SchemaAttributeType{{
				Name: "email", AttributeDataType: AttributeDataTypeString, DeveloperOnlyAttribute: ptr(false),
				Mutable: ptr(true), Required: ptr(true),
				StringAttributeConstraints: &StringAttributeConstraintsType{MinLength: "0", MaxLength: "2048"},
			}},
			AutoVerifiedAttributes: []string{VerifiedAttributeTypeEmail},
			UsernameAttributes:     []string{UsernameAttributeTypeEmail},
			MfaConfiguration:       UserPoolMfaTypeOff,
			EstimatedNumberOfUsers: ptr[int32](0),
			UserPoolTags:           map[string]string{"team": "auth"},
			AccountRecoverySetting: &AccountRecoverySettingType{RecoveryMechanisms: []RecoveryOptionType{{Priority: ptr[int32](1), Name: RecoveryOptionNameTypeVerifiedEmail}}},
		}}},
		{"initiate_auth_response.golden.json", &InitiateAuthResponse{
			ChallengeParameters: map[string]string{},
			AuthenticationResult: &AuthenticationResultType{
				AccessToken: "eyJ.access.sig", ExpiresIn: ptr[int32](3600), TokenType: "Bearer",
				RefreshToken: "eyJ.refresh.sig", IdToken: "eyJ.id.sig",
			},
		}},
		{"password_verifier_challenge.golden.json", &InitiateAuthResponse{
			ChallengeName: ChallengeNameTypePasswordVerifier,
			ChallengeParameters: map[string]string{
				"SALT": "a1b2", "SECRET_BLOCK": "c2VjcmV0", "SRP_B": "ff00", "USERNAME": "alice", "USER_ID_FOR_SRP": "alice",
			},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := json.MarshalIndent(tt.v, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", tt.file)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs:\n got: %s\nwant: %s", tt.file, got, want)
			}
			back := reflect.New(reflect.TypeOf(tt.v).Elem()).Interface()
			if err := json.Unmarshal(want, back); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(back, tt.v) {
				t.Errorf("%s does not decode back to the same value:\n%+v", tt.file, back)
			}
		})
	}
}
