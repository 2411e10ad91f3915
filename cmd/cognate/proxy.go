package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/spf13/cobra"

	"github.com/cognate-auth/cognate/authz"
	"github.com/cognate-auth/cognate/internal/proxy"
)

// proxyCommand is `cognate proxy`: a reverse proxy that admits only
// requests signed with vended credentials whose role's policies allow them.
func proxyCommand() *cobra.Command {
	var (
		upstream, listen, routesFile, verifierKey, verifierKeyFile string
		iamEndpoint, service, region, logLevel                     string
		policyTTL                                                  time.Duration
	)
	cmd := &cobra.Command{
		Use:   "proxy",
		Short: "Front an HTTP service: admit only requests signed with vended credentials that their role's policies allow",
		Long: `cognate proxy verifies every request's SigV4 signature (header or presigned URL) against credentials
Cognate vended, derives the action and resource from the route table (--routes), evaluates the role's
inline policies (read from Cognate's IAM API at --iam-endpoint with the AWS_ACCESS_KEY_ID /
AWS_SECRET_ACCESS_KEY of the environment), and passes allowed requests to --upstream with the caller in
X-Cognate-Principal-Arn, X-Cognate-Role-Arn, X-Cognate-Identity-Id, X-Cognate-Account-Id and
X-Cognate-Session-Name. See docs/authz.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if upstream == "" || routesFile == "" || iamEndpoint == "" {
				return usageError{errors.New("--upstream, --routes and --iam-endpoint are required")}
			}
			up, err := url.Parse(upstream)
			if err != nil || up.Host == "" {
				return usageError{fmt.Errorf("--upstream %q is not an absolute URL", upstream)}
			}
			if verifierKey == "" {
				verifierKey = os.Getenv("COGNATE_VERIFIER_KEY")
			}
			if verifierKeyFile != "" {
				b, err := os.ReadFile(verifierKeyFile)
				if err != nil {
					return err
				}
				verifierKey = strings.TrimSpace(string(b))
			}
			f, err := os.Open(routesFile)
			if err != nil {
				return err
			}
			routes, err := proxy.ParseRoutes(f)
			f.Close()
			if err != nil {
				return err
			}
			id, secret := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
			if id == "" || secret == "" {
				return usageError{errors.New("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must hold a key that may read roles' policies (the administrator key)")}
			}
			client := iam.New(iam.Options{Region: region, BaseEndpoint: aws.String(iamEndpoint),
				Credentials: credentials.NewStaticCredentialsProvider(id, secret, "")})
			checker, err := authz.New(authz.Config{VerifierKey: verifierKey, Policies: authz.IAMPolicies(client, policyTTL),
				Service: service, Regions: []string{region}})
			if err != nil {
				return err
			}
			log := newLogger(logLevel)
			h, err := proxy.New(proxy.Config{Upstream: up, Routes: routes, Checker: checker, Logger: log})
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return err
			}
			srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, IdleTimeout: 2 * time.Minute}
			fmt.Fprintf(cmd.ErrOrStderr(), "cognate proxy: http://%s → %s\n", ln.Addr(), up)
			errc := make(chan error, 1)
			go func() { errc <- srv.Serve(ln) }()
			select {
			case err := <-errc:
				return err
			case <-cmd.Context().Done():
				shutdown, cancel := context.WithTimeout(context.WithoutCancel(cmd.Context()), 10*time.Second)
				defer cancel()
				return srv.Shutdown(shutdown)
			}
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&upstream, "upstream", "", "URL of the service to protect")
	fl.StringVar(&listen, "listen", "127.0.0.1:9230", "address to listen on")
	fl.StringVar(&routesFile, "routes", "", "route table: lines of METHOD /path/{name} service:Action resource")
	fl.StringVar(&verifierKey, "verifier-key", "", "Cognate's verifier key (cognate keys verifier-key); or COGNATE_VERIFIER_KEY")
	fl.StringVar(&verifierKeyFile, "verifier-key-file", "", "file holding the verifier key")
	fl.StringVar(&iamEndpoint, "iam-endpoint", "", "Cognate's endpoint, for the roles' policies")
	fl.StringVar(&service, "service", "execute-api", "SigV4 service name clients sign for")
	fl.StringVar(&region, "region", "us-east-1", "SigV4 region clients sign for")
	fl.DurationVar(&policyTTL, "policy-cache", time.Minute, "how long a role's policies are kept before being read again")
	fl.StringVar(&logLevel, "log-level", "info", "debug, info, warn, error")
	return cmd
}
