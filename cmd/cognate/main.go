// Command cognate is a self-hosted, wire-compatible Amazon Cognito: one
// binary that serves user pools over Cognito's own protocols.
//
//	cognate serve      run the server
//	cognate messages   print the messages the server sent (codes, passwords)
//	cognate admin-key  print (or --reset) the administrator key of the store
//	cognate tls ca     print the development CA of serve --tls-auto
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/cognate-auth/cognate/internal/config"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := execute(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// execute runs the command line and returns the exit status. An error in
// the command line itself (unknown command or flag, missing argument)
// points at the command's --help.
func execute(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := rootCommand()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	started := false // the command line was understood and a command began
	root.PersistentPreRun = func(*cobra.Command, []string) { started = true }
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "cognate:", err)
	var u usageError
	if !started || errors.As(err, &u) {
		fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
	}
	return 1
}

// usageError is a command's complaint about how it was called.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

func rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "cognate",
		Short:         "A self-hosted, wire-compatible Amazon Cognito",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(serveCommand(), messagesCommand(), adminKeyCommand(), keysCommand(), proxyCommand(), benchCommand(), tlsCommand(), versionCommand())
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
