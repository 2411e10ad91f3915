package tlscert

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"
)

// DefaultCheckEvery is how often, at most, Files looks whether its files
// changed.
const DefaultCheckEvery = 5 * time.Second

// FileOptions configure Files; zero values are fine.
type FileOptions struct {
	// CheckEvery bounds how often the files are looked at (a stat of each,
	// on a handshake); zero is DefaultCheckEvery.
	CheckEvery time.Duration
	Now        func() time.Time
	Logger     *slog.Logger
}

// Files serves the key pair of a certificate file and a key file, and reads
// them again when either changes (its modification time or size). A pair
// that cannot be loaded — a certificate written before its key, a key that
// does not match — is logged and the previous pair kept until the files
// change again.
type Files struct {
	certFile, keyFile string
	opts              FileOptions

	mu      sync.Mutex
	cert    *tls.Certificate
	loaded  [2]stamp // of the files cert came from
	failed  [2]stamp // of the files that last failed to load
	checked time.Time
}

// stamp tells a version of a file from another.
type stamp struct {
	mod  time.Time
	size int64
}

// LoadFiles reads the key pair of certFile and keyFile (PEM; the key
// PKCS #8, PKCS #1 or SEC 1; certFile may hold intermediate certificates
// after the server's).
func LoadFiles(certFile, keyFile string, opts FileOptions) (*Files, error) {
	if opts.CheckEvery <= 0 {
		opts.CheckEvery = DefaultCheckEvery
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	f := &Files{certFile: certFile, keyFile: keyFile, opts: opts}
	stamps, err := f.stat()
	if err != nil {
		return nil, err
	}
	cert, err := loadPair(certFile, keyFile)
	if err != nil {
		return nil, err
	}
	f.cert, f.loaded, f.checked = cert, stamps, opts.Now()
	return f, nil
}

// Leaf returns the certificate being served.
func (f *Files) Leaf() *x509.Certificate {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cert.Leaf
}

// GetCertificate returns the current key pair, reading the files again
// first if they changed and the last look is CheckEvery old.
func (f *Files) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if now := f.opts.Now(); now.Sub(f.checked) >= f.opts.CheckEvery {
		f.checked = now
		f.reload()
	}
	return f.cert, nil
}

func (f *Files) reload() {
	stamps, err := f.stat()
	if err != nil {
		if stamps != f.failed {
			f.failed = stamps
			f.opts.Logger.Warn("TLS certificate files unreadable; serving the previous certificate", "error", err)
		}
		return
	}
	if stamps == f.loaded || stamps == f.failed {
		return
	}
	cert, err := loadPair(f.certFile, f.keyFile)
	if err != nil {
		f.failed = stamps
		f.opts.Logger.Warn("TLS certificate files changed but do not load; serving the previous certificate", "error", err)
		return
	}
	f.cert, f.loaded, f.failed = cert, stamps, [2]stamp{}
	f.opts.Logger.Info("TLS certificate reloaded", "cert", f.certFile, "subject", cert.Leaf.Subject.String(),
		"not_after", cert.Leaf.NotAfter)
}

func (f *Files) stat() ([2]stamp, error) {
	var s [2]stamp
	for i, name := range []string{f.certFile, f.keyFile} {
		fi, err := os.Stat(name)
		if err != nil {
			return s, fmt.Errorf("TLS %s: %w", [2]string{"certificate", "key"}[i], err)
		}
		s[i] = stamp{fi.ModTime(), fi.Size()}
	}
	return s, nil
}

// loadPair reads and checks a key pair, with errors that name the file at
// fault where it is known.
func loadPair(certFile, keyFile string) (*tls.Certificate, error) {
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return nil, fmt.Errorf("TLS certificate: %w", err)
	}
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, fmt.Errorf("TLS key: %w", err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("TLS key pair %s, %s: %w", certFile, keyFile, err)
	}
	if cert.Leaf == nil {
		// Go fills Leaf unless GODEBUG x509keypairleaf=0 says not to.
		if cert.Leaf, err = x509.ParseCertificate(cert.Certificate[0]); err != nil {
			return nil, fmt.Errorf("TLS certificate %s: %w", certFile, err)
		}
	}
	return &cert, nil
}
