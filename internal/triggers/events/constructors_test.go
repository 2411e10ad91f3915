package events

import "testing"

// TestConstructorsFollowTheSource pins the members that depend on the source, which a regenerated golden
// file would not question.
func TestConstructorsFollowTheSource(t *testing.T) {
	for _, s := range CustomMessageSources {
		r := NewCustomMessage(s, caller, nil, nil).Request
		wantUser := s == CustomMessageAdminCreateUser
		wantLink := s == CustomMessageSignUp || s == CustomMessageResendCode
		if (r.UsernameParameter != nil) != wantUser || (r.LinkParameter != nil) != wantLink || r.CodeParameter != CodePlaceholder {
			t.Errorf("%s: username %v, link %v, code %q", s, r.UsernameParameter, r.LinkParameter, r.CodeParameter)
		}
	}
	if p := NewUserMigration(UserMigrationForgotPassword, caller, "secret", nil, nil).Request.Password; p != "" {
		t.Errorf("ForgotPassword migration carries the password %q", p)
	}
	if p := NewUserMigration(UserMigrationAuthentication, caller, "secret", nil, nil).Request.Password; p != "secret" {
		t.Errorf("Authentication migration lost the password: %q", p)
	}
	for _, s := range CustomEmailSenderSources {
		if typ := NewCustomSender(s, caller, "c", nil, nil).Request.Type; typ != CustomEmailSenderRequestV1 {
			t.Errorf("%s: type %q", s, typ)
		}
	}
	for _, s := range CustomSMSSenderSources {
		if typ := NewCustomSender(s, caller, "c", nil, nil).Request.Type; typ != CustomSMSSenderRequestV1 {
			t.Errorf("%s: type %q", s, typ)
		}
	}
	g := NewPreTokenGenerationV1(TokenGenerationAuthentication, caller, nil, Groups{}, nil).Request.GroupConfiguration
	if g.GroupsToOverride == nil || g.IAMRolesToOverride == nil || g.PreferredRole != nil {
		t.Errorf("a user without groups: %+v, want empty arrays and a null preferred role", g)
	}
	d := NewDefineAuthChallenge(caller, nil, nil, nil, false).Request
	if d.Session == nil || d.UserAttributes == nil {
		t.Errorf("first round: session %v, attributes %v, want empty, not null", d.Session, d.UserAttributes)
	}
}
