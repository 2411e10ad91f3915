package bench

import (
	"encoding/json"
	"io"
	"time"
)

// Report is the JSON a run prints.
type Report struct {
	StartedAt   time.Time `json:"startedAt"`
	Endpoint    string    `json:"endpoint"`
	PoolID      string    `json:"poolId"`
	ClientID    string    `json:"clientId"`
	Users       int       `json:"users"`
	Sessions    int       `json:"sessions"`
	Concurrency int       `json:"concurrency"`
	Rounds      int       `json:"rounds"`
	Duration    string    `json:"duration"`
	Warmup      string    `json:"warmup"`
	Machine     Machine   `json:"machine"`
	Server      Server    `json:"server"`
	Setup       Setup     `json:"setup"`
	Operations  []OpStats `json:"operations"`
}

// Machine describes where the run happened.
type Machine struct {
	CPUs       int    `json:"cpus"`
	CPUModel   string `json:"cpuModel"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	GoVersion  string `json:"goVersion"`
	OS         string `json:"os"`
	Arch       string `json:"arch"`
}

// Server is what the run saw of the server process, when it is local.
type Server struct {
	PID int `json:"pid,omitempty"`
	// RSSBeforeKB and RSSAfterKB are its resident memory before the first
	// phase and after the last.
	RSSBeforeKB int64 `json:"rssBeforeKB,omitempty"`
	RSSAfterKB  int64 `json:"rssAfterKB,omitempty"`
}

// Setup is what preparing the pool cost.
type Setup struct {
	CreatedPool    bool `json:"createdPool"`
	UsersCreated   int  `json:"usersCreated"`
	UsersFound     int  `json:"usersFound"`
	SessionsOpened int  `json:"sessionsOpened"`
	// IdentityPoolID and RoleARN are the identity pool the identity
	// operation made and its authenticated role; Identities is how many
	// identities (one per session) it prepared and checked.
	IdentityPoolID string `json:"identityPoolId,omitempty"`
	// TriggerPoolID is the pool the triggers operation made.
	TriggerPoolID string  `json:"triggerPoolId,omitempty"`
	RoleARN       string  `json:"roleArn,omitempty"`
	Identities    int     `json:"identities,omitempty"`
	Seconds       float64 `json:"seconds"`
}

// OpStats are the figures of one operation.
type OpStats struct {
	Op         string  `json:"op"`
	Count      int64   `json:"count"`
	Errors     int64   `json:"errors"`
	FirstError string  `json:"firstError,omitempty"`
	Seconds    float64 `json:"seconds"`
	Throughput float64 `json:"throughput_per_s"`
	Latency
	// ClientCPU is this process's CPU time per operation.
	ClientCPU float64 `json:"client_cpu_ms_per_op"`
	// ServerCPU is the server process's CPU time per operation, when the
	// server is local.
	ServerCPU *float64 `json:"server_cpu_ms_per_op,omitempty"`
	// Cores is how the machine's cores were used during the window.
	Cores *Cores `json:"cores,omitempty"`
	Floor *Floor `json:"floor,omitempty"`
	// Forged is OpForged's view of the server's memory.
	Forged *ForgedStats `json:"forged,omitempty"`
	// Webhook is OpTriggers' view of its webhook.
	Webhook *WebhookStats `json:"webhook,omitempty"`
}

// Cores is core usage during a measured window, in cores (CPU seconds per
// second), from /proc: the whole machine's busy time, this process's, the
// server's, what every other process used (which competed with the run),
// and what the hypervisor stole.
type Cores struct {
	Busy   float64 `json:"busy"`
	Client float64 `json:"client"`
	Server float64 `json:"server,omitempty"`
	Other  float64 `json:"other"`
	Idle   float64 `json:"idle"`
	Steal  float64 `json:"steal,omitempty"`
}

// Floor compares an operation with its crypto alone.
type Floor struct {
	// Throughput is how many operations per second this machine's cores
	// complete doing only the operation's crypto: the server's and, for
	// srp, the client's, which runs on the same cores. It is measured in
	// slices between the slices of the operation's run (Report.Rounds).
	Throughput float64 `json:"throughput_per_s"`
	// Min and Max are the lowest and highest throughput of the floor's
	// slices: how much the machine's speed moved during the run.
	Min float64 `json:"min_per_s"`
	Max float64 `json:"max_per_s"`
	// OtherCores is the most cores other processes used while the floor
	// was measured.
	OtherCores float64 `json:"other_cores"`
	// Ratio is the measured throughput over Throughput.
	Ratio float64 `json:"ratio"`
	// ServerCrypto is the CPU time of the server's crypto of one
	// operation, measured alone.
	ServerCrypto float64 `json:"server_crypto_cpu_ms_per_op"`
	// ClientCrypto is the CPU time of the client's crypto (srp only).
	ClientCrypto float64 `json:"client_crypto_cpu_ms_per_op,omitempty"`
	// ServerCryptoShare is ServerCrypto over the server's CPU time per
	// operation: how much of what the server spends is crypto.
	ServerCryptoShare float64 `json:"server_crypto_share,omitempty"`
	// CPURatio is the crypto's CPU time (ServerCrypto + ClientCrypto)
	// over the CPU time the server and this process spent per operation.
	// When the cores are saturated and nothing else runs, it is what Ratio
	// tends to; unlike Ratio, other processes on the machine barely move it.
	CPURatio float64 `json:"cpu_ratio,omitempty"`
}

// WriteJSON writes r indented.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// opStats turns a measured phase into figures.
func opStats(op string, p phase) OpStats {
	s := OpStats{Op: op, Count: p.count, Errors: p.errors, Seconds: round3(p.elapsed.Seconds()),
		Throughput: round3(p.throughput()), Latency: summarize(p.samplers)}
	if p.firstErr != nil {
		s.FirstError = p.firstErr.Error()
	}
	if p.machine.busy > 0 && p.elapsed > 0 {
		cores := func(d time.Duration) float64 { return round3(d.Seconds() / p.elapsed.Seconds()) }
		c := &Cores{Busy: cores(p.machine.busy), Client: cores(p.selfCPU), Idle: cores(p.machine.idle), Steal: cores(p.machine.steal)}
		other := p.machine.busy - p.selfCPU
		if p.serverCPU >= 0 {
			c.Server = cores(p.serverCPU)
			other -= p.serverCPU
		}
		c.Other = max(0, cores(other))
		s.Cores = c
	}
	if done := p.count + p.errors; done > 0 {
		s.ClientCPU = ms(p.selfCPU / time.Duration(done))
		if p.serverCPU >= 0 {
			v := ms(p.serverCPU / time.Duration(done))
			s.ServerCPU = &v
		}
	}
	return s
}
