package bench

import (
	"context"
	"fmt"
	"time"
)

// floorSample is one measurement of an operation's crypto alone.
type floorSample struct {
	throughput   float64 // operations per second, server's and client's crypto
	serverCrypto float64 // CPU ms per operation, server's crypto
	clientCrypto float64 // CPU ms per operation, client's crypto (srp)
	other        float64 // cores other processes used meanwhile, at most
}

// measureFloor runs op's crypto alone: the server's share, and for srp the
// server's and the client's together.
func measureFloor(ctx context.Context, o Options, kit *floorKit, op string) (floorSample, error) {
	warmup := min(o.Warmup, 500*time.Millisecond)
	run := func(withClient bool) (phase, error) {
		work, err := kit.work(op, withClient)
		if err != nil {
			return phase{}, err
		}
		p := drive(ctx, o.Concurrency, warmup, o.FloorDuration, work, nil)
		switch {
		case p.firstErr != nil:
			return p, fmt.Errorf("bench: %s floor: %w", op, p.firstErr)
		case p.count == 0:
			return p, fmt.Errorf("bench: %s floor: nothing completed in %s", op, o.FloorDuration)
		}
		return p, nil
	}
	p, err := run(false)
	if err != nil {
		return floorSample{}, err
	}
	f := floorSample{throughput: p.throughput(), serverCrypto: msPerOp(p.selfCPU, p.count), other: otherCores(p)}
	if op != OpSRP {
		return f, nil
	}
	if p, err = run(true); err != nil {
		return floorSample{}, err
	}
	f.throughput = p.throughput()
	f.clientCrypto = msPerOp(p.selfCPU, p.count) - f.serverCrypto
	f.other = max(f.other, otherCores(p))
	return f, nil
}

// combineFloors averages the floors measured before and after an
// operation's run, so that a machine whose speed drifts (a shared host)
// is compared at the same moment on average; both are reported.
func combineFloors(before, after floorSample) *Floor {
	mean := func(a, b float64) float64 { return round3((a + b) / 2) }
	return &Floor{
		Throughput: mean(before.throughput, after.throughput), Before: round3(before.throughput), After: round3(after.throughput),
		ServerCrypto: mean(before.serverCrypto, after.serverCrypto), ClientCrypto: mean(before.clientCrypto, after.clientCrypto),
		OtherCores: round3(max(before.other, after.other)),
	}
}

func msPerOp(d time.Duration, n int64) float64 {
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
