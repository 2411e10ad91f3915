package messaging

import "strings"

// Mask hides where a message went as Cognito does in CodeDeliveryDetails:
// "j***@e***" for an email address (attr "email"), "+*******1234" for a
// phone number.
func Mask(attr, v string) string {
	if attr == "phone_number" {
		if len(v) <= 4 {
			return v
		}
		return "+" + strings.Repeat("*", len(v)-5) + v[len(v)-4:]
	}
	local, domain, ok := strings.Cut(v, "@")
	if !ok || local == "" || domain == "" {
		return "***"
	}
	return local[:1] + "***@" + domain[:1] + "***"
}
