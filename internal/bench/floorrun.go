package bench

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"time"
)

// floorWarmup is the unmeasured start of each floor slice.
const floorWarmup = 100 * time.Millisecond

// floorRun accumulates the slices of one operation's floor.
type floorRun struct {
	server, both phase     // the server's crypto; for srp, the client's too
	slices       []float64 // throughput of each slice
	other        float64   // cores other processes used, at most
}

// slice runs op's crypto alone for d: the server's share, and for srp the
// server's and the client's together. It runs one goroutine per core, which
// is what keeps the cores busy; more would only add switching.
func (f *floorRun) slice(ctx context.Context, kit *floorKit, op string, d time.Duration) error {
	run := func(withClient bool) (phase, error) {
		work, err := kit.work(op, withClient)
		if err != nil {
			return phase{}, err
		}
		p := drive(ctx, runtime.GOMAXPROCS(0), floorWarmup, d, work, nil)
		switch {
		case p.firstErr != nil:
			return p, fmt.Errorf("bench: %s floor: %w", op, p.firstErr)
		case p.count == 0:
			return p, fmt.Errorf("bench: %s floor: nothing completed in %s", op, d)
		}
		f.other = max(f.other, otherCores(p))
		return p, nil
	}
	p, err := run(false)
	if err != nil {
		return err
	}
	f.server.add(p)
	if op == OpSRP {
		if p, err = run(true); err != nil {
			return err
		}
		f.both.add(p)
	}
	f.slices = append(f.slices, p.throughput())
	return nil
}

// floor reports the slices together.
func (f *floorRun) floor(op string) *Floor {
	all := f.server
	if op == OpSRP {
		all = f.both
	}
	fl := &Floor{Throughput: round3(all.throughput()), Min: math.Inf(1), ServerCrypto: round3(msPerOp(f.server.selfCPU, f.server.count)),
		OtherCores: round3(f.other)}
	for _, t := range f.slices {
		fl.Min, fl.Max = min(fl.Min, t), max(fl.Max, t)
	}
	fl.Min, fl.Max = round3(fl.Min), round3(fl.Max)
	if op == OpSRP {
		fl.ClientCrypto = round3(msPerOp(f.both.selfCPU, f.both.count) - msPerOp(f.server.selfCPU, f.server.count))
	}
	return fl
}

func msPerOp(d time.Duration, n int64) float64 {
	if n == 0 {
		return 0
	}
	return float64(d) / float64(time.Millisecond) / float64(n)
}

// otherCores is how many cores processes other than this one used during a
// phase that has no server.
func otherCores(p phase) float64 {
	if p.machine.busy <= 0 || p.elapsed <= 0 {
		return 0
	}
	return max(0, (p.machine.busy-p.selfCPU).Seconds()/p.elapsed.Seconds())
}
