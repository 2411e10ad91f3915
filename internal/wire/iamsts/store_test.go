package iamsts_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/store/sqlstore"
)

// openStore opens a fresh SQLite store for one test.
func openStore(tb testing.TB) store.IAMStore {
	tb.Helper()
	st, err := sqlstore.Open(context.Background(), sqlstore.Config{Driver: "sqlite", DSN: filepath.Join(tb.TempDir(), "iam.db"),
		MasterKey: make([]byte, 32), SQLiteSynchronous: "NORMAL"})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}
