package sqlstore

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/store/storetest"
	"github.com/cognate-auth/cognate/internal/testutil/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var testKey = bytes.Repeat([]byte{0x42}, 32)

// An engine opens a new, empty store of one kind for a test.
type engine struct {
	name string
	// config returns the configuration of a new, empty database.
	config func(t testing.TB) Config
}

var engines = []engine{
	{"SQLite", func(t testing.TB) Config {
		return Config{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "cognate.db"), MasterKey: testKey}
	}},
	{"Postgres", func(t testing.TB) Config {
		return Config{Driver: "postgres", DSN: pgtest.URL(t), MasterKey: testKey}
	}},
}

func mustOpen(t testing.TB, cfg Config) *Store {
	t.Helper()
	s, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func (e engine) open(t *testing.T) store.Store { return mustOpen(t, e.config(t)) }

func TestSQLite(t *testing.T)              { storetest.RunContract(t, engines[0].open) }
func TestSQLiteConcurrency(t *testing.T)   { storetest.RunConcurrency(t, engines[0].open) }
func TestPostgres(t *testing.T)            { storetest.RunContract(t, engines[1].open) }
func TestPostgresConcurrency(t *testing.T) { storetest.RunConcurrency(t, engines[1].open) }

// forEngine runs test once per engine.
func forEngine(t *testing.T, test func(t *testing.T, e engine)) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) { test(t, e) })
	}
}

func TestOpenRejectsConfig(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]Config{
		"unknown driver":      {Driver: "mysql", DSN: "x", MasterKey: testKey},
		"short master key":    {DSN: filepath.Join(dir, "a.db"), MasterKey: testKey[:16]},
		"no master key":       {DSN: filepath.Join(dir, "a.db")},
		"empty path":          {MasterKey: testKey},
		"path with query":     {DSN: filepath.Join(dir, "a.db?mode=ro"), MasterKey: testKey},
		"memory database":     {DSN: ":memory:", MasterKey: testKey},
		"URI":                 {DSN: "file:" + filepath.Join(dir, "a.db"), MasterKey: testKey},
		"unknown synchronous": {DSN: filepath.Join(dir, "a.db"), MasterKey: testKey, SQLiteSynchronous: "OFF"},
	}
	for name, cfg := range cases {
		if s, err := Open(t.Context(), cfg); err == nil {
			s.Close()
			t.Errorf("%s: Open succeeded", name)
		}
	}
}

// TestMigrateRace opens one new database from several goroutines at once,
// as replicas starting together do: each must succeed, and the migrations
// must be applied once.
func TestMigrateRace(t *testing.T) {
	forEngine(t, func(t *testing.T, e engine) {
		cfg := e.config(t)
		const replicas = 6
		stores := make([]*Store, replicas)
		errs := make([]error, replicas)
		var wg sync.WaitGroup
		for i := range replicas {
			wg.Go(func() { stores[i], errs[i] = Open(t.Context(), cfg) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("replica %d: %v", i, err)
			}
			defer stores[i].Close()
		}
		ms, err := loadMigrations(migrationFiles, "migrations/"+stores[0].d.name)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := stores[0].r.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != len(ms) {
			t.Fatalf("schema_migrations has %d rows, want %d", n, len(ms))
		}
		// They all work on the one database.
		must(t, stores[1].CreatePool(t.Context(), store.Pool{ID: "p"}))
		if _, err := stores[replicas-1].GetPool(t.Context(), "p"); err != nil {
			t.Fatal(err)
		}
	})
}

// TestMigrationsMatch checks that both dialects have the same migrations.
func TestMigrationsMatch(t *testing.T) {
	var names [2][]string
	for i, d := range []string{"sqlite", "postgres"} {
		ms, err := loadMigrations(migrationFiles, "migrations/"+d)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			names[i] = append(names[i], m.name)
		}
	}
	if strings.Join(names[0], ",") != strings.Join(names[1], ",") {
		t.Fatalf("sqlite migrations %v, postgres %v", names[0], names[1])
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func testUser(poolID, username, sub string) store.User {
	return store.User{
		PoolID: poolID, Username: username, Sub: sub, Status: store.StatusConfirmed, Enabled: true,
		Keys: []store.UserKey{{Kind: store.KeyUsername, Value: username}, {Kind: store.KeySub, Value: sub}},
	}
}

// TestUserKeysChecked covers what the engine asks of User.Keys.
func TestUserKeysChecked(t *testing.T) {
	s := mustOpen(t, engines[0].config(t))
	ctx := t.Context()
	must(t, s.CreatePool(ctx, store.Pool{ID: "p"}))
	bad := map[string][]store.UserKey{
		"no username key":   {{Kind: store.KeySub, Value: "s"}},
		"no sub key":        {{Kind: store.KeyUsername, Value: "u"}},
		"two username keys": {{Kind: store.KeyUsername, Value: "u"}, {Kind: store.KeyUsername, Value: "v"}, {Kind: store.KeySub, Value: "s"}},
		"empty value":       {{Kind: store.KeyUsername, Value: "u"}, {Kind: store.KeySub, Value: "s"}, {Kind: "email", Value: ""}},
	}
	for name, keys := range bad {
		u := testUser("p", "u", "s")
		u.Keys = keys
		if err := s.CreateUser(ctx, u); err == nil || errors.Is(err, store.ErrAlreadyExists) {
			t.Errorf("%s: CreateUser err = %v, want a validation error", name, err)
		}
	}
	// A key given twice is kept once.
	u := testUser("p", "u", "s")
	u.Keys = append(u.Keys, u.Keys[0])
	must(t, s.CreateUser(ctx, u))
	got, err := s.GetUserByKey(ctx, "p", u.Keys[0])
	must(t, err)
	if len(got.Keys) != 2 {
		t.Fatalf("keys = %v, want the two distinct ones", got.Keys)
	}
}

func TestTimeOutOfRange(t *testing.T) {
	s := mustOpen(t, engines[0].config(t))
	p := store.Pool{ID: "p", CreatedAt: time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)}
	if err := s.CreatePool(t.Context(), p); err == nil {
		t.Fatal("CreatePool stored a time past 2262")
	}
}
