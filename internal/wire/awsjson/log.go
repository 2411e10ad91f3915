package awsjson

import (
	"cmp"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/requestctx"
)

// logRequest writes one line per answered request. Client errors and
// signed (administrator) operations are logged at info, server errors at
// error, with the cause; the successes of unsigned operations, which are
// most of the traffic, at debug. A line names the operation, the user pool
// and app client, the request id, the status and the exception, never a
// value of the request otherwise: no password, code or token reaches the
// logs. The message of a client error, safe for the client but free text,
// follows at debug.
func (h *Handler) logRequest(c served, status int, e *apierr.Error, took time.Duration) {
	level := slog.LevelDebug
	switch {
	case status >= http.StatusInternalServerError:
		level = slog.LevelError
	case status >= http.StatusBadRequest, c.signed:
		level = slog.LevelInfo
	}
	ctx := c.ctx
	if !h.log.Enabled(ctx, level) {
		return
	}
	pool, client := concerned(ctx, c.body)
	attrs := []slog.Attr{
		slog.String("request_id", requestctx.RequestID(ctx)),
		slog.String("operation", c.op),
		slog.String("pool_id", pool),
		slog.String("client_id", client),
		slog.Int("status", status),
	}
	if e != nil {
		attrs = append(attrs, slog.String("exception", e.Code))
	}
	attrs = append(attrs, slog.Bool("signed", c.signed), slog.String("region", requestctx.Region(ctx)),
		slog.String("client_ip", requestctx.ClientIP(ctx)), slog.Duration("duration", took))
	if e != nil && status >= http.StatusInternalServerError {
		attrs = append(attrs, slog.Any("error", e))
	}
	h.log.LogAttrs(ctx, level, "awsjson request", attrs...)
	if e != nil && status < http.StatusInternalServerError {
		h.log.LogAttrs(ctx, slog.LevelDebug, "awsjson: request failed",
			slog.String("request_id", requestctx.RequestID(ctx)), slog.String("operation", c.op), slog.Any("error", e))
	}
}

// maxLoggedID bounds the identifiers a log line copies from a request, which
// may be refused precisely for being too long. The model allows 55
// characters for pool ids and 128 for client ids.
const maxLoggedID = 128

// concerned returns the user pool and app client of a request: what the
// handler recorded, else the body's top-level UserPoolId and ClientId.
func concerned(ctx context.Context, body []byte) (pool, client string) {
	pool, client = requestctx.Resources(ctx)
	if (pool == "" || client == "") && len(body) > 0 {
		var ids struct{ UserPoolId, ClientId string }
		_ = json.Unmarshal(body, &ids) // a malformed body leaves what it could read
		pool, client = cmp.Or(pool, ids.UserPoolId), cmp.Or(client, ids.ClientId)
	}
	return clip(pool), clip(client)
}

func clip(s string) string {
	if len(s) > maxLoggedID {
		return strings.ToValidUTF8(s[:maxLoggedID], "")
	}
	return s
}
