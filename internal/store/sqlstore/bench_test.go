package sqlstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/cognate-auth/cognate/internal/store"
)

// Benchmarks of the hot paths. They run on SQLite under both synchronous
// settings, and on PostgreSQL when it is available:
//
//	go test -run '^$' -bench . ./internal/store/sqlstore
var benchEngines = []struct {
	name   string
	config func(b *testing.B) Config
}{
	{"SQLite-FULL", func(b *testing.B) Config { return sqliteBenchConfig(b, "FULL") }},
	{"SQLite-NORMAL", func(b *testing.B) Config { return sqliteBenchConfig(b, "NORMAL") }},
	{"Postgres", func(b *testing.B) Config { return engines[1].config(b) }},
}

func sqliteBenchConfig(b *testing.B, sync string) Config {
	return Config{Driver: "sqlite", DSN: filepath.Join(b.TempDir(), "bench.db"), MasterKey: testKey, SQLiteSynchronous: sync}
}

// benchStore opens a store holding a pool with n users, bench-000000...
func benchStore(b *testing.B, cfg Config, n int) *Store {
	b.Helper()
	s := mustOpen(b, cfg)
	ctx := context.Background()
	if err := s.CreatePool(ctx, store.Pool{ID: "p"}); err != nil {
		b.Fatal(err)
	}
	for i := range n {
		if err := s.CreateUser(ctx, benchUser(fmt.Sprintf("bench-%06d", i))); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

// benchUser is a user of typical size: a few attributes, an alias, a
// password and a pending code.
func benchUser(name string) store.User {
	u := testUser("p", name, "sub-"+name)
	u.Attributes = map[string]string{"email": name + "@example.com", "email_verified": "true", "name": "Bench User"}
	u.Keys = append(u.Keys, store.UserKey{Kind: "email", Value: name + "@example.com"})
	u.Password = &store.PasswordVerifier{Salt: make([]byte, 16), Verifier: make([]byte, 384)}
	u.Codes = map[string]store.Code{"verify:email": {Hash: make([]byte, 32), ExpiresAt: time.Now()}}
	u.CreatedAt, u.UpdatedAt = time.Now(), time.Now()
	return u
}

func forBenchEngine(b *testing.B, writes bool, bench func(b *testing.B, cfg Config)) {
	for _, e := range benchEngines {
		if !writes && e.name == "SQLite-NORMAL" {
			continue // synchronous matters to writes only
		}
		b.Run(e.name, func(b *testing.B) { bench(b, e.config(b)) })
	}
}

func BenchmarkCreateUser(b *testing.B) {
	forBenchEngine(b, true, func(b *testing.B, cfg Config) {
		s := benchStore(b, cfg, 0)
		ctx := context.Background()
		i := 0
		for b.Loop() {
			if err := s.CreateUser(ctx, benchUser(fmt.Sprintf("new-%07d", i))); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

const benchUsers = 1000

func benchKey(i int) store.UserKey {
	return store.UserKey{Kind: store.KeyUsername, Value: fmt.Sprintf("bench-%06d", i%benchUsers)}
}

func BenchmarkGetUserByKey(b *testing.B) {
	forBenchEngine(b, false, func(b *testing.B, cfg Config) {
		s := benchStore(b, cfg, benchUsers)
		ctx := context.Background()
		i := 0
		for b.Loop() {
			if _, err := s.GetUserByKey(ctx, "p", benchKey(i)); err != nil {
				b.Fatal(err)
			}
			i += 7
		}
	})
}

func BenchmarkGetUserByKeyParallel(b *testing.B) {
	forBenchEngine(b, false, func(b *testing.B, cfg Config) {
		s := benchStore(b, cfg, benchUsers)
		ctx := context.Background()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			i := rand.IntN(benchUsers)
			for pb.Next() {
				if _, err := s.GetUserByKey(ctx, "p", benchKey(i)); err != nil {
					b.Error(err)
					return
				}
				i += 7
			}
		})
	})
}

func BenchmarkUpdateUser(b *testing.B) {
	forBenchEngine(b, true, func(b *testing.B, cfg Config) {
		s := benchStore(b, cfg, benchUsers)
		ctx := context.Background()
		i := 0
		for b.Loop() {
			if _, err := s.UpdateUser(ctx, "p", benchKey(i), func(u store.User) (store.User, error) {
				u.PasswordExpiresAt = u.PasswordExpiresAt.Add(time.Second)
				return u, nil
			}); err != nil {
				b.Fatal(err)
			}
			i += 7
		}
	})
}

func benchSession(i int) store.Session {
	h := make([]byte, 32)
	copy(h, fmt.Sprintf("refresh-%d", i))
	return store.Session{
		ID: fmt.Sprintf("session-%08d", i), PoolID: "p", ClientID: "client", Username: "bench-000001", Sub: "sub-bench-000001",
		RefreshTokenHash: h, AuthTime: time.Now(), CreatedAt: time.Now(), ExpiresAt: time.Now().Add(time.Hour),
	}
}

func BenchmarkCreateSession(b *testing.B) {
	forBenchEngine(b, true, func(b *testing.B, cfg Config) {
		s := benchStore(b, cfg, 0)
		ctx := context.Background()
		i := 0
		for b.Loop() {
			if err := s.CreateSession(ctx, benchSession(i)); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// benchSessionStore opens a store holding benchUsers sessions of users.
func benchSessionStore(b *testing.B, cfg Config, users int) *Store {
	b.Helper()
	s := benchStore(b, cfg, users)
	for i := range benchUsers {
		if err := s.CreateSession(context.Background(), benchSession(i)); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

func BenchmarkGetSession(b *testing.B) {
	forBenchEngine(b, false, func(b *testing.B, cfg Config) {
		s := benchSessionStore(b, cfg, 0)
		ctx := context.Background()
		i := 0
		for b.Loop() {
			if _, err := s.GetSession(ctx, fmt.Sprintf("session-%08d", i%benchUsers)); err != nil {
				b.Fatal(err)
			}
			i += 7
		}
	})
}

// BenchmarkGetSessionAndUserByRefreshToken is the read of every refresh.
func BenchmarkGetSessionAndUserByRefreshToken(b *testing.B) {
	forBenchEngine(b, false, func(b *testing.B, cfg Config) {
		s := benchSessionStore(b, cfg, 2)
		ctx := context.Background()
		i := 0
		for b.Loop() {
			x := benchSession(i % benchUsers)
			if _, _, err := s.GetSessionAndUserByRefreshToken(ctx, x.RefreshTokenHash); err != nil {
				b.Fatal(err)
			}
			i += 7
		}
	})
}

// BenchmarkSQLitePools compares SQLite with one writer connection beside a
// pool of readers ("split", what Open does) against one pool whose
// connections all read and write ("shared"), under a parallel load of
// reads with one write in ten.
func BenchmarkSQLitePools(b *testing.B) {
	for _, shared := range []bool{false, true} {
		name := map[bool]string{false: "split", true: "shared"}[shared]
		b.Run(name, func(b *testing.B) {
			cfg := sqliteBenchConfig(b, "FULL")
			cfg.sharedPool = shared
			s := benchStore(b, cfg, benchUsers)
			ctx := context.Background()
			b.ResetTimer()
			b.SetParallelism(4) // 4×GOMAXPROCS goroutines, as a busy server has
			b.RunParallel(func(pb *testing.PB) {
				i := rand.IntN(benchUsers)
				for pb.Next() {
					var err error
					if i%10 == 0 {
						_, err = s.UpdateUser(ctx, "p", benchKey(i), func(u store.User) (store.User, error) {
							u.PasswordExpiresAt = u.PasswordExpiresAt.Add(time.Second)
							return u, nil
						})
					} else {
						_, err = s.GetUserByKey(ctx, "p", benchKey(i))
					}
					if err != nil {
						b.Error(err)
						return
					}
					i += 7
				}
			})
		})
	}
}
