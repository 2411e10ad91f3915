package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestNewestBuildInput(t *testing.T) {
	top := t.TempDir()
	files := map[string]time.Duration{ // age of each file
		"go.mod":                              5 * time.Hour,
		"cmd/cognate/main.go":                 4 * time.Hour,
		"internal/store/sqlstore/sqlstore.go": 4 * time.Hour,
		"internal/store/sqlstore/migrations/sqlite/V0001.up.sql": 3 * time.Hour, // embedded
		"README.md":        time.Hour, // no Go beside or above it
		"test/js/flow.mjs": time.Hour,
		"docs/notes.md":    time.Hour,
	}
	now := time.Now()
	var names []string
	for name, age := range files {
		path := filepath.Join(top, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, now, now.Add(-age)); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	names = append(names, "internal/deleted.go") // listed by git, gone from the disk
	if got, want := newestBuildInput(top, names), now.Add(-3*time.Hour); !got.Equal(want) {
		t.Errorf("newest build input changed at %s, want %s (the embedded migration)", got, want)
	}
}

func TestBuiltByGoRun(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("GOCACHE", cache)
	t.Setenv("GOTMPDIR", "/var/tmp/gotmp")
	for exe, want := range map[string]bool{
		filepath.Join(cache, "a9", "a921b9-d", "cognate"):       true,
		"/var/tmp/gotmp/go-build3741382413/b001/exe/cognate":    true,
		"/var/tmp/gotmp/cognate":                                false,
		"/usr/local/bin/cognate":                                false,
		filepath.Join(filepath.Dir(cache), "elsewhere/cognate"): false,
	} {
		if got := builtByGoRun(exe); got != want {
			t.Errorf("builtByGoRun(%s) = %v, want %v", exe, got, want)
		}
	}
}
