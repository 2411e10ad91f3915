package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/cognate-auth/cognate/internal/config"
	"github.com/cognate-auth/cognate/internal/server"
)

func serveCommand() *cobra.Command {
	t := defaultTimeouts
	cmd := withConfig(&cobra.Command{
		Use:   "serve",
		Short: "Run the Cognate server",
		Args:  cobra.NoArgs,
	}, func(cmd *cobra.Command, cfg config.Config) error {
		if err := t.resolve(cmd.Flags(), os.Getenv); err != nil {
			return fmt.Errorf("configuration:\n%w", err)
		}
		return runServe(cmd, cfg, t)
	})
	t.register(cmd.Flags())
	return cmd
}

func runServe(cmd *cobra.Command, cfg config.Config, t httpTimeouts) error {
	ctx := cmd.Context()
	server.TuneGC(os.Getenv)
	log := newLogger(cfg.LogLevel)
	// Listen first: a start that cannot serve must not generate, and show
	// once, an administrator key nobody will use.
	ln, err := net.Listen("tcp", cfg.Listen)
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("%w (is another server running there? --listen chooses another address)", err)
	}
	if err != nil {
		return err
	}
	defer ln.Close()
	// Certificates next, for the same reason.
	tlsConfig, err := serveTLS(cfg, cmd.ErrOrStderr(), log)
	if err != nil {
		return err
	}
	srv, err := server.New(ctx, cfg, server.Options{Logger: log})
	if err != nil {
		return err
	}
	defer srv.Close()
	if k := srv.GeneratedAdminKey; k != nil {
		w := cmd.ErrOrStderr()
		fmt.Fprint(w, `
Cognate generated an administrator key for signed (Admin*, pool and client) operations.
It is kept in the store; cognate admin-key shows it again. To use it with the aws CLI or an SDK:

`)
		if err := writeExports(w, "    ", *k, cfg); err != nil {
			return err
		}
		fmt.Fprint(w, `
To choose your own instead, set COGNATE_ADMIN_ACCESS_KEY_ID and COGNATE_ADMIN_SECRET_ACCESS_KEY.

`)
	}
	hs := t.server(server.ReleaseWhenIdle(ctx, srv.Handler, server.IdleRelease))
	hs.ErrorLog = serverErrorLog(log)
	errc := make(chan error, 1)
	if tlsConfig != nil {
		hs.TLSConfig = tlsConfig
		go func() { errc <- hs.ServeTLS(ln, "", "") }()
	} else {
		go func() { errc <- hs.Serve(ln) }()
	}
	log.Info("cognate is serving", "listen", ln.Addr().String(), "tls", tlsConfig != nil, "public_url", cfg.PublicURL,
		"region", cfg.Region, "store", storeName(cfg))
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// httpTimeouts bound how long a connection may take over a request, so that
// slow or stalled clients cannot hold connections (and their goroutines)
// open at will.
type httpTimeouts struct {
	ReadHeader time.Duration // for the request line and headers
	Read       time.Duration // for the whole request, body included
	Idle       time.Duration // between two requests of a kept-alive connection
}

// defaultTimeouts: Cognito's requests are small JSON bodies, which any
// client sends in well under a second. The idle timeout is above the 90
// seconds the AWS SDKs keep idle connections, so the server seldom closes a
// connection a client is about to reuse.
var defaultTimeouts = httpTimeouts{ReadHeader: 10 * time.Second, Read: 30 * time.Second, Idle: 2 * time.Minute}

type timeoutFlag struct {
	flag, env, usage string
	target           *time.Duration
}

func (t *httpTimeouts) flags() []timeoutFlag {
	return []timeoutFlag{
		{"read-header-timeout", "COGNATE_READ_HEADER_TIMEOUT", "longest time to read a request's headers", &t.ReadHeader},
		{"read-timeout", "COGNATE_READ_TIMEOUT", "longest time to read a whole request, body included", &t.Read},
		{"idle-timeout", "COGNATE_IDLE_TIMEOUT", "how long a kept-alive connection may wait for its next request", &t.Idle},
	}
}

func (t *httpTimeouts) register(fs *pflag.FlagSet) {
	for _, f := range t.flags() {
		fs.DurationVar(f.target, f.flag, *f.target, f.usage+" [$"+f.env+"]")
	}
}

// resolve fills the timeouts not given as flags from the environment and
// checks them all.
func (t *httpTimeouts) resolve(fs *pflag.FlagSet, getenv func(string) string) error {
	var errs []error
	for _, f := range t.flags() {
		if fl := fs.Lookup(f.flag); fl == nil || !fl.Changed {
			if v := getenv(f.env); v != "" {
				d, err := time.ParseDuration(v)
				if err != nil {
					errs = append(errs, fmt.Errorf("%s %q: want a duration such as 30s", f.env, v))
					continue
				}
				*f.target = d
			}
		}
		if *f.target <= 0 {
			errs = append(errs, fmt.Errorf("%s %s: want a positive duration", f.flag, *f.target))
		}
	}
	return errors.Join(errs...)
}

func (t httpTimeouts) server(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: t.ReadHeader, ReadTimeout: t.Read, IdleTimeout: t.Idle}
}

func storeName(cfg config.Config) string {
	if cfg.DatabaseURL != "" {
		return "postgres"
	}
	return "sqlite:" + cfg.DataDir
}
