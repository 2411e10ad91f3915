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

	"github.com/cognate-auth/cognate/internal/config"
	"github.com/cognate-auth/cognate/internal/server"
)

func serveCommand() *cobra.Command {
	return withConfig(&cobra.Command{
		Use:   "serve",
		Short: "Run the Cognate server",
		Args:  cobra.NoArgs,
	}, runServe)
}

func runServe(cmd *cobra.Command, cfg config.Config) error {
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
	handler := server.ReleaseWhenIdle(ctx, srv.Handler, server.IdleRelease)
	hs := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	log.Info("cognate is serving", "listen", ln.Addr().String(), "public_url", cfg.PublicURL, "region", cfg.Region,
		"store", storeName(cfg))
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

func storeName(cfg config.Config) string {
	if cfg.DatabaseURL != "" {
		return "postgres"
	}
	return "sqlite:" + cfg.DataDir
}
