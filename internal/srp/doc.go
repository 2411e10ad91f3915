// Package srp is the server side of Amazon Cognito's SRP-6a sign-in
// (USER_SRP_AUTH, answered by the PASSWORD_VERIFIER challenge), byte for byte
// as amazon-cognito-identity-js and Amplify JS v6 run the client side.
//
// Cognito's variant, with every integer hashed in its minimal two's
// complement form (Java's BigInteger.toByteArray, called padHex by the JS
// clients):
//
//	N, g    RFC 5054's 3072-bit group, g = 2
//	k       H(N | g)
//	x       H(salt | H(poolName | userID | ":" | password))
//	v       g^x                           (stored per user with its salt)
//	A       g^a, a random 1024 bits         (client, sent as SRP_A)
//	B       k·v + g^b                       (server, sent as SRP_B with SALT)
//	u       H(A | B), never zero
//	S       (A·v^u)^b = (B − k·g^x)^(a + u·x)
//	K       HKDF-SHA256(ikm S, salt u, info "Caldera Derived Key"), 16 bytes
//	M       HMAC-SHA256(K, poolName | userID | SECRET_BLOCK | TIMESTAMP)
//
// H is SHA-256, all arithmetic is modulo N, poolName is the part of the user
// pool ID after the underscore and userID is USER_ID_FOR_SRP. The salt enters
// x as an integer: the clients parse SALT into a big integer, so a stored salt
// with leading zero bytes is hashed without them, and one whose top bit is set
// gets a 0x00 byte in front.
//
// Remembered devices authenticate with the same exchange (DEVICE_SRP_AUTH,
// then DEVICE_PASSWORD_VERIFIER): the client computes the device's verifier
// itself and registers it with ConfirmDevice (ParseVerifier checks it), with
// the device's DeviceGroupKey as poolName, its DeviceKey as userID and a
// random device password. A Claim of a device sign-in carries those two keys
// in PoolName and UserID.
//
// The exponentiations with secret exponents (x when computing a verifier, b
// when making a challenge or checking a claim) run in constant time on
// filippo.io/bigmod; docs/srp.md has the measurements behind that choice.
package srp
