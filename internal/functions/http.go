package functions

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/cognate-auth/cognate/webhook"
)

// errTooLarge is what a bounded body returns past MaxPayload.
var errTooLarge = fmt.Errorf("response larger than %d bytes", MaxPayload)

// boundedTransport cuts every response body at MaxPayload, so neither a
// webhook nor a Lambda endpoint can make Cognate buffer more.
type boundedTransport struct{ next http.RoundTripper }

func (b boundedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := b.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	resp.Body = &boundedBody{rc: resp.Body, left: MaxPayload}
	return resp, nil
}

type boundedBody struct {
	rc   io.ReadCloser
	left int64
}

func (b *boundedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return n, errTooLarge
	}
	return n, err
}

func (b *boundedBody) Close() error { return b.rc.Close() }

// webhookTarget POSTs the event to a URL, signed with a shared secret.
type webhookTarget struct {
	url    string
	secret []byte
	client *http.Client
}

func (w *webhookTarget) kind() Kind { return KindWebhook }

func (w *webhookTarget) invoke(ctx context.Context, _ ARN, event []byte) ([]byte, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(event))
	if err != nil {
		return nil, "", unexpected("webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(webhook.Header, webhook.Sign(w.secret, time.Now(), event))
	resp, err := w.client.Do(req)
	if err != nil {
		return nil, "", unexpected("webhook %s: %w", req.URL.Redacted(), unwrapURLError(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if errors.Is(err, errTooLarge) {
		return nil, "", invalid("%w", errTooLarge)
	}
	if err != nil {
		return nil, "", unexpected("webhook %s: reading the response: %w", req.URL.Redacted(), err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, "", unexpected("webhook %s answered %s", req.URL.Redacted(), resp.Status)
	}
	return body, resp.Header.Get("X-Amz-Function-Error"), nil
}

// unwrapURLError drops *url.Error's wrapping, which repeats the URL with its
// query (a webhook's query may hold a token).
func unwrapURLError(err error) error {
	if u, ok := errors.AsType[*url.Error](err); ok {
		return u.Err
	}
	return err
}
