// Package fifo is a map of bounded size that forgets its oldest entry to
// make room: first in, first out. It suits caches whose entries grow stale
// with age (a day's signing keys, a pool found missing a moment ago) and
// whose keys may come from clients, so that no flood of new keys grows it.
package fifo

import "sync"

// Map holds at most its size of entries. It is safe for concurrent use.
type Map[K comparable, V any] struct {
	mu   sync.Mutex
	m    map[K]V
	ring []K // keys in the order they came; next is the oldest once full
	next int
}

// New returns a Map of at most size entries.
func New[K comparable, V any](size int) *Map[K, V] {
	return &Map[K, V]{m: make(map[K]V, size), ring: make([]K, 0, size)}
}

// Get returns the value of k.
func (c *Map[K, V]) Get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

// Put sets the value of k. A new key that finds the map full replaces the
// oldest; a key already held keeps its place.
func (c *Map[K, V]) Put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[k]; !ok {
		if len(c.ring) < cap(c.ring) {
			c.ring = append(c.ring, k)
		} else {
			delete(c.m, c.ring[c.next])
			c.ring[c.next] = k
			c.next = (c.next + 1) % len(c.ring)
		}
	}
	c.m[k] = v
}

// Len returns how many entries the map holds.
func (c *Map[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}
