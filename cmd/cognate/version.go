package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

func versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of this binary: module version, source revision and Go version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(cmd.OutOrStdout(), versionString())
			return nil
		},
	}
}

// versionString describes the running binary from its build information,
// e.g. "cognate (devel) 1de4065a2b3c dirty, go1.26.8".
func versionString() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "cognate (no build information)"
	}
	s := "cognate " + bi.Main.Version
	settings := map[string]string{}
	for _, kv := range bi.Settings {
		settings[kv.Key] = kv.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		s += " " + rev[:min(len(rev), 12)]
		if settings["vcs.modified"] == "true" {
			s += " dirty"
		}
	}
	return s + ", " + bi.GoVersion
}
