// Package bench is Cognate's load tool, behind `cognate bench`: it drives a
// running server over HTTP with concurrent clients and reports, per
// operation, throughput and latency percentiles as JSON.
//
// The operations are the ones whose speed matters: sign-up, password
// sign-in (USER_PASSWORD_AUTH), SRP sign-in (USER_SRP_AUTH and its
// PASSWORD_VERIFIER answer, computed with auth/cognitosrp), refresh
// (REFRESH_TOKEN_AUTH), GetUser, and for identity pools GetId followed by
// GetCredentialsForIdentity with a user pool's ID token (identity: one
// iteration is the pair). Each runs alone for the configured duration, so
// its throughput is its own.
//
// Next to each measured figure the report puts a floor measured in the same
// run: how many of that operation the machine completes per second when it
// does nothing but the operation's crypto (SRP's exponentiations, the RSA
// signatures of the tokens), in this process, one goroutine per core. The
// floor is measured in slices that alternate with slices of the
// operation's run, so that both see the same machine even when its speed
// drifts, as a shared virtual machine's does. The
// client's own crypto (the SRP client's half) runs on the same cores as the
// server's, so it is part of the floor; docs/benchmarks.md explains the
// comparison. The CPU time the server process and this process spent per
// operation, read from /proc, are reported too.
//
// The triggers operation, run only when named, is password sign-in in a
// second pool whose pre authentication and pre token generation functions
// are a webhook this process serves on loopback, which checks each
// request's signature and answers with the event: beside password in the
// same run, it shows what two trigger round trips add to a sign-in. The
// server must be started with a functions file that maps the trigger's
// ARN to that webhook.
//
// One more operation, forged, runs only when named: it sends a number of
// GetUser requests whose access tokens are forged, each naming a pool id
// never seen before (every other one far longer than any real id), and
// reports the server's resident memory before and after. A server that
// keeps anything derived from an unverified token grows with every request.
package bench
