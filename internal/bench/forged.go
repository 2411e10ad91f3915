package bench

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"
)

// maxPoolIDLen is the longest pool id the service model allows
// (UserPoolIdType: [\w-]+_[0-9a-zA-Z]+, at most 55 characters).
const maxPoolIDLen = 55

// ForgedStats is what OpForged saw of the server's memory. Its OpStats count
// the requests refused with NotAuthorizedException, as they should be;
// Errors counts any other answer.
type ForgedStats struct {
	Requests int `json:"requests"`
	// LongIDLen is the length of the pool ids every other token names;
	// the rest name well-formed ids of WellFormedIDLen characters, every
	// id a new one.
	LongIDLen       int `json:"long_id_len"`
	WellFormedIDLen int `json:"well_formed_id_len"`
	// The server's resident memory (VmRSS) just before the first request
	// and just after the last, and, when Options.Settle is set, that long
	// after the last.
	RSSBeforeKB   int64   `json:"rss_before_kb"`
	RSSAfterKB    int64   `json:"rss_after_kb"`
	RSSGrowthKB   int64   `json:"rss_growth_kb"`
	RSSSettledKB  int64   `json:"rss_settled_kb,omitempty"`
	SettleSeconds float64 `json:"settle_s,omitempty"`
}

// runForged sends o.Forged GetUser requests whose access tokens are forged:
// a well-formed kid, a random signature, and an iss naming a pool id never
// used before, every other one o.ForgedIDLen characters long. A server that
// keeps anything per unverified pool id grows with every request; one that
// does not stays where it was. pid is the server's process (0 if unknown:
// then only throughput and latency are reported).
func runForged(ctx context.Context, o Options, f *fixture, api idpClient, pid int,
	serverCPU func() (time.Duration, error), progress io.Writer) (OpStats, error) {
	base, err := issuerBase(f)
	if err != nil {
		return OpStats{}, err
	}
	fmt.Fprintf(progress, "bench: %s: %d requests from %d clients\n", OpForged, o.Forged, o.Concurrency)
	fs := &ForgedStats{Requests: o.Forged, LongIDLen: o.ForgedIDLen, WellFormedIDLen: maxPoolIDLen}
	if pid == 0 {
		fmt.Fprintf(progress, "bench: %s: the server's memory is not measured: no local server process\n", OpForged)
	} else {
		fs.RSSBeforeKB, _ = residentKB(pid)
	}
	do := func(ctx context.Context, i int) error {
		n := maxPoolIDLen
		if i%2 == 0 {
			n = o.ForgedIDLen
		}
		token, err := forgedToken(base, forgedPoolID(o.Region, f.runID, i, n), f.clientID, time.Now())
		if err != nil {
			return err
		}
		_, err = api.GetUser(ctx, token)
		return refused(err)
	}
	p := driveCount(ctx, o.Concurrency, o.Forged, do, serverCPU)
	if pid != 0 {
		fs.RSSAfterKB, _ = residentKB(pid)
		fs.RSSGrowthKB = fs.RSSAfterKB - fs.RSSBeforeKB
		if o.Settle > 0 {
			fmt.Fprintf(progress, "bench: %s: waiting %s for the server to settle\n", OpForged, o.Settle)
			sleep(ctx, o.Settle)
			fs.RSSSettledKB, _ = residentKB(pid)
			fs.SettleSeconds = o.Settle.Seconds()
		}
	}
	if err := ctx.Err(); err != nil {
		return OpStats{}, err
	}
	s := opStats(OpForged, p)
	s.Forged = fs
	return s, nil
}

// refused turns the expected answer to a forged token into nil, and any
// other answer into an error.
func refused(err error) error {
	var api *APIError
	switch {
	case err == nil:
		return errors.New("bench: the server accepted a forged token")
	case errors.As(err, &api) && api.Code == "NotAuthorizedException":
		return nil
	}
	return err
}

// issuerBase returns what the server puts before the pool id in its tokens'
// iss, read from a token it issued, so that forged tokens differ from real
// ones only in the pool id and the signature.
func issuerBase(f *fixture) (string, error) {
	if len(f.sessions) == 0 {
		return "", errors.New("bench: no signed-in session to read the issuer from")
	}
	parts := strings.Split(f.sessions[0].access, ".")
	if len(parts) != 3 {
		return "", errors.New("bench: the server's access token is not a JWT")
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", fmt.Errorf("bench: the server's access token: %w", err)
	}
	var c struct {
		Iss string `json:"iss"`
	}
	if err := json.Unmarshal(payload, &c); err != nil {
		return "", fmt.Errorf("bench: the server's access token: %w", err)
	}
	base, ok := strings.CutSuffix(c.Iss, "/"+f.poolID)
	if !ok {
		return "", fmt.Errorf("bench: the server's access token has iss %q, not ending in the pool id", c.Iss)
	}
	return base + "/", nil
}

// forgedPoolID returns the i-th pool id of a run, n characters long:
// "<region>_F<run>N<i, 8 digits>" padded with "x", alphanumerics after the
// underscore as in real pool ids. Ids of different i or runs differ.
func forgedPoolID(region, run string, i, n int) string {
	id := region + "_F" + run + "N" + fmt.Sprintf("%08d", i)
	if len(id) >= n {
		return id
	}
	return id + strings.Repeat("x", n-len(id))
}

// forgedToken returns a JWT shaped like the server's access tokens, with a
// well-formed kid and a random signature: it passes every check but the
// signature's.
func forgedToken(issuerBase, poolID, clientID string, now time.Time) (string, error) {
	var kid [32]byte
	sig := make([]byte, 256)
	if _, err := rand.Read(kid[:]); err != nil {
		return "", err
	}
	if _, err := rand.Read(sig); err != nil {
		return "", err
	}
	header, err := json.Marshal(struct {
		Kid string `json:"kid"`
		Alg string `json:"alg"`
	}{base64.StdEncoding.EncodeToString(kid[:]), "RS256"})
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(floorAccessClaims{
		Sub: uuid.NewString(), Issuer: issuerBase + poolID, ClientID: clientID, OriginJTI: uuid.NewString(),
		EventID: uuid.NewString(), TokenUse: "access", Scope: "aws.cognito.signin.user.admin", AuthTime: now.Unix(),
		Exp: now.Add(time.Hour).Unix(), Iat: now.Unix(), JTI: uuid.NewString(), Username: "forged-user",
	})
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	return enc.EncodeToString(header) + "." + enc.EncodeToString(payload) + "." + enc.EncodeToString(sig), nil
}
