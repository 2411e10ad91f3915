package requestctx

import (
	"context"
	"sync"
	"testing"
)

func TestValues(t *testing.T) {
	ctx := context.Background()
	if RequestID(ctx)+Operation(ctx)+Region(ctx)+ClientIP(ctx) != "" {
		t.Fatal("an empty context holds values")
	}
	ctx = WithRequestID(ctx, "id-1")
	ctx = WithOperation(ctx, "SignUp")
	ctx = WithRegion(ctx, "eu-west-1")
	ctx = WithClientIP(ctx, "192.0.2.7")
	got := [4]string{RequestID(ctx), Operation(ctx), Region(ctx), ClientIP(ctx)}
	if want := [4]string{"id-1", "SignUp", "eu-west-1", "192.0.2.7"}; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestResources(t *testing.T) {
	SetResources(context.Background(), "p", "c") // no room: nothing happens
	if p, c := Resources(context.Background()); p != "" || c != "" {
		t.Fatalf("Resources without WithResources = %q %q", p, c)
	}
	ctx := WithResources(context.Background())
	child := WithRegion(ctx, "us-east-1") // handlers see derived contexts
	SetResources(child, "us-east-1_Pool", "")
	SetResources(child, "", "client1")
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() { SetResources(child, "us-east-1_Pool", "client1") })
	}
	wg.Wait()
	if p, c := Resources(ctx); p != "us-east-1_Pool" || c != "client1" {
		t.Fatalf("Resources = %q %q", p, c)
	}
}
