package signin

import (
	"context"

	"github.com/cognate-auth/cognate/internal/requestctx"
)

// source is the client address a request's budgets are counted from: for
// an administrator's call, which comes from the application's server, the
// end user's address its ContextData names; else the address the request
// came from.
func (a *attempt) source(ctx context.Context) string {
	if a.admin && a.user.IPAddress != "" {
		return a.user.IPAddress
	}
	return requestctx.ClientIP(ctx)
}
