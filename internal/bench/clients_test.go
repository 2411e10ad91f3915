package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// BenchmarkClientGetUser compares what one GetUser costs the client with
// the lean HTTP/1.1 client cognate bench uses, with net/http's client and
// with aws-sdk-go-v2, against a server in this process that answers with a
// canned body. cpu-µs/op is the CPU time of the whole process per call: the
// canned server's share is the same for the three clients, so differences
// are the clients' (docs/benchmarks.md has figures).
//
//	go test -run '^$' -bench ClientGetUser -benchmem ./internal/bench
func BenchmarkClientGetUser(b *testing.B) {
	answer := []byte(`{"UserAttributes":[{"Name":"sub","Value":"15cdb710-6e8c-4628-af34-abd539e1032d"}],"Username":"bench-user-0000000"}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Write(answer)
	}))
	defer srv.Close()
	token := "eyJraWQiOiJrIiwiYWxnIjoiUlMyNTYifQ.eyJzdWIiOiJ4In0.c2ln" // its size does not matter here
	hc := httpClient(32)
	lean := newRawClient(srv.URL, hc, 64)
	std := newRawClient(srv.URL, hc, 64)
	std.conns = nil
	clients := []struct {
		name string
		c    idpClient
	}{
		{"lean", lean},
		{"net-http", std},
		{"aws-sdk-go-v2", newSDKClient(srv.URL, "us-east-1", aws.AnonymousCredentials{}, hc)},
	}
	ctx := context.Background()
	for _, c := range clients {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := selfCPU()
			b.SetParallelism(16) // 32 clients on two cores, as cognate bench runs
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if name, err := c.c.GetUser(ctx, token); err != nil || name == "" {
						b.Error(name, err)
						return
					}
				}
			})
			b.ReportMetric(float64((selfCPU()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
		})
	}
}
