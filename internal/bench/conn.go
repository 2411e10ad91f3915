package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// requestTimeout bounds one call, as http.Client.Timeout would.
const requestTimeout = time.Minute

// conns is a lean HTTP/1.1 client for plain-HTTP endpoints: each call takes
// an idle keep-alive connection (or dials one), writes the request in one
// write and reads the response with http.ReadResponse. It skips what
// net/http's Transport does per request (two goroutines per connection,
// channel hand-offs, header maps on the way out), which on a machine the
// client shares with the server is CPU the server does not get.
type conns struct {
	addr, host string
	idle       chan *conn
}

type conn struct {
	net.Conn
	r   *bufio.Reader
	buf []byte
}

func newConns(host string, max int) *conns {
	return &conns{addr: host, host: host, idle: make(chan *conn, max)}
}

// post sends body to / with the X-Amz-Target target and returns the status
// and the body of the answer.
func (p *conns) post(ctx context.Context, target string, body []byte, extra []header) (int, []byte, error) {
	c, reused, err := p.get(ctx)
	if err != nil {
		return 0, nil, err
	}
	status, resp, err := c.roundTrip(ctx, p.host, target, body, extra)
	if err != nil && reused && errors.Is(err, io.EOF) {
		// The server closed an idle connection before reading the
		// request; it was not processed, so send it on a new one.
		c.Close()
		if c, err = p.dial(ctx); err != nil {
			return 0, nil, err
		}
		status, resp, err = c.roundTrip(ctx, p.host, target, body, extra)
	}
	if err != nil {
		c.Close()
		return 0, nil, err
	}
	p.put(c)
	return status, resp, nil
}

func (p *conns) get(ctx context.Context) (*conn, bool, error) {
	select {
	case c := <-p.idle:
		return c, true, nil
	default:
	}
	c, err := p.dial(ctx)
	return c, false, err
}

func (p *conns) dial(ctx context.Context) (*conn, error) {
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", p.addr)
	if err != nil {
		return nil, err
	}
	return &conn{Conn: nc, r: bufio.NewReaderSize(nc, 16<<10)}, nil
}

func (p *conns) put(c *conn) {
	select {
	case p.idle <- c:
	default:
		c.Close()
	}
}

// closeIdle closes the idle connections.
func (p *conns) closeIdle() {
	for {
		select {
		case c := <-p.idle:
			c.Close()
		default:
			return
		}
	}
}

func (c *conn) roundTrip(ctx context.Context, host, target string, body []byte, extra []header) (int, []byte, error) {
	deadline := time.Now().Add(requestTimeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	if err := c.SetDeadline(deadline); err != nil {
		return 0, nil, err
	}
	b := c.buf[:0]
	b = append(b, "POST / HTTP/1.1\r\nHost: "...)
	b = append(b, host...)
	b = append(b, "\r\nContent-Type: "+contentType+"\r\nX-Amz-Target: "...)
	b = append(b, target...)
	for _, h := range extra {
		b = append(b, "\r\n"...)
		b = append(b, h.name...)
		b = append(b, ": "...)
		b = append(b, h.value...)
	}
	b = append(b, "\r\nContent-Length: "...)
	b = strconv.AppendInt(b, int64(len(body)), 10)
	b = append(b, "\r\n\r\n"...)
	b = append(b, body...)
	c.buf = b
	if _, err := c.Write(b); err != nil {
		return 0, nil, err
	}
	resp, err := http.ReadResponse(c.r, nil)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return 0, nil, err
	}
	if resp.Close {
		return 0, nil, fmt.Errorf("bench: the server closed the connection (HTTP %d)", resp.StatusCode)
	}
	return resp.StatusCode, data, nil
}
