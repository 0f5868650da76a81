"""Prometheus metrics for one app instance (its own registry, so tests can build many apps)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

_LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """Request counts and latency by route template; analyses by outcome, their duration, running work, workers."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "caseqa_http_requests", "HTTP requests by method, route template and status.",
            ["method", "route", "status"], registry=self.registry,
        )
        self.latency = Histogram(
            "caseqa_http_request_seconds", "HTTP request latency by route template.",
            ["route"], buckets=_LATENCY_BUCKETS, registry=self.registry,
        )
        self.analyses = Counter(
            "caseqa_analyses", "Documents analysed, by outcome (ok, rejected, timeout, busy, error).",
            ["outcome"], registry=self.registry,
        )
        self.analysis_seconds = Histogram(
            "caseqa_analysis_seconds", "Time to ingest and analyse one document.",
            buckets=_LATENCY_BUCKETS, registry=self.registry,
        )
        self.analyses_running = Gauge(
            "caseqa_analyses_running", "Analyses running now (what the concurrency limit counts).", registry=self.registry,
        )
        self.analyses_waiting = Gauge(
            "caseqa_analyses_waiting", "Requests waiting for a free analysis slot.", registry=self.registry,
        )
        self.workers = Gauge(
            "caseqa_analysis_workers", "Analysis worker processes alive (loading, idle or busy).", registry=self.registry,
        )
        self.workers_replaced = Counter(
            "caseqa_analysis_workers_replaced",
            "Analysis worker processes replaced, by reason (timeout: killed mid-analysis; recycled; died).",
            ["reason"], registry=self.registry,
        )
        self.ready = Gauge("caseqa_ready", "1 when the language pipeline is loaded.", registry=self.registry)
        self.batches_running = Gauge("caseqa_batches_running", "Background batches running.", registry=self.registry)

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(route).observe(seconds)

    def render(self) -> bytes:
        """The text exposition format."""
        return generate_latest(self.registry)
