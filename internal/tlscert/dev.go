package tlscert

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math/big"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// The files of a development CA's directory. The CA's key and certificate
// are kept together in one file, and so are the server's, so that each pair
// is written at once and two processes sharing the directory never see a
// key with another's certificate.
const (
	CAFile    = "ca.pem"     // the CA's certificate, for clients to trust
	caKeyFile = "ca-key.pem" // the CA's key and certificate (0600)
	leafFile  = "server.pem" // the server's certificate and key (0600)
)

// CAName is the common name of development CAs, as trust stores list them.
const CAName = "Cognate development CA"

const (
	caValidity = 10 * 365 * 24 * time.Hour
	// leafValidity stays under the 398 days some clients allow a server
	// certificate.
	leafValidity = 397 * 24 * time.Hour
	// renewBefore: a server certificate this close to its end is issued
	// again, at start or while serving.
	renewBefore = 30 * 24 * time.Hour
	// checkEvery is how often a serving Dev looks at its certificate's age.
	checkEvery = time.Hour
	// backdate covers clocks a little behind the one that issued.
	backdate = time.Hour
)

// DevOptions configure a Dev; zero values are fine.
type DevOptions struct {
	Now    func() time.Time
	Logger *slog.Logger
}

// Dev is a development certificate authority kept in a directory, made on
// first use and reused after, and the server certificate it issued for a
// list of hosts.
type Dev struct {
	dir       string
	opts      DevOptions
	ca        *x509.Certificate
	caKey     crypto.Signer
	createdCA bool

	mu      sync.Mutex
	hosts   []string // normalHosts
	cert    *tls.Certificate
	checked time.Time
}

// OpenDev opens the development CA in dir, making the directory and the CA
// if they are missing, and makes sure the server certificate there names
// exactly hosts, is signed by the CA and is not near its end, issuing a new
// one otherwise. A CA that is there but cannot be read is an error, never
// replaced: clients trust it.
func OpenDev(dir string, hosts []string, opts DevOptions) (*Dev, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	hosts, err := checkHosts(hosts)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("development CA: %w", err)
	}
	d := &Dev{dir: dir, opts: opts, hosts: hosts}
	if d.ca, d.caKey, d.createdCA, err = loadOrCreateCA(dir, opts.Now()); err != nil {
		return nil, err
	}
	if err := writeCAFile(dir, d.ca); err != nil {
		return nil, err
	}
	d.checked = opts.Now()
	if err := d.ensureLeaf(d.checked); err != nil {
		return nil, err
	}
	return d, nil
}

// CAFile returns the path of the CA's certificate.
func (d *Dev) CAFile() string { return filepath.Join(d.dir, CAFile) }

// CreatedCA reports whether OpenDev made the CA.
func (d *Dev) CreatedCA() bool { return d.createdCA }

// Hosts returns the hosts the server certificate names.
func (d *Dev) Hosts() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.hosts)
}

// Leaf returns the server certificate being served.
func (d *Dev) Leaf() *x509.Certificate {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.cert.Leaf
}

// SetHosts makes the server certificate name hosts, issuing a new one if
// the current one names others.
func (d *Dev) SetHosts(hosts []string) error {
	hosts, err := checkHosts(hosts)
	if err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.hosts = hosts
	return d.ensureLeaf(d.opts.Now())
}

// GetCertificate returns the server certificate, issuing a new one first
// when it nears its end (looked at once an hour).
func (d *Dev) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if now := d.opts.Now(); now.Sub(d.checked) >= checkEvery {
		d.checked = now
		if err := d.ensureLeaf(now); err != nil {
			d.opts.Logger.Error("renewing the development TLS certificate", "error", err)
		}
	}
	return d.cert, nil
}

// ensureLeaf keeps the current server certificate, or the one on disk,
// while it is usable, and issues and writes a new one otherwise. d.mu is
// held, or d not yet shared.
func (d *Dev) ensureLeaf(now time.Time) error {
	if d.cert == nil {
		if b, err := os.ReadFile(filepath.Join(d.dir, leafFile)); err == nil {
			if c, err := tls.X509KeyPair(b, b); err == nil && d.usable(c.Leaf, now) {
				d.cert = &c
				return nil
			}
		}
	} else if d.usable(d.cert.Leaf, now) {
		return nil
	}
	cert, bundle, err := d.issue(now)
	if err != nil {
		return err
	}
	if err := writeAtomic(filepath.Join(d.dir, leafFile), bundle, 0o600); err != nil {
		return fmt.Errorf("development TLS certificate: %w", err)
	}
	d.cert = cert
	d.opts.Logger.Info("issued a development TLS certificate", "hosts", d.hosts, "not_after", cert.Leaf.NotAfter)
	return nil
}

// usable reports whether leaf is the CA's, for server authentication, names
// d.hosts exactly, and has more than renewBefore to run.
func (d *Dev) usable(leaf *x509.Certificate, now time.Time) bool {
	if leaf == nil || now.Before(leaf.NotBefore) || leaf.NotAfter.Sub(now) < renewBefore {
		return false
	}
	roots := x509.NewCertPool()
	roots.AddCert(d.ca)
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, CurrentTime: now,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}); err != nil {
		return false
	}
	return slices.Equal(certHosts(leaf), d.hosts)
}

// certHosts returns the names and addresses a certificate is for, as
// normalHosts.
func certHosts(c *x509.Certificate) []string {
	hosts := slices.Clone(c.DNSNames)
	for _, ip := range c.IPAddresses {
		hosts = append(hosts, ip.String())
	}
	return normalHosts(hosts)
}

// issue makes a server certificate for d.hosts, and the PEM bundle of it
// and its key.
func (d *Dev) issue(now time.Time) (*tls.Certificate, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := serialNumber()
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{Organization: []string{"Cognate development certificate"}, CommonName: d.hosts[0]},
		NotBefore:    now.Add(-backdate),
		NotAfter:     now.Add(leafValidity),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if tmpl.NotAfter.After(d.ca.NotAfter) {
		tmpl.NotAfter = d.ca.NotAfter
	}
	for _, h := range d.hosts {
		if a, err := netip.ParseAddr(h); err == nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, net.IP(a.AsSlice()))
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, d.ca, key.Public(), d.caKey)
	if err != nil {
		return nil, nil, fmt.Errorf("issuing the development TLS certificate: %w", err)
	}
	bundle, err := pemBundle(der, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := tls.X509KeyPair(bundle, bundle)
	if err != nil {
		return nil, nil, err
	}
	return &cert, bundle, nil
}

// ReadCA returns the certificate (PEM) of the development CA in dir and
// its path, creating nothing.
func ReadCA(dir string) ([]byte, string, error) {
	path := filepath.Join(dir, CAFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, path, fmt.Errorf("no development CA in %s: cognate serve --tls-auto makes it on its first start", dir)
	}
	if err != nil {
		return nil, path, err
	}
	if blk, _ := pem.Decode(b); blk == nil || blk.Type != "CERTIFICATE" {
		return nil, path, fmt.Errorf("%s holds no PEM certificate", path)
	}
	return b, path, nil
}

func checkHosts(hosts []string) ([]string, error) {
	hosts = normalHosts(hosts)
	if len(hosts) == 0 {
		return nil, errors.New("development TLS certificate: no hosts")
	}
	var errs []error
	for _, h := range hosts {
		if err := CheckHost(h); err != nil {
			errs = append(errs, err)
		}
	}
	return hosts, errors.Join(errs...)
}

// loadOrCreateCA reads the CA of dir, or makes one. Two processes making
// one at once agree: the file is linked into place only if absent, and the
// loser reads the winner's.
func loadOrCreateCA(dir string, now time.Time) (*x509.Certificate, crypto.Signer, bool, error) {
	path := filepath.Join(dir, caKeyFile)
	ca, key, err := readCA(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return ca, key, false, err
	}
	bundle, err := newCA(now)
	if err != nil {
		return nil, nil, false, err
	}
	tmp, err := writeTemp(dir, bundle, 0o600)
	if err != nil {
		return nil, nil, false, fmt.Errorf("development CA: %w", err)
	}
	defer os.Remove(tmp)
	created := true
	if err := os.Link(tmp, path); errors.Is(err, fs.ErrExist) {
		created = false
	} else if err != nil {
		return nil, nil, false, fmt.Errorf("development CA: %w", err)
	}
	ca, key, err = readCA(path)
	return ca, key, created, err
}

// readCA reads a CA's key and certificate from one PEM file and checks they
// belong together.
func readCA(path string) (*x509.Certificate, crypto.Signer, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	bad := func(why string) error {
		return fmt.Errorf("development CA %s: %s (move the directory aside to make a new CA, which clients must then trust again)", path, why)
	}
	var ca *x509.Certificate
	var key crypto.Signer
	for blk, rest := pem.Decode(b); blk != nil; blk, rest = pem.Decode(rest) {
		switch blk.Type {
		case "CERTIFICATE":
			if ca, err = x509.ParseCertificate(blk.Bytes); err != nil {
				return nil, nil, bad(err.Error())
			}
		case "PRIVATE KEY":
			k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
			if err != nil {
				return nil, nil, bad(err.Error())
			}
			var ok bool
			if key, ok = k.(crypto.Signer); !ok {
				return nil, nil, bad("the key cannot sign")
			}
		}
	}
	switch {
	case ca == nil || key == nil:
		return nil, nil, bad("want a PRIVATE KEY and a CERTIFICATE")
	case !ca.IsCA || ca.KeyUsage&x509.KeyUsageCertSign == 0:
		return nil, nil, bad("the certificate is not a CA's")
	}
	if pub, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool }); !ok || !pub.Equal(ca.PublicKey) {
		return nil, nil, bad("the key is not the certificate's")
	}
	return ca, key, nil
}

// newCA makes a CA: ECDSA P-256, ten years, for server certificates only
// (no intermediates below it).
func newCA(now time.Time) ([]byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, err := serialNumber()
	if err != nil {
		return nil, err
	}
	name := pkix.Name{CommonName: CAName, Organization: []string{CAName}}
	// The machine's name tells one developer's CA from another's in a
	// trust store.
	if host, err := os.Hostname(); err == nil && host != "" {
		name.OrganizationalUnit = []string{host}
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               name,
		NotBefore:             now.Add(-backdate),
		NotAfter:              now.Add(caValidity),
		IsCA:                  true,
		BasicConstraintsValid: true,
		MaxPathLenZero:        true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, fmt.Errorf("making the development CA: %w", err)
	}
	return pemBundle(der, key)
}

// writeCAFile writes the CA's certificate to ca.pem unless it is there.
func writeCAFile(dir string, ca *x509.Certificate) error {
	b := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw})
	path := filepath.Join(dir, CAFile)
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, b) {
		return nil
	}
	if err := writeAtomic(path, b, 0o644); err != nil {
		return fmt.Errorf("development CA: %w", err)
	}
	return nil
}

func pemBundle(der []byte, key *ecdsa.PrivateKey) ([]byte, error) {
	k, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	b := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	return append(b, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: k})...), nil
}

func serialNumber() (*big.Int, error) {
	return rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
}

// writeAtomic replaces path with b: readers see the old file or the new,
// never part of one.
func writeAtomic(path string, b []byte, perm os.FileMode) error {
	tmp, err := writeTemp(filepath.Dir(path), b, perm)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// writeTemp writes b to a new file of dir with mode perm.
func writeTemp(dir string, b []byte, perm os.FileMode) (string, error) {
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return "", err
	}
	name := f.Name()
	_, err = f.Write(b)
	if err == nil {
		err = f.Chmod(perm)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}
