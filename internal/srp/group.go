package srp

import (
	"crypto/sha256"
	"encoding/hex"

	"filippo.io/bigmod"
)

// modulusHex is N, the 3072-bit MODP prime of RFC 5054 appendix A (also RFC
// 3526 group 15) that Cognito and its clients use.
const modulusHex = "" +
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1" +
	"29024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
	"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245" +
	"E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D" +
	"C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
	"83655D23DCA3AD961C62F356208552BB9ED529077096966D" +
	"670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
	"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9" +
	"DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
	"15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64" +
	"ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
	"ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B" +
	"F12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
	"BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31" +
	"43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"

// groupSize is the size of N, and of every group element this package
// returns, in bytes.
const groupSize = 384

var (
	modulusBytes = mustHex(modulusHex)
	modulus      = mustModulus(modulusBytes)
	generator    = []byte{2}
	// multiplierBytes is k = H(N | g).
	multiplierBytes = hashInts(modulusBytes, generator)
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func mustModulus(b []byte) *bigmod.Modulus {
	m, err := bigmod.NewModulus(b)
	if err != nil {
		panic(err)
	}
	return m
}

// element parses a big-endian integer in [0, N) into a Nat sized for N.
func element(b []byte) (*bigmod.Nat, error) {
	return bigmod.NewNat().SetBytes(trimZeros(b), modulus)
}

// mustElement is element for values known to be below N.
func mustElement(b []byte) *bigmod.Nat {
	n, err := element(b)
	if err != nil {
		panic(err)
	}
	return n
}

// exp returns base^e mod N in constant time for a given length of e.
func exp(base *bigmod.Nat, e []byte) *bigmod.Nat {
	return bigmod.NewNat().Exp(base, e, modulus)
}

// trimZeros returns b without its leading zero bytes.
func trimZeros(b []byte) []byte {
	for len(b) > 0 && b[0] == 0 {
		b = b[1:]
	}
	return b
}

// intBytes is the encoding in which Cognito's clients hash an unsigned
// integer given big-endian: its minimal two's complement form, as Java's
// BigInteger.toByteArray and the JS clients' padHex produce it. Leading zero
// bytes go, a 0x00 comes back when the top bit is set, and zero is one 0x00.
func intBytes(b []byte) []byte {
	b = trimZeros(b)
	if len(b) == 0 || b[0]&0x80 != 0 {
		return append([]byte{0}, b...)
	}
	return b
}

// hashInts is SHA-256 over the intBytes encodings of the given integers.
func hashInts(ints ...[]byte) []byte {
	h := sha256.New()
	for _, n := range ints {
		h.Write(intBytes(n))
	}
	return h.Sum(nil)
}
