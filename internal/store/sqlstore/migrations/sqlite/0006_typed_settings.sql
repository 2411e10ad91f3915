-- Typed pool and client settings, SQLite dialect.
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
-- Values that come from -> or json() are inserted as JSON, not as strings.

UPDATE pools SET settings = json_set(settings, '$.lambdaConfig', settings -> '$.stored.LambdaConfig')
WHERE json_type(settings, '$.stored.LambdaConfig') = 'object';

UPDATE pools SET settings = json_set(settings, '$.emailConfiguration', settings -> '$.stored.EmailConfiguration')
WHERE json_type(settings, '$.stored.EmailConfiguration') = 'object';

UPDATE pools SET settings = json_set(settings, '$.smsConfiguration', settings -> '$.stored.SmsConfiguration')
WHERE json_type(settings, '$.stored.SmsConfiguration') = 'object';

UPDATE pools SET settings = json_set(settings, '$.userPoolAddOns', settings -> '$.stored.UserPoolAddOns')
WHERE json_type(settings, '$.stored.UserPoolAddOns') = 'object';

UPDATE pools SET settings = json_set(settings, '$.webAuthnConfiguration', settings -> '$.stored.WebAuthnConfiguration')
WHERE json_type(settings, '$.stored.WebAuthnConfiguration') = 'object';

-- A DeviceConfiguration with any member set turns device tracking on; a
-- member not set is false.
UPDATE pools SET settings = json_set(settings, '$.devices', json_object(
    'challengeRequiredOnNewDevice',
    json(CASE json_type(settings, '$.stored.DeviceConfiguration.ChallengeRequiredOnNewDevice') WHEN 'true' THEN 'true' ELSE 'false' END),
    'deviceOnlyRememberedOnUserPrompt',
    json(CASE json_type(settings, '$.stored.DeviceConfiguration.DeviceOnlyRememberedOnUserPrompt') WHEN 'true' THEN 'true' ELSE 'false' END)))
WHERE COALESCE(json_type(settings, '$.devices'), 'null') = 'null'
  AND (json_type(settings, '$.stored.DeviceConfiguration.ChallengeRequiredOnNewDevice') IN ('true', 'false')
    OR json_type(settings, '$.stored.DeviceConfiguration.DeviceOnlyRememberedOnUserPrompt') IN ('true', 'false'));

UPDATE pools SET settings = json_set(settings, '$.firstAuthFactors', settings -> '$.stored.SignInPolicy.AllowedFirstAuthFactors')
WHERE COALESCE(json_array_length(settings, '$.firstAuthFactors'), 0) = 0
  AND json_array_length(settings, '$.stored.SignInPolicy.AllowedFirstAuthFactors') > 0;

UPDATE pools SET settings = json_remove(settings, '$.stored')
WHERE json_type(settings, '$.stored') IS NOT NULL;

UPDATE clients SET settings = json_set(settings, '$.analyticsConfiguration', settings -> '$.stored.AnalyticsConfiguration')
WHERE json_type(settings, '$.stored.AnalyticsConfiguration') = 'object';

UPDATE clients SET settings = json_remove(settings, '$.stored')
WHERE json_type(settings, '$.stored') IS NOT NULL;
