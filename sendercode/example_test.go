package sendercode_test

import (
	"fmt"

	"github.com/cognate-auth/cognate/sendercode"
)

// A custom sender function written in Go reads its key once (as printed by
// `cognate keys sender-key --kms-key-id ARN`) and decrypts each event's code.
func ExampleDecrypt() {
	key, err := sendercode.ParseKey("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
	if err != nil {
		panic(err)
	}
	// The members of the event that the code is bound to.
	event := struct{ UserPoolID, TriggerSource, Code, Sub string }{
		UserPoolID: "us-east-1_example", TriggerSource: "CustomEmailSender_SignUp", Sub: "4f1d5b2c-0000-4000-8000-000000000000",
	}
	binding := sendercode.Binding{UserPoolID: event.UserPoolID, TriggerSource: event.TriggerSource, Sub: event.Sub}
	event.Code, _ = sendercode.Encrypt(key, "123456", binding) // what Cognate puts in request.code

	code, err := sendercode.Decrypt(key, event.Code, binding)
	if err != nil {
		fmt.Println("refuse the event:", err)
		return
	}
	fmt.Println("send", code)
	// Output: send 123456
}
