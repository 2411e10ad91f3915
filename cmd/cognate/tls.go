package main

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/cognate-auth/cognate/internal/config"
	"github.com/cognate-auth/cognate/internal/tlscert"
)

// devTLSDir is where --tls-auto keeps its CA and certificate.
func devTLSDir(cfg config.Config) string { return filepath.Join(cfg.DataDir, "tls") }

// devTLSHosts are the hosts the --tls-auto certificate is for: the
// loopback names, the hosts of --listen and --public-url, and --tls-hosts.
func devTLSHosts(cfg config.Config) []string {
	hosts := []string{"localhost", "127.0.0.1", "::1"}
	if h, _, err := net.SplitHostPort(cfg.Listen); err == nil && h != "" {
		if a, err := netip.ParseAddr(h); err != nil || !a.IsUnspecified() {
			hosts = append(hosts, h)
		}
	}
	if u, err := url.Parse(cfg.PublicURL); err == nil && u.Hostname() != "" {
		hosts = append(hosts, u.Hostname())
	}
	return append(hosts, cfg.TLSHosts...)
}

// serveTLS returns the TLS configuration of cognate serve, or nil when it
// serves plain HTTP. A new development CA is announced on w, with how to
// trust it.
func serveTLS(cfg config.Config, w io.Writer, log *slog.Logger) (*tls.Config, error) {
	switch {
	case cfg.TLSAuto:
		dev, err := tlscert.OpenDev(devTLSDir(cfg), devTLSHosts(cfg), tlscert.DevOptions{Logger: log})
		if err != nil {
			return nil, fmt.Errorf("--tls-auto: %w", err)
		}
		if dev.CreatedCA() {
			ca, err := filepath.Abs(dev.CAFile())
			if err != nil {
				return nil, err
			}
			fmt.Fprintf(w, `
Cognate made a development certificate authority; its certificate is %[1]s
(cognate tls ca prints it). Clients must trust it to reach %[2]s:
    NODE_EXTRA_CA_CERTS=%[1]s node app.js
    aws --ca-bundle %[1]s ...        (or AWS_CA_BUNDLE=%[1]s)
Browsers and the system trust store: see docs/tls.md.

`, ca, cfg.PublicURL)
		}
		return tlscert.ServerConfig(dev.GetCertificate), nil
	case cfg.TLSCertFile != "":
		files, err := tlscert.LoadFiles(cfg.TLSCertFile, cfg.TLSKeyFile, tlscert.FileOptions{Logger: log})
		if err != nil {
			return nil, fmt.Errorf("--tls-cert, --tls-key: %w", err)
		}
		return tlscert.ServerConfig(files.GetCertificate), nil
	}
	return nil, nil
}

// serverErrorLog sends net/http's own error lines to the log: failed TLS
// handshakes (a client that does not trust the certificate, a port scan)
// at debug, anything else at warn.
func serverErrorLog(l *slog.Logger) *log.Logger {
	return log.New(errorLogWriter{l}, "", 0)
}

type errorLogWriter struct{ l *slog.Logger }

func (w errorLogWriter) Write(p []byte) (int, error) {
	msg := string(bytes.TrimSpace(p))
	if bytes.Contains(p, []byte("TLS handshake error")) {
		w.l.Debug(msg)
	} else {
		w.l.Warn(msg)
	}
	return len(p), nil
}

func tlsCommand() *cobra.Command {
	t := &cobra.Command{Use: "tls", Short: "The development certificate authority of cognate serve --tls-auto"}
	var path bool
	ca := withConfig(&cobra.Command{
		Use:   "ca",
		Short: "Print the certificate (PEM) of the development CA that --tls-auto made; --path prints its file's path",
		Long: `ca prints the certificate of the development certificate authority that cognate serve
--tls-auto made in <data-dir>/tls on its first start, for clients to trust:

    cognate tls ca > ca.pem
    NODE_EXTRA_CA_CERTS=ca.pem node app.js
    aws --ca-bundle ca.pem cognito-idp list-user-pools --max-results 10

--path prints the path of the file instead. Installing it for browsers and the system is
described in docs/tls.md; this command changes nothing.`,
		Args: cobra.NoArgs,
	}, func(cmd *cobra.Command, cfg config.Config) error {
		pem, file, err := tlscert.ReadCA(devTLSDir(cfg))
		if err != nil {
			return fmt.Errorf("%w (is this the --data-dir that cognate serve uses?)", err)
		}
		if path {
			abs, err := filepath.Abs(file)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), abs)
			return err
		}
		_, err = cmd.OutOrStdout().Write(pem)
		return err
	})
	ca.Flags().BoolVar(&path, "path", false, "print the path of the CA's certificate file instead of the certificate")
	t.AddCommand(ca)
	return t
}
