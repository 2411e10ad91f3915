-- Typed pool and client settings, PostgreSQL dialect.
--
-- Releases before this one kept the members Cognate accepts and returns
-- but does not act on in settings.stored, keyed by their name in Cognito's
-- model, each as the JSON received: LambdaConfig, EmailConfiguration,
-- SmsConfiguration, UserPoolAddOns and WebAuthnConfiguration of a pool,
-- AnalyticsConfiguration of a client, and, in pools written before they
-- had fields of their own, DeviceConfiguration and SignInPolicy. Each now
-- has a typed field whose JSON holds the model's member names, so most move
-- as they are. DeviceConfiguration becomes devices and SignInPolicy's
-- AllowedFirstAuthFactors becomes firstAuthFactors, unless those are set
-- already (they are what the previous release reads first), and stored is
-- removed, and with it UserPoolTags and AccountRecoverySetting, which
-- early builds kept there before they had fields of their own: no release
-- since reads them there.
--
-- The previous release keeps working on what this leaves. It acts on
-- devices and firstAuthFactors, which it reads as this one does. Of stored
-- it only reports the members: while it runs beside this one it describes
-- migrated pools and clients without them (LambdaConfig is empty anyway:
-- no release accepts triggers yet), and nothing it does changes, since it
-- sends no message through SES or SNS, calls no Lambda, keeps no analytics
-- and has no passkeys; its SMS rule for MFA reads the request, not the
-- pool. What it writes in that time is the one loss: a pool or client it
-- updates drops the typed members it does not know, and one it creates
-- keeps them in stored, which this release no longer reads. Sending them
-- again (UpdateUserPool, SetUserPoolMfaConfig, UpdateUserPoolClient) once
-- the upgrade is done restores them. A copy left in stored would spare the
-- previous release's descriptions for a while, but this release would not
-- maintain it, so the copy would be stale after the first change.
--
-- settings is JSON text: each statement reads it as jsonb and writes the
-- result back as text.

UPDATE pools SET settings = jsonb_set(settings::jsonb, '{lambdaConfig}', settings::jsonb #> '{stored,LambdaConfig}')::text
WHERE jsonb_typeof(settings::jsonb #> '{stored,LambdaConfig}') = 'object';

UPDATE pools SET settings = jsonb_set(settings::jsonb, '{emailConfiguration}', settings::jsonb #> '{stored,EmailConfiguration}')::text
WHERE jsonb_typeof(settings::jsonb #> '{stored,EmailConfiguration}') = 'object';

UPDATE pools SET settings = jsonb_set(settings::jsonb, '{smsConfiguration}', settings::jsonb #> '{stored,SmsConfiguration}')::text
WHERE jsonb_typeof(settings::jsonb #> '{stored,SmsConfiguration}') = 'object';

UPDATE pools SET settings = jsonb_set(settings::jsonb, '{userPoolAddOns}', settings::jsonb #> '{stored,UserPoolAddOns}')::text
WHERE jsonb_typeof(settings::jsonb #> '{stored,UserPoolAddOns}') = 'object';

UPDATE pools SET settings = jsonb_set(settings::jsonb, '{webAuthnConfiguration}', settings::jsonb #> '{stored,WebAuthnConfiguration}')::text
WHERE jsonb_typeof(settings::jsonb #> '{stored,WebAuthnConfiguration}') = 'object';

-- A DeviceConfiguration with any member set turns device tracking on; a
-- member not set is false.
UPDATE pools SET settings = jsonb_set(settings::jsonb, '{devices}', jsonb_build_object(
    'challengeRequiredOnNewDevice',
    COALESCE(settings::jsonb #> '{stored,DeviceConfiguration,ChallengeRequiredOnNewDevice}' = 'true'::jsonb, false),
    'deviceOnlyRememberedOnUserPrompt',
    COALESCE(settings::jsonb #> '{stored,DeviceConfiguration,DeviceOnlyRememberedOnUserPrompt}' = 'true'::jsonb, false)))::text
WHERE COALESCE(jsonb_typeof(settings::jsonb -> 'devices'), 'null') = 'null'
  AND (jsonb_typeof(settings::jsonb #> '{stored,DeviceConfiguration,ChallengeRequiredOnNewDevice}') = 'boolean'
    OR jsonb_typeof(settings::jsonb #> '{stored,DeviceConfiguration,DeviceOnlyRememberedOnUserPrompt}') = 'boolean');

UPDATE pools SET settings = jsonb_set(settings::jsonb, '{firstAuthFactors}', settings::jsonb #> '{stored,SignInPolicy,AllowedFirstAuthFactors}')::text
WHERE COALESCE(settings::jsonb -> 'firstAuthFactors', 'null') IN ('null', '[]')
  AND jsonb_typeof(settings::jsonb #> '{stored,SignInPolicy,AllowedFirstAuthFactors}') = 'array'
  AND settings::jsonb #> '{stored,SignInPolicy,AllowedFirstAuthFactors}' <> '[]';

UPDATE pools SET settings = (settings::jsonb - 'stored')::text
WHERE settings::jsonb -> 'stored' IS NOT NULL;

UPDATE clients SET settings = jsonb_set(settings::jsonb, '{analyticsConfiguration}', settings::jsonb #> '{stored,AnalyticsConfiguration}')::text
WHERE jsonb_typeof(settings::jsonb #> '{stored,AnalyticsConfiguration}') = 'object';

UPDATE clients SET settings = (settings::jsonb - 'stored')::text
WHERE settings::jsonb -> 'stored' IS NOT NULL;
