package fifo

import "testing"

func TestMap(t *testing.T) {
	m := New[string, int](3)
	for i, k := range []string{"a", "b", "c"} {
		m.Put(k, i)
	}
	m.Put("a", 10) // held: keeps its place, takes the new value
	if v, ok := m.Get("a"); !ok || v != 10 {
		t.Fatalf("a = %d, %v", v, ok)
	}
	m.Put("d", 3) // full: the oldest, a, goes
	if _, ok := m.Get("a"); ok {
		t.Fatal("the oldest entry stayed")
	}
	m.Put("e", 4) // then b
	for k, want := range map[string]bool{"b": false, "c": true, "d": true, "e": true} {
		if _, ok := m.Get(k); ok != want {
			t.Errorf("%s held = %v, want %v", k, ok, want)
		}
	}
	if m.Len() != 3 {
		t.Fatalf("Len = %d", m.Len())
	}
	for i := range 1000 {
		m.Put(string(rune('A'+i%50))+string(rune(i)), i)
	}
	if m.Len() != 3 {
		t.Fatalf("Len after a flood = %d", m.Len())
	}
}
