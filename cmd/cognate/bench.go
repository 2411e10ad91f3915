package main

import (
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/spf13/cobra"

	"github.com/cognate-auth/cognate/internal/bench"
	"github.com/cognate-auth/cognate/internal/config"
)

func benchCommand() *cobra.Command {
	o := bench.Options{}
	var ops, cpuProfile string
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Drive a running server with concurrent clients and report throughput and latency",
		Long: `bench drives a running Cognate over HTTP: it prepares a pool, an app client and users (or uses
the ones given), then runs each operation with --concurrency clients for --duration and prints, as
JSON, its throughput, latency percentiles, CPU time per operation (this process's and, when the
server is local, the server's) and its crypto floor: the throughput of the operation's crypto alone,
measured in this process just before. The identity operation is GetId then GetCredentialsForIdentity
with a signed-in user's ID token, in an identity pool (and IAM role) the set-up makes. The triggers
operation, run only when named, is password sign-in in a pool whose pre authentication and pre token
generation functions are a no-op webhook bench serves on --webhook-addr: the server must be started
with a functions file mapping --trigger-arn to it, with the secret in COGNATE_BENCH_WEBHOOK_SECRET
(docs/benchmarks.md shows the file). --ops forged instead sends --forged GetUser requests with
forged access tokens naming new pool ids and reports the server's resident memory before and after.
Set-up calls are signed with the administrator key from
AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or COGNATE_ADMIN_ACCESS_KEY_ID/COGNATE_ADMIN_SECRET_ACCESS_KEY.
docs/benchmarks.md has the figures and how to reproduce them.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if o.Ops, err = bench.ParseOps(ops); err != nil {
				return err
			}
			if !cmd.Flags().Changed("sessions") {
				o.Sessions = min(o.Sessions, o.Users)
			}
			o.AdminKeyID, o.AdminSecret = adminKeyFromEnv(os.Getenv)
			o.WebhookSecret = os.Getenv("COGNATE_BENCH_WEBHOOK_SECRET")
			if cpuProfile != "" {
				f, err := os.Create(cpuProfile)
				if err != nil {
					return err
				}
				defer f.Close()
				if err := pprof.StartCPUProfile(f); err != nil {
					return err
				}
				defer pprof.StopCPUProfile()
			}
			r, runErr := bench.Run(cmd.Context(), o, cmd.ErrOrStderr())
			if r != nil && (runErr == nil || len(r.Operations) > 0) {
				if err := r.WriteJSON(cmd.OutOrStdout()); err != nil {
					return err
				}
			}
			if runErr != nil {
				return fmt.Errorf("bench: %w", runErr)
			}
			return nil
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&o.Endpoint, "endpoint", bench.DefaultEndpoint, "base URL of the server to load (loopback only, unless --allow-remote)")
	fs.StringVar(&o.Region, "region", envOr("AWS_REGION", config.DefaultRegion), "region of the pool and of signed calls [$AWS_REGION]")
	fs.IntVar(&o.Concurrency, "concurrency", bench.DefaultConcurrency, "clients running at once")
	fs.DurationVar(&o.Duration, "duration", bench.DefaultDuration, "measured time of each operation")
	fs.DurationVar(&o.Warmup, "warmup", bench.DefaultWarmup, "unmeasured time before each operation")
	fs.IntVar(&o.Rounds, "rounds", bench.DefaultRounds, "slices each operation's --duration is cut into, alternating with slices of its crypto floor")
	fs.StringVar(&ops, "ops", "all", "operations to run: signup, password, srp, refresh, getuser, identity, clientcredentials, or all; triggers and forged only when named")
	fs.IntVar(&o.Users, "users", bench.DefaultUsers, "users to prepare (bench-user-0000000...) for the sign-ins")
	fs.IntVar(&o.Sessions, "sessions", bench.DefaultSessions, "users signed in beforehand whose tokens refresh, getuser and identity use (at most --users)")
	fs.IntVar(&o.Forged, "forged", bench.DefaultForged, "requests the forged operation sends (GetUser with forged tokens naming new pool ids)")
	fs.IntVar(&o.ForgedIDLen, "forged-id-len", bench.DefaultForgedIDLen, "length of the long pool ids every other forged token names")
	fs.DurationVar(&o.Settle, "settle", 0, "after the forged requests, wait this long and read the server's resident memory again (it frees idle memory after 30-45 s)")
	fs.StringVar(&o.TriggerARN, "trigger-arn", bench.DefaultTriggerARN, "function the triggers operation's pool names, mapped to the webhook by the server's functions file")
	fs.StringVar(&o.WebhookAddr, "webhook-addr", bench.DefaultWebhookAddr, "loopback address where the triggers operation serves its no-op webhook")
	fs.StringVar(&o.DomainSuffix, "domain-suffix", bench.DefaultDomainSuffix, "the server's --domain-suffix: the clientcredentials operation sends its requests to <prefix>.<suffix>")
	fs.StringVar(&o.PoolID, "pool", "", "user pool to use (default: create one)")
	fs.StringVar(&o.ClientID, "client", "", "app client of --pool to use, without a secret, allowing the password, SRP and refresh flows (default: create one)")
	fs.BoolVar(&o.ReuseUsers, "reuse-users", false, "trust that --pool holds the --users a previous run prepared, instead of looking each up")
	fs.DurationVar(&o.FloorDuration, "floor-duration", bench.DefaultFloorDuration, "how long each operation's crypto floor runs in all, in --rounds+1 slices; 0 skips the floors")
	fs.IntVar(&o.ServerPID, "server-pid", 0, "server process for CPU time (default: the local process listening on the endpoint's port)")
	fs.BoolVar(&o.AllowRemote, "allow-remote", false, "allow an endpoint that is not a loopback address")
	fs.StringVar(&cpuProfile, "cpuprofile", "", "write this process's CPU profile (the clients' and the floors' work) to the file")
	return cmd
}

// adminKeyFromEnv returns the administrator key: the AWS variables if set,
// else Cognate's own.
func adminKeyFromEnv(getenv func(string) string) (id, secret string) {
	if id, secret = getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY"); id != "" && secret != "" {
		return id, secret
	}
	return getenv("COGNATE_ADMIN_ACCESS_KEY_ID"), getenv("COGNATE_ADMIN_SECRET_ACCESS_KEY")
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
