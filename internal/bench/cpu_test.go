package bench

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestParseStatCPU(t *testing.T) {
	// A command name with spaces and a parenthesis; utime 250, stime 50.
	stat := "4242 (cog nate) x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 9 0 100 0 0\n"
	got, err := parseStatCPU([]byte(stat))
	if err != nil || got != 3*time.Second {
		t.Errorf("parseStatCPU = %v, %v; want 3s", got, err)
	}
	for _, bad := range []string{"", "1 (x) S 1", "1 (x) S 1 2 3 4 5 6 7 8 9 a b c d"} {
		if _, err := parseStatCPU([]byte(bad)); err == nil {
			t.Errorf("parseStatCPU(%q) accepted", bad)
		}
	}
}

func TestProcessCPUOfSelf(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	if _, err := processCPU(os.Getpid()); err != nil {
		t.Fatal(err)
	}
	if kb, err := residentKB(os.Getpid()); err != nil || kb <= 0 {
		t.Errorf("residentKB = %d, %v", kb, err)
	}
}

func TestListeningInodes(t *testing.T) {
	file := filepath.Join(t.TempDir(), "tcp")
	const table = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:2405 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0000000000000000 100 0 0 10 0
   1: 0100007F:2405 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 222 1 0000000000000000 20 4 30 10 -1
   2: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 333 1 0000000000000000 100 0 0 10 0
`
	if err := os.WriteFile(file, []byte(table), 0o600); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	if err := listeningInodes(file, 9221, got); err != nil { // 0x2405
		t.Fatal(err)
	}
	if len(got) != 1 || !got["111"] {
		t.Errorf("inodes = %v, want only the listener 111", got)
	}
}

func TestParseMachine(t *testing.T) {
	m, err := parseMachine("cpu  1000 10 200 5000 40 3 7 25 0 0")
	if err != nil {
		t.Fatal(err)
	}
	want := machineTimes{busy: 12200 * time.Millisecond, idle: 50400 * time.Millisecond, steal: 250 * time.Millisecond}
	if m != want {
		t.Errorf("parseMachine = %+v, want %+v", m, want)
	}
	for _, bad := range []string{"", "cpu0 1 2 3 4 5 6 7 8", "cpu 1 2 3"} {
		if _, err := parseMachine(bad); err == nil {
			t.Errorf("parseMachine(%q) accepted", bad)
		}
	}
}
