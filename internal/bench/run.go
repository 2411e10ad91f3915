package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"time"
)

// Run prepares the pool and runs every operation of o, each after its
// crypto floor, writing progress to progress. It returns the report.
func Run(ctx context.Context, o Options, progress io.Writer) (*Report, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	hc := httpClient(o.Concurrency)
	defer hc.CloseIdleConnections()
	raw := newRawClient(o.Endpoint, hc, 2*o.Concurrency)
	defer raw.close()
	admin := &adminClient{raw: raw, keyID: o.AdminKeyID, secret: o.AdminSecret, host: raw.host, region: o.Region}
	var api idpClient = raw

	r := &Report{
		StartedAt: time.Now().UTC().Truncate(time.Second), Endpoint: o.Endpoint, Users: o.Users, Sessions: o.Sessions,
		Concurrency: o.Concurrency, Rounds: o.Rounds, Duration: o.Duration.String(), Warmup: o.Warmup.String(),
		Machine: Machine{CPUs: runtime.NumCPU(), CPUModel: cpuModel(), GOMAXPROCS: runtime.GOMAXPROCS(0),
			GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH},
	}
	serverCPU := serverMeter(o, r, progress)

	f, setup, err := prepare(ctx, o, admin, api, raw, progress)
	r.Setup = setup
	if f != nil && f.webhook != nil {
		defer f.webhook.stop()
	}
	if err != nil {
		return r, err
	}
	r.PoolID, r.ClientID = f.poolID, f.clientID
	if r.Server.PID != 0 {
		r.Server.RSSBeforeKB, _ = residentKB(r.Server.PID)
	}

	var kit *floorKit
	if o.FloorDuration > 0 && slices.ContainsFunc(o.Ops, func(op string) bool { return op != OpForged }) {
		if kit, err = newFloorKit(ctx); err != nil {
			return r, err
		}
	}
	for _, op := range o.Ops {
		var s OpStats
		if op == OpForged {
			s, err = runForged(ctx, o, f, api, r.Server.PID, serverCPU, progress)
		} else {
			s, err = runOp(ctx, o, f, api, raw, hc, kit, op, serverCPU, progress)
		}
		if err != nil {
			return r, err
		}
		r.Operations = append(r.Operations, s)
	}
	if r.Server.PID != 0 {
		r.Server.RSSAfterKB, _ = residentKB(r.Server.PID)
	}
	return r, nil
}

// serverMeter finds the server process (o.ServerPID, or the local process
// listening on the endpoint's port) and returns a reader of its CPU time,
// or nil.
func serverMeter(o Options, r *Report, progress io.Writer) func() (time.Duration, error) {
	pid := o.ServerPID
	if pid == 0 {
		u, _ := url.Parse(o.Endpoint)
		port, _ := strconv.Atoi(u.Port())
		if port == 0 {
			port = map[string]int{"http": 80, "https": 443}[u.Scheme]
		}
		var err error
		if ip := net.ParseIP(u.Hostname()); (ip != nil && ip.IsLoopback()) || u.Hostname() == "localhost" {
			pid, err = findListener(port)
		}
		if err != nil || pid == 0 {
			fmt.Fprintf(progress, "bench: server CPU time not measured: %v\n", err)
			return nil
		}
	}
	if _, err := processCPU(pid); err != nil {
		fmt.Fprintf(progress, "bench: server CPU time not measured: %v\n", err)
		return nil
	}
	r.Server.PID = pid
	return func() (time.Duration, error) { return processCPU(pid) }
}

// httpClient keeps a connection per client alive.
func httpClient(concurrency int) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = concurrency * 2
	t.MaxIdleConnsPerHost = concurrency * 2
	t.DisableCompression = true
	return &http.Client{Transport: t, Timeout: time.Minute}
}

// roundWarmup is the unmeasured start of every round but the first, whose
// connections are already open.
const roundWarmup = 250 * time.Millisecond

// runOp runs one operation in o.Rounds slices, each after a slice of its
// crypto floor, with one more floor slice at the end.
func runOp(ctx context.Context, o Options, f *fixture, api idpClient, ids identityClient, hc *http.Client, kit *floorKit, op string,
	serverCPU func() (time.Duration, error), progress io.Writer) (OpStats, error) {
	work, err := f.workload(op, api, ids, hc)
	if err != nil {
		return OpStats{}, err
	}
	var hooks0 webhookCounts
	signIns0 := f.triggerSignIns.Load()
	if op == OpTriggers {
		hooks0 = f.webhook.snapshot()
	}
	fmt.Fprintf(progress, "bench: %s: %d clients for %s in %d rounds\n", op, o.Concurrency, o.Duration, o.Rounds)
	var fl floorRun
	floorSlice := o.FloorDuration / time.Duration(o.Rounds+1)
	var meas phase
	for round := range o.Rounds + 1 {
		if kit != nil {
			if err := fl.slice(ctx, kit, op, floorSlice); err != nil {
				return OpStats{}, err
			}
		}
		if round == o.Rounds {
			break
		}
		warmup := o.Warmup
		if round > 0 {
			warmup = min(warmup, roundWarmup)
		}
		meas.add(drive(ctx, o.Concurrency, warmup, o.Duration/time.Duration(o.Rounds), work, serverCPU))
		if err := ctx.Err(); err != nil {
			return OpStats{}, err
		}
	}
	s := opStats(op, meas)
	if op == OpTriggers {
		s.Webhook = webhookStats(hooks0, f.webhook.snapshot(), f.triggerSignIns.Load()-signIns0)
	}
	if kit == nil {
		return s, nil
	}
	floor := fl.floor(op)
	floor.Ratio = round3(s.Throughput / floor.Throughput)
	if s.ServerCPU != nil && *s.ServerCPU > 0 {
		floor.ServerCryptoShare = round3(floor.ServerCrypto / *s.ServerCPU)
		floor.CPURatio = round3((floor.ServerCrypto + floor.ClientCrypto) / (*s.ServerCPU + s.ClientCPU))
	}
	s.Floor = floor
	return s, nil
}
