package main

import (
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

func TestServeTimeouts(t *testing.T) {
	for name, d := range map[string]time.Duration{"read-header": defaultTimeouts.ReadHeader, "read": defaultTimeouts.Read, "idle": defaultTimeouts.Idle} {
		if d <= 0 || d > 5*time.Minute {
			t.Errorf("default %s timeout %s", name, d)
		}
	}
	hs := defaultTimeouts.server(nil)
	if hs.ReadHeaderTimeout != defaultTimeouts.ReadHeader || hs.ReadTimeout != defaultTimeouts.Read || hs.IdleTimeout != defaultTimeouts.Idle {
		t.Errorf("http.Server timeouts %s %s %s, want the defaults", hs.ReadHeaderTimeout, hs.ReadTimeout, hs.IdleTimeout)
	}

	resolve := func(args []string, env map[string]string) (httpTimeouts, error) {
		tm := defaultTimeouts
		fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
		tm.register(fs)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		return tm, tm.resolve(fs, func(k string) string { return env[k] })
	}
	got, err := resolve([]string{"--read-timeout", "5s"}, map[string]string{"COGNATE_READ_TIMEOUT": "7s", "COGNATE_IDLE_TIMEOUT": "1m"})
	if err != nil || got != (httpTimeouts{ReadHeader: defaultTimeouts.ReadHeader, Read: 5 * time.Second, Idle: time.Minute}) {
		t.Errorf("flag over environment over default: %+v, %v", got, err)
	}
	_, err = resolve([]string{"--read-header-timeout", "0s"}, map[string]string{"COGNATE_IDLE_TIMEOUT": "soon"})
	if err == nil || !strings.Contains(err.Error(), "read-header-timeout") || !strings.Contains(err.Error(), "COGNATE_IDLE_TIMEOUT") {
		t.Errorf("bad timeouts: err = %v, want both reported", err)
	}
}
