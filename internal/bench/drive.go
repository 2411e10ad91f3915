package bench

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// drainTimeout bounds how long a phase waits for the requests still in
// flight when its measured window closes.
const drainTimeout = 30 * time.Second

// Phase states, in order.
const (
	warming int32 = iota
	measuring
	stopping
)

// phase is the outcome of running a workload.
type phase struct {
	count, errors int64
	firstErr      error
	elapsed       time.Duration // length of the measured window
	samplers      []*sampler    // latencies of successes
	selfCPU       time.Duration // this process's CPU time in the window
	serverCPU     time.Duration // the server's, or -1 if unknown
	machine       machineTimes  // every core's, all processes; zero if unknown
}

func (p phase) throughput() float64 {
	if p.elapsed <= 0 {
		return 0
	}
	return float64(p.count) / p.elapsed.Seconds()
}

// add accumulates q, a later window of the same workload, into p.
func (p *phase) add(q phase) {
	if p.elapsed == 0 {
		*p = q
		return
	}
	p.count += q.count
	p.errors += q.errors
	if p.firstErr == nil {
		p.firstErr = q.firstErr
	}
	p.elapsed += q.elapsed
	p.samplers = append(p.samplers, q.samplers...)
	p.selfCPU += q.selfCPU
	if p.serverCPU < 0 || q.serverCPU < 0 {
		p.serverCPU = -1
	} else {
		p.serverCPU += q.serverCPU
	}
	if p.machine.busy > 0 && q.machine.busy > 0 {
		p.machine = machineTimes{busy: p.machine.busy + q.machine.busy, idle: p.machine.idle + q.machine.idle, steal: p.machine.steal + q.machine.steal}
	} else {
		p.machine = machineTimes{}
	}
}

// worker is one client's tally.
type worker struct {
	count, errors int64
	firstErr      error
	lat           *sampler
}

// drive runs do from workers goroutines: first for warmup, unmeasured, then
// for duration. An operation counts when it ends inside the measured window;
// its latency is recorded if it succeeded. The window stays open past
// duration until at least one operation has ended in it, so a short window
// on a busy machine still measures something instead of failing. server, if
// not nil, reads the server's CPU time.
func drive(ctx context.Context, workers int, warmup, duration time.Duration, do func(context.Context) error, server func() (time.Duration, error)) phase {
	ctx, cancel := context.WithTimeout(ctx, warmup+duration+drainTimeout)
	defer cancel()
	var state atomic.Int32
	var ended atomic.Int64 // operations ended in the measured window
	tallies := make([]*worker, workers)
	var wg sync.WaitGroup
	for i := range tallies {
		w := &worker{lat: newSampler(uint64(i) + 1)}
		tallies[i] = w
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && state.Load() != stopping {
				start := time.Now()
				err := do(ctx)
				d := time.Since(start)
				if state.Load() != measuring {
					continue
				}
				ended.Add(1)
				if err != nil {
					w.errors++
					if w.firstErr == nil {
						w.firstErr = err
					}
					continue
				}
				w.count++
				w.lat.add(d)
			}
		}()
	}
	sleep(ctx, warmup)
	self0, srv0 := selfCPU(), readCPU(server)
	m0, m0err := readMachine()
	t0 := time.Now()
	state.Store(measuring)
	sleep(ctx, duration)
	for ended.Load() == 0 && ctx.Err() == nil {
		sleep(ctx, time.Millisecond)
	}
	state.Store(stopping)
	elapsed := time.Since(t0)
	self1, srv1 := selfCPU(), readCPU(server)
	m1, m1err := readMachine()
	wg.Wait()

	p := phase{elapsed: elapsed, selfCPU: self1 - self0, serverCPU: -1}
	if m0err == nil && m1err == nil {
		p.machine = machineTimes{busy: m1.busy - m0.busy, idle: m1.idle - m0.idle, steal: m1.steal - m0.steal}
	}
	if srv0 >= 0 && srv1 >= 0 {
		p.serverCPU = srv1 - srv0
	}
	for _, w := range tallies {
		p.count += w.count
		p.errors += w.errors
		if p.firstErr == nil {
			p.firstErr = w.firstErr
		}
		p.samplers = append(p.samplers, w.lat)
	}
	return p
}

func readCPU(f func() (time.Duration, error)) time.Duration {
	if f == nil {
		return -1
	}
	d, err := f()
	if err != nil {
		return -1
	}
	return d
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// driveCount runs do for 0..n-1 from workers goroutines and measures all of
// it: no warm-up, the window closes when the last call returns. server, if
// not nil, reads the server's CPU time.
func driveCount(ctx context.Context, workers, n int, do func(context.Context, int) error, server func() (time.Duration, error)) phase {
	workers = min(workers, n)
	var next atomic.Int64
	tallies := make([]*worker, workers)
	self0, srv0 := selfCPU(), readCPU(server)
	m0, m0err := readMachine()
	t0 := time.Now()
	var wg sync.WaitGroup
	for w := range tallies {
		t := &worker{lat: newSampler(uint64(w) + 1)}
		tallies[w] = t
		wg.Go(func() {
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				start := time.Now()
				if err := do(ctx, int(i)); err != nil {
					t.errors++
					if t.firstErr == nil {
						t.firstErr = err
					}
					continue
				}
				t.count++
				t.lat.add(time.Since(start))
			}
		})
	}
	wg.Wait()
	p := phase{elapsed: time.Since(t0), selfCPU: selfCPU() - self0, serverCPU: -1}
	if srv1 := readCPU(server); srv0 >= 0 && srv1 >= 0 {
		p.serverCPU = srv1 - srv0
	}
	if m1, err := readMachine(); m0err == nil && err == nil {
		p.machine = machineTimes{busy: m1.busy - m0.busy, idle: m1.idle - m0.idle, steal: m1.steal - m0.steal}
	}
	for _, t := range tallies {
		p.count += t.count
		p.errors += t.errors
		if p.firstErr == nil {
			p.firstErr = t.firstErr
		}
		p.samplers = append(p.samplers, t.lat)
	}
	return p
}
