package server

import (
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/cognate-auth/cognate/internal/wire/awsjson"
)

// metrics are the server's Prometheus metrics, served at GET /metrics.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics() *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cognate_requests_total",
			Help: "Requests to the Cognito API answered, by operation, exception name (empty on success) and HTTP status.",
		}, []string{"operation", "error", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "cognate_request_duration_seconds",
			Help: "Time to answer a request to the Cognito API, by operation.",
			// From a cached GetUser (well under a millisecond) to an SRP
			// sign-in on a loaded machine (about a second).
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"operation"}),
	}
	m.registry.MustRegister(m.requests, m.duration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// observe records one answered request. Requests for targets that are not
// operations count under operation "".
func (m *metrics) observe(o awsjson.Observation) {
	m.requests.WithLabelValues(o.Operation, o.Error, strconv.Itoa(o.Status)).Inc()
	m.duration.WithLabelValues(o.Operation).Observe(o.Duration.Seconds())
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}
