"""Observability: Prometheus metrics, one-line (JSON) logs with the activity's ids, readiness and /metrics."""
