package sqlstore

import (
	"fmt"
	"strings"
	"testing"
)

// TestMemoBoundedInBytes: a memo holds at most memoMaxBytes of text, and
// no text longer than memoMaxText, which still decodes.
func TestMemoBoundedInBytes(t *testing.T) {
	m := newMemo("clients.settings", cloneClientSettings)
	pad := strings.Repeat(" ", memoMaxText-40)
	for i := range 2 * memoMaxBytes / memoMaxText {
		got, err := m.decode(fmt.Sprintf(`{"accessTokenValidity":%d}%s`, i, pad))
		if err != nil || got.AccessTokenValidity != int64(i) {
			t.Fatalf("decode = %+v, %v", got, err)
		}
		total := 0
		for text := range m.m {
			total += len(text)
		}
		if total != m.bytes || total > memoMaxBytes {
			t.Fatalf("after %d texts the memo holds %d bytes of text, counted %d, bound %d", i+1, total, m.bytes, memoMaxBytes)
		}
	}
	long := `{"accessTokenValidity":61}` + strings.Repeat(" ", memoMaxText)
	for range 2 {
		got, err := m.decode(long)
		if err != nil || got.AccessTokenValidity != 61 {
			t.Fatalf("decode(long text) = %+v, %v", got, err)
		}
	}
	if _, ok := m.m[long]; ok {
		t.Error("the memo kept a text longer than memoMaxText")
	}
}
