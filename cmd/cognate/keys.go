package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cognate-auth/cognate/internal/config"
	"github.com/cognate-auth/cognate/internal/secretbox"
	"github.com/cognate-auth/cognate/internal/server"
	"github.com/cognate-auth/cognate/internal/sessiontoken"
	"github.com/cognate-auth/cognate/internal/tokens"
	"github.com/cognate-auth/cognate/internal/userpool"
	"github.com/cognate-auth/cognate/sendercode"
)

func keysCommand() *cobra.Command {
	keys := &cobra.Command{Use: "keys", Short: "Manage the keys that sign tokens and check credentials"}
	var pool string
	rotate := withConfig(&cobra.Command{
		Use:   "rotate",
		Short: "Start signing a pool's tokens with a new key; tokens signed with older keys stay valid",
		Args:  cobra.NoArgs,
	}, func(cmd *cobra.Command, cfg config.Config) error {
		if pool == "" {
			return usageError{errors.New("--pool is required")}
		}
		st, err := server.OpenExistingStore(cmd.Context(), cfg, newLogger("error"))
		if err != nil {
			return err
		}
		defer st.Close()
		if _, err := st.GetPool(cmd.Context(), pool); err != nil {
			return fmt.Errorf("pool %s: %w", pool, err)
		}
		kid, err := tokens.NewIssuer(st, tokens.Options{}).Rotate(cmd.Context(), pool)
		if err != nil {
			return err
		}
		fmt.Fprintf(cmd.OutOrStdout(), "pool %s now signs with key %s; running servers pick it up within 30 seconds\n", pool, kid)
		return nil
	})
	rotate.Flags().StringVar(&pool, "pool", "", "user pool id")
	verifier := withConfig(&cobra.Command{
		Use:   "verifier-key",
		Short: "Print the key that services (authz, cognate proxy) check vended credentials with; it cannot mint them",
		Args:  cobra.NoArgs,
	}, func(cmd *cobra.Command, cfg config.Config) error {
		key, err := secretbox.LoadKeyFile(cfg.MasterKeyFile)
		if err != nil {
			return fmt.Errorf("%w (is this the --data-dir / --master-key-file that cognate serve uses?)", err)
		}
		m, err := sessiontoken.NewMinter(key)
		if err != nil {
			return err
		}
		fmt.Fprintln(cmd.OutOrStdout(), m.Key())
		return nil
	})
	var kmsKeyID string
	sender := withConfig(&cobra.Command{
		Use:   "sender-key",
		Short: "Print the key that custom email and SMS sender functions decrypt codes with, for one LambdaConfig.KMSKeyID",
		Args:  cobra.NoArgs,
	}, func(cmd *cobra.Command, cfg config.Config) error {
		if kmsKeyID == "" {
			return usageError{errors.New("--kms-key-id is required")}
		}
		key, err := secretbox.LoadKeyFile(cfg.MasterKeyFile)
		if err != nil {
			return fmt.Errorf("%w (is this the --data-dir / --master-key-file that cognate serve uses?)", err)
		}
		sk, err := userpool.SenderKey(key, kmsKeyID)
		if err != nil {
			return err
		}
		fmt.Fprintln(cmd.OutOrStdout(), sendercode.FormatKey(sk))
		return nil
	})
	sender.Flags().StringVar(&kmsKeyID, "kms-key-id", "", "the pool's LambdaConfig.KMSKeyID")
	keys.AddCommand(rotate, verifier, sender)
	return keys
}
