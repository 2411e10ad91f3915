package sqlstore

import (
	"encoding/json"
	"log/slog"
	"reflect"
	"strings"
	"testing"

	"github.com/cognate-auth/cognate/internal/store"
)

// oldDatabase makes the database of cfg as the release before migration
// `before` left it: migrated up to the one before, written with raw SQL by
// the statements given.
func oldDatabase(t *testing.T, cfg Config, before int, statements ...string) {
	t.Helper()
	d, err := dialectFor(cfg.Driver)
	must(t, err)
	ms, err := loadMigrations(migrationFiles, "migrations/"+d.name)
	must(t, err)
	db := rawDB(t, cfg)
	must(t, applyMigrations(t.Context(), db, d, ms[:before-1], slog.New(slog.DiscardHandler)))
	for _, q := range statements {
		if _, err := db.ExecContext(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	must(t, db.Close())
}

// Settings documents as the release before migration 0006 wrote them.
const (
	// A pool with every member that release kept in stored, and the
	// DeviceConfiguration and SignInPolicy of builds before those had
	// fields.
	oldPoolSettings = `{"passwordPolicy":{"minimumLength":8,"requireUppercase":true,"requireLowercase":true,"requireNumbers":true,"requireSymbols":true,"temporaryPasswordValidityDays":7},` +
		`"caseSensitive":true,"autoVerifiedAttributes":["email"],"adminCreateUser":{"allowAdminCreateUserOnly":false,"unusedAccountValidityDays":7},` +
		`"deletionProtection":false,"mfaConfiguration":"OPTIONAL","tier":"ESSENTIALS","tags":{"team":"auth"},"messages":{"emailVerificationSubject":"Your code"},` +
		`"mfa":{"sms":true},"stored":{` +
		`"LambdaConfig":{},` +
		`"EmailConfiguration":{"SourceArn":"arn:aws:ses:us-east-1:123456789012:identity/example.com","ReplyToEmailAddress":"help@example.com","EmailSendingAccount":"DEVELOPER","From":"Example <no-reply@example.com>","ConfigurationSet":"cs"},` +
		`"SmsConfiguration":{"SnsCallerArn":"arn:aws:iam::123456789012:role/sns","ExternalId":"ext","SnsRegion":"us-east-1"},` +
		`"UserPoolAddOns":{"AdvancedSecurityMode":"AUDIT","AdvancedSecurityAdditionalFlows":{"CustomAuthMode":"ENFORCED"}},` +
		`"WebAuthnConfiguration":{"RelyingPartyId":"example.com","UserVerification":"required","FactorConfiguration":"MULTI_FACTOR_WITH_USER_VERIFICATION"},` +
		`"DeviceConfiguration":{"DeviceOnlyRememberedOnUserPrompt":true},` +
		`"SignInPolicy":{"AllowedFirstAuthFactors":["PASSWORD","EMAIL_OTP"]},` +
		`"UserPoolTags":{"old":"tag"}}}`
	// A pool whose typed devices and first factors win over stale stored
	// ones, as they did when read.
	oldPoolTypedFirst = `{"passwordPolicy":{"minimumLength":8,"temporaryPasswordValidityDays":7},"adminCreateUser":{"allowAdminCreateUserOnly":true},` +
		`"deletionProtection":true,"messages":{},"mfa":{},` +
		`"devices":{"challengeRequiredOnNewDevice":true,"deviceOnlyRememberedOnUserPrompt":false},"firstAuthFactors":["PASSWORD"],` +
		`"stored":{"DeviceConfiguration":{"DeviceOnlyRememberedOnUserPrompt":true},"SignInPolicy":{"AllowedFirstAuthFactors":["PASSWORD","SMS_OTP"]}}}`
	// A pool whose stored DeviceConfiguration sets nothing, and so does not
	// track devices, and whose SignInPolicy is empty.
	oldPoolEmptyDevices = `{"passwordPolicy":{"minimumLength":8},"caseSensitive":false,"adminCreateUser":{"allowAdminCreateUserOnly":false},` +
		`"deletionProtection":false,"messages":{},"mfa":{},"stored":{"DeviceConfiguration":{},"SignInPolicy":{"AllowedFirstAuthFactors":[]}}}`
	// A pool without stored members.
	oldPoolPlain = `{"passwordPolicy":{"minimumLength":6},"caseSensitive":true,"adminCreateUser":{"allowAdminCreateUserOnly":false},` +
		`"deletionProtection":false,"messages":{},"mfa":{},"devices":{"challengeRequiredOnNewDevice":false,"deviceOnlyRememberedOnUserPrompt":true}}`

	oldClientSettings = `{"explicitAuthFlows":["ALLOW_USER_SRP_AUTH","ALLOW_REFRESH_TOKEN_AUTH"],"refreshTokenValidity":30,"accessTokenValidity":60,` +
		`"idTokenValidity":60,"tokenValidityUnits":{"accessToken":"minutes","idToken":"minutes","refreshToken":"days"},"enableTokenRevocation":true,` +
		`"authSessionValidity":3,"stored":{"AnalyticsConfiguration":{"ApplicationId":"0123456789abcdef0123456789abcdef",` +
		`"RoleArn":"arn:aws:iam::123456789012:role/pinpoint","ExternalId":"ext","UserDataShared":true}}}`
	oldClientPlain = `{"refreshTokenValidity":30,"accessTokenValidity":60,"idTokenValidity":60,` +
		`"tokenValidityUnits":{"accessToken":"minutes","idToken":"minutes","refreshToken":"days"},"enableTokenRevocation":false,"authSessionValidity":3}`
)

func sqlQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func insertPool(id, settings string) string {
	return `INSERT INTO pools (id, name, created_at, updated_at, settings) VALUES (` + sqlQuote(id) + `, 'old', 1, 2, ` + sqlQuote(settings) + `)`
}

func insertClient(id, poolID, settings string) string {
	return `INSERT INTO clients (id, pool_id, name, secret, created_at, updated_at, settings) VALUES (` +
		sqlQuote(id) + `, ` + sqlQuote(poolID) + `, 'old', NULL, 1, 2, ` + sqlQuote(settings) + `)`
}

// TestMigrateTypedSettings writes pools and clients as the release before
// migration 0006 kept them and opens the store, which migrates them: the
// members of stored are in their typed fields, and stored is gone.
func TestMigrateTypedSettings(t *testing.T) {
	forEngine(t, func(t *testing.T, e engine) {
		cfg := e.config(t)
		oldDatabase(t, cfg, 6,
			insertPool("us-east-1_full", oldPoolSettings),
			insertPool("us-east-1_typed", oldPoolTypedFirst),
			insertPool("us-east-1_empty", oldPoolEmptyDevices),
			insertPool("us-east-1_plain", oldPoolPlain),
			insertClient("client-analytics", "us-east-1_full", oldClientSettings),
			insertClient("client-plain", "us-east-1_full", oldClientPlain))
		s := mustOpen(t, cfg)
		ctx := t.Context()

		pools := map[string]store.PoolSettings{
			"us-east-1_full": {
				PasswordPolicy: store.PasswordPolicy{MinimumLength: 8, RequireUppercase: true, RequireLowercase: true,
					RequireNumbers: true, RequireSymbols: true, TemporaryPasswordValidityDays: 7},
				CaseSensitive: true, AutoVerifiedAttributes: []string{"email"},
				AdminCreateUser:  store.AdminCreateUser{UnusedAccountValidityDays: 7},
				MFAConfiguration: "OPTIONAL", Tier: "ESSENTIALS", Tags: map[string]string{"team": "auth"},
				Messages: store.MessageTemplates{EmailVerificationSubject: "Your code"},
				MFA:      store.PoolMFA{SMS: true},
				EmailConfiguration: &store.EmailConfiguration{SourceArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com",
					ReplyToEmailAddress: "help@example.com", EmailSendingAccount: "DEVELOPER", From: "Example <no-reply@example.com>",
					ConfigurationSet: "cs"},
				SMSConfiguration: &store.SMSConfiguration{SNSCallerArn: "arn:aws:iam::123456789012:role/sns", ExternalID: "ext", SNSRegion: "us-east-1"},
				UserPoolAddOns: &store.UserPoolAddOns{AdvancedSecurityMode: "AUDIT",
					AdvancedSecurityAdditionalFlows: &store.AdvancedSecurityAdditionalFlows{CustomAuthMode: "ENFORCED"}},
				WebAuthnConfiguration: &store.WebAuthnConfiguration{RelyingPartyID: "example.com", UserVerification: "required",
					FactorConfiguration: "MULTI_FACTOR_WITH_USER_VERIFICATION"},
				Devices:          &store.DeviceSettings{DeviceOnlyRememberedOnUserPrompt: true},
				FirstAuthFactors: []string{"PASSWORD", "EMAIL_OTP"},
			},
			"us-east-1_typed": {
				PasswordPolicy:     store.PasswordPolicy{MinimumLength: 8, TemporaryPasswordValidityDays: 7},
				AdminCreateUser:    store.AdminCreateUser{AllowAdminCreateUserOnly: true},
				DeletionProtection: true,
				Devices:            &store.DeviceSettings{ChallengeRequiredOnNewDevice: true},
				FirstAuthFactors:   []string{"PASSWORD"},
			},
			"us-east-1_empty": {PasswordPolicy: store.PasswordPolicy{MinimumLength: 8}},
			"us-east-1_plain": {PasswordPolicy: store.PasswordPolicy{MinimumLength: 6}, CaseSensitive: true,
				Devices: &store.DeviceSettings{DeviceOnlyRememberedOnUserPrompt: true}},
		}
		for id, want := range pools {
			p, err := s.GetPool(ctx, id)
			must(t, err)
			if !reflect.DeepEqual(p.Settings, want) {
				t.Errorf("pool %s settings\n got %+v\nwant %+v", id, p.Settings, want)
			}
		}
		clients := map[string]store.ClientSettings{
			"client-analytics": {
				ExplicitAuthFlows:    []string{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
				RefreshTokenValidity: 30, AccessTokenValidity: 60, IDTokenValidity: 60,
				TokenValidityUnits:    store.TokenUnits{AccessToken: "minutes", IDToken: "minutes", RefreshToken: "days"},
				EnableTokenRevocation: true, AuthSessionValidity: 3,
				AnalyticsConfiguration: &store.AnalyticsConfiguration{ApplicationID: "0123456789abcdef0123456789abcdef",
					RoleArn: "arn:aws:iam::123456789012:role/pinpoint", ExternalID: "ext", UserDataShared: true},
			},
			"client-plain": {
				RefreshTokenValidity: 30, AccessTokenValidity: 60, IDTokenValidity: 60,
				TokenValidityUnits:  store.TokenUnits{AccessToken: "minutes", IDToken: "minutes", RefreshToken: "days"},
				AuthSessionValidity: 3,
			},
		}
		for id, want := range clients {
			c, err := s.GetClient(ctx, id)
			must(t, err)
			if !reflect.DeepEqual(c.Settings, want) {
				t.Errorf("client %s settings\n got %+v\nwant %+v", id, c.Settings, want)
			}
		}

		// No document keeps stored, and the typed members are plain JSON
		// under their names.
		raw := rawDB(t, cfg)
		for _, table := range []string{"pools", "clients"} {
			rows, err := raw.QueryContext(ctx, `SELECT id, settings FROM `+table)
			must(t, err)
			for rows.Next() {
				var id, text string
				must(t, rows.Scan(&id, &text))
				var doc map[string]json.RawMessage
				if err := json.Unmarshal([]byte(text), &doc); err != nil {
					t.Fatalf("%s %s: %v", table, id, err)
				}
				if _, ok := doc["stored"]; ok {
					t.Errorf("%s %s still has stored: %s", table, id, text)
				}
				if id == "us-east-1_full" {
					var lambda any
					if err := json.Unmarshal(doc["lambdaConfig"], &lambda); err != nil || !reflect.DeepEqual(lambda, map[string]any{}) {
						t.Errorf("pool %s lambdaConfig = %s, want {}", id, doc["lambdaConfig"])
					}
				}
			}
			must(t, rows.Err())
			rows.Close()
		}
	})
}
