package main

import (
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

func versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of this binary: module version, source revision and Go version",
		Long: `version prints the module version, the git revision the binary was built from ("dirty" when
the checkout had changes) and the Go version.

go build records the revision itself, unless -buildvcs=false is set or the checkout is a git
worktree (whose .git is a file, which go does not recognise); go run never does. For those,
version reads the revision of the checkout the binary was built from: as it is now for a
binary go run has just built, and for any other only if no file of the build changed since the
binary was made. Otherwise it says it does not know.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(cmd.OutOrStdout(), versionString())
			return nil
		},
	}
}

// versionString describes the running binary, e.g.
// "cognate (devel) 1de4065a2b3c… dirty, go1.26.8".
func versionString() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "cognate (no build information)"
	}
	s := "cognate " + bi.Main.Version
	rev, note := recordedRevision(bi), ""
	if rev.id == "" {
		rev, note = checkoutRevision()
	}
	if rev.id == "" {
		s += " unknown revision"
	} else {
		s += " " + rev.id
		if rev.dirty {
			s += " dirty"
		}
	}
	s += ", " + bi.GoVersion
	if note != "" {
		s += " (" + note + ")"
	}
	return s
}

type revision struct {
	id    string // the commit's full hash
	dirty bool   // the checkout had changes
}

// recordedRevision is the revision go build stamped into the binary.
func recordedRevision(bi *debug.BuildInfo) revision {
	var r revision
	for _, kv := range bi.Settings {
		switch kv.Key {
		case "vcs.revision":
			r.id = kv.Value
		case "vcs.modified":
			r.dirty = kv.Value == "true"
		}
	}
	return r
}

// checkoutRevision reads the revision of the checkout this file was
// compiled from, for builds that recorded none (go run, -buildvcs=false, a
// git worktree). It holds only if no file that goes into the build changed
// after the binary was made; the note says where the revision came from,
// or why there is none.
func checkoutRevision() (revision, string) {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return revision{}, "the build recorded none, nor where its source was"
	}
	git := func(args ...string) (string, error) {
		cmd := exec.Command("git", append([]string{"-C", filepath.Dir(file)}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_OPTIONAL_LOCKS=0") // a status must not write the index
		out, err := cmd.Output()
		return strings.TrimSpace(string(out)), err
	}
	top, err := git("rev-parse", "--show-toplevel")
	if err != nil {
		return revision{}, "the build recorded none, and " + filepath.Dir(file) + " is no git checkout"
	}
	id, err := git("rev-parse", "HEAD")
	if err != nil {
		return revision{}, "the build recorded none, and git could not read the checkout " + top
	}
	status, err := git("status", "--porcelain")
	if err != nil {
		return revision{}, "the build recorded none, and git could not read the checkout " + top
	}
	files, err := git("ls-files", "-z", "--cached", "--others", "--exclude-standard", "--full-name", ":/")
	if err != nil {
		return revision{}, "the build recorded none, and git could not list the checkout " + top
	}
	rev := revision{id: id, dirty: status != ""}
	exe, err := os.Executable()
	if err != nil {
		return revision{}, "the build recorded none"
	}
	if builtByGoRun(exe) {
		// go run (or go test) has just built it from the checkout as it is.
		return rev, "revision of the checkout " + top + ", which go run built"
	}
	built, err := os.Stat(exe)
	if err != nil {
		return revision{}, "the build recorded none"
	}
	if changed := newestBuildInput(top, strings.Split(files, "\x00")); changed.After(built.ModTime()) {
		return revision{}, "the build recorded none, and the checkout " + top + " changed after this binary was built"
	}
	return rev, "revision of the checkout " + top + ", unchanged since this binary was built"
}

// builtByGoRun reports whether exe is where go run and go test put the
// binaries they run: the build cache, or a go-build directory of the
// temporary directory. Such a binary was built from the sources as they were
// when it started; its modification time says nothing, as the build cache
// hands out a binary built earlier from the same sources.
func builtByGoRun(exe string) bool {
	var caches []string
	if dir := os.Getenv("GOCACHE"); dir != "" {
		caches = append(caches, dir)
	} else if dir, err := os.UserCacheDir(); err == nil {
		caches = append(caches, filepath.Join(dir, "go-build"))
	}
	for _, dir := range caches {
		if rel, err := filepath.Rel(dir, exe); err == nil && filepath.IsLocal(rel) {
			return true
		}
	}
	tmp := os.Getenv("GOTMPDIR")
	if tmp == "" {
		tmp = os.TempDir()
	}
	rel, err := filepath.Rel(tmp, exe)
	return err == nil && filepath.IsLocal(rel) && strings.HasPrefix(rel, "go-build")
}

// newestBuildInput returns the latest modification time of the files that
// can go into a build: go.mod, go.sum, and every file in or below a
// directory holding Go files (source, and what go:embed may take). files
// are slash-separated paths relative to the checkout top.
func newestBuildInput(top string, files []string) time.Time {
	goDirs := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, ".go") {
			goDirs[path.Dir(f)] = true
		}
	}
	input := func(f string) bool {
		if f == "go.mod" || f == "go.sum" {
			return true
		}
		for d := path.Dir(f); ; d = path.Dir(d) {
			if goDirs[d] {
				return true
			}
			if d == "." || d == "/" {
				return false
			}
		}
	}
	var newest time.Time
	for _, f := range files {
		if f == "" || !input(f) {
			continue
		}
		if fi, err := os.Lstat(filepath.Join(top, filepath.FromSlash(f))); err == nil && fi.ModTime().After(newest) {
			newest = fi.ModTime()
		}
	}
	return newest
}
