package main

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cognate-auth/cognate/internal/adminkey"
	"github.com/cognate-auth/cognate/internal/config"
	"github.com/cognate-auth/cognate/internal/server"
	"github.com/cognate-auth/cognate/internal/store"
)

func adminKeyCommand() *cobra.Command {
	var reset bool
	cmd := withConfig(&cobra.Command{
		Use:   "admin-key",
		Short: "Print the administrator key kept in the store as export lines; --reset replaces it",
		Long: `admin-key prints the administrator key that cognate serve generated for this store (the
--data-dir, or --database), with the region and endpoint, as shell export lines:

    eval "$(cognate admin-key)"

sets up the aws CLI and the SDKs in the current shell. The key is kept encrypted under the
master key; whoever can run this command can already read the store.

--reset replaces the stored key with a new one and prints that: the old key stops working on
every running server within a minute. A key given in COGNATE_ADMIN_ACCESS_KEY_ID and
COGNATE_ADMIN_SECRET_ACCESS_KEY is not stored, so it is neither shown nor replaced.`,
		Args: cobra.NoArgs,
	}, func(cmd *cobra.Command, cfg config.Config) error {
		ctx := cmd.Context()
		st, err := server.OpenExistingStore(ctx, cfg, newLogger("error"))
		if err != nil {
			return err
		}
		defer st.Close()
		var key store.AccessKey
		if reset {
			if key, err = adminkey.Reset(ctx, st, time.Now()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "cognate admin-key: replaced the administrator key of %s; running servers refuse the old one within %s\n",
				storeName(cfg), adminkey.CacheFor)
		} else if key, err = adminkey.Stored(ctx, st); errors.Is(err, adminkey.ErrNone) {
			return fmt.Errorf("no administrator key is stored in %s: cognate serve generates one on its first start "+
				"unless COGNATE_ADMIN_ACCESS_KEY_ID is set; cognate admin-key --reset creates one now", storeName(cfg))
		} else if err != nil {
			return err
		}
		if cfg.AdminAccessKeyID != "" {
			fmt.Fprintf(cmd.ErrOrStderr(), "cognate admin-key: servers started with this environment also accept %s from COGNATE_ADMIN_ACCESS_KEY_ID\n",
				cfg.AdminAccessKeyID)
		}
		return writeExports(cmd.OutOrStdout(), "", key, cfg)
	})
	cmd.Flags().BoolVar(&reset, "reset", false, "replace the stored key with a new one; the old one stops working")
	return cmd
}

// writeExports writes the shell lines that point the aws CLI and the SDKs at
// this server with an administrator key, each line after indent.
func writeExports(w io.Writer, indent string, k store.AccessKey, cfg config.Config) error {
	lines := []string{
		"export AWS_ACCESS_KEY_ID=" + shellQuote(k.ID),
		"export AWS_SECRET_ACCESS_KEY=" + shellQuote(k.Secret),
		// The aws CLI v1 reads AWS_DEFAULT_REGION, the SDKs AWS_REGION.
		"export AWS_REGION=" + shellQuote(cfg.Region) + " AWS_DEFAULT_REGION=" + shellQuote(cfg.Region),
		// Only the services Cognate serves (user pools, identity pools, and
		// the IAM and STS subsets they need): others stay on AWS.
		"export AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER=" + shellQuote(cfg.PublicURL) +
			" AWS_ENDPOINT_URL_COGNITO_IDENTITY=" + shellQuote(cfg.PublicURL),
		"export AWS_ENDPOINT_URL_IAM=" + shellQuote(cfg.PublicURL) + " AWS_ENDPOINT_URL_STS=" + shellQuote(cfg.PublicURL),
	}
	for _, l := range lines {
		if _, err := fmt.Fprintln(w, indent+l); err != nil {
			return err
		}
	}
	return nil
}

var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_+/.:,=@%-]+$`)

// shellQuote quotes s for a POSIX shell, leaving it bare when nothing in it
// needs quoting.
func shellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
