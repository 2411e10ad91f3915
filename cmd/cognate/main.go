// Command cognate is a self-hosted, wire-compatible Amazon Cognito: one
// binary that serves user pools over Cognito's own protocols.
//
//	cognate serve      run the server
//	cognate messages   print the messages the server sent (codes, passwords)
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/cognate-auth/cognate/internal/config"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := rootCommand().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "cognate:", err)
		os.Exit(1)
	}
}

func rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "cognate",
		Short:         "A self-hosted, wire-compatible Amazon Cognito",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(serveCommand(), messagesCommand(), keysCommand(), benchCommand(), versionCommand())
	return root
}

// withConfig registers the shared flags on cmd and resolves them before run.
func withConfig(cmd *cobra.Command, run func(cmd *cobra.Command, cfg config.Config) error) *cobra.Command {
	var cfg config.Config
	cfg.Register(cmd.Flags())
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if err := cfg.Resolve(cmd.Flags(), nil); err != nil {
			return fmt.Errorf("configuration:\n%w", err)
		}
		return run(cmd, cfg)
	}
	return cmd
}

func newLogger(level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}
