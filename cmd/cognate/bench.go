package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func benchCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "bench",
		Short: "Drive a running server with concurrent clients and report throughput and latency",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("bench: not built yet")
		},
	}
}
