package cognitosrp

import (
	"crypto/hkdf"
	"crypto/sha256"
	"math/big"
)

// The group: RFC 5054's 3072-bit prime with generator 2.
var (
	n = mustInt("" +
		"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74" +
		"020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437" +
		"4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
		"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05" +
		"98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB" +
		"9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
		"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718" +
		"3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33" +
		"A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
		"ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864" +
		"D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2" +
		"08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF")
	g = big.NewInt(2)
	// k = H(N | g), the SRP-6a multiplier.
	k = hashToInt(padHex(n), padHex(g))
)

func mustInt(s string) *big.Int {
	x, ok := new(big.Int).SetString(s, 16)
	if !ok {
		panic("cognitosrp: bad constant")
	}
	return x
}

// padHex is the byte form in which the JS clients hash a non-negative
// integer (their padHex, Java's BigInteger.toByteArray): big-endian, as short
// as possible, with a 0x00 in front when the top bit is set; zero is 0x00.
func padHex(x *big.Int) []byte {
	b := x.Bytes()
	if len(b) == 0 || b[0] >= 0x80 {
		b = append([]byte{0}, b...)
	}
	return b
}

func hash(parts ...[]byte) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

func hashToInt(parts ...[]byte) *big.Int {
	return new(big.Int).SetBytes(hash(parts...))
}

// scrambler is u = H(A | B).
func scrambler(bigA, bigB *big.Int) *big.Int {
	return hashToInt(padHex(bigA), padHex(bigB))
}

// privateKey is x = H(salt | H(poolName | userID | ":" | password)).
func (c *Client) privateKey(userID string, salt *big.Int) *big.Int {
	inner := hash([]byte(c.poolName + userID + ":" + c.password))
	return hashToInt(padHex(salt), inner)
}

// premaster is S = (B − k·g^x)^(a + u·x) mod N.
func (c *Client) premaster(bigB, x, u *big.Int) *big.Int {
	base := new(big.Int).Exp(g, x, n)
	base.Mul(base, k)
	base.Sub(bigB, base)
	base.Mod(base, n)
	e := new(big.Int).Mul(u, x)
	e.Add(e, c.a)
	return base.Exp(base, e, n)
}

// passwordKey derives the 16-byte HMAC key of the claim:
// HKDF-SHA256(ikm S, salt u, info "Caldera Derived Key").
func (c *Client) passwordKey(userID string, salt, bigB *big.Int) ([]byte, error) {
	u := scrambler(c.bigA, bigB)
	if err := checkServerValues(bigB, u); err != nil {
		return nil, err
	}
	S := c.premaster(bigB, c.privateKey(userID, salt), u)
	return hkdf.Key(sha256.New, padHex(S), padHex(u), "Caldera Derived Key", 16)
}

// checkServerValues refuses what RFC 5054 and the JS clients refuse:
// B ≡ 0 (mod N), and u = 0, which would take x out of S.
func checkServerValues(bigB, u *big.Int) error {
	if new(big.Int).Mod(bigB, n).Sign() == 0 {
		return ErrServerPublic
	}
	if u.Sign() == 0 {
		return ErrScrambler
	}
	return nil
}
