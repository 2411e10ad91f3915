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
	Duration    string    `json:"duration"`
	Warmup      string    `json:"warmup"`
	Transport   string    `json:"transport"`
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
	CreatedPool    bool    `json:"createdPool"`
	UsersCreated   int     `json:"usersCreated"`
	UsersFound     int     `json:"usersFound"`
	SessionsOpened int     `json:"sessionsOpened"`
	Seconds        float64 `json:"seconds"`
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
	Floor     *Floor   `json:"floor,omitempty"`
}

// Floor compares an operation with its crypto alone.
type Floor struct {
	// Throughput is how many operations per second this machine's cores
	// complete doing only the operation's crypto: the server's and, for
	// srp, the client's, which runs on the same cores.
	Throughput float64 `json:"throughput_per_s"`
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
		Throughput: round3(p.throughput()), Latency: p.latency}
	if p.firstErr != nil {
		s.FirstError = p.firstErr.Error()
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
