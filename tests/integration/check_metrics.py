#!/usr/bin/env python3
"""Checks a /metrics page of lede-searchd with Prometheus's own text-format
parser (Debian's python3-prometheus-client):

    check_metrics.py METRICS-FILE VERSION

Every family must parse, have a HELP text and a known TYPE, and a name of
its own (a gauge "x" beside a counter "x_total" would be one family to
Prometheus); the families operators rely on must be there, and
lede_build_info must carry VERSION. Exit 0 when all hold, 1 otherwise
(each failure printed), 77 when the parser is not installed."""
import sys

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    print("SKIP: python3-prometheus-client is not installed")
    sys.exit(77)

REQUIRED = {
    "lede_requests": "counter",
    "lede_errors": "counter",
    "lede_request_duration_seconds": "histogram",
    "lede_connections_open": "gauge",
    "lede_connections": "counter",
    "lede_auth_failures": "counter",
    "lede_index_up": "gauge",
    "lede_build_info": "gauge",
    "process_cpu_seconds": "counter",
    "process_resident_memory_bytes": "gauge",
    "process_open_fds": "gauge",
    "process_max_fds": "gauge",
    "process_start_time_seconds": "gauge",
}


def main():
    path, version = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as f:
        text = f.read()
    failures = []
    seen = {}
    for fam in text_string_to_metric_families(text):
        if fam.name in seen:
            failures.append(f"family {fam.name} appears twice")
        seen[fam.name] = fam
        if fam.type in ("unknown", "untyped"):
            failures.append(f"family {fam.name} has no TYPE")
        if not fam.documentation:
            failures.append(f"family {fam.name} has no HELP")
        if not fam.samples:
            failures.append(f"family {fam.name} has no samples")
    for name, kind in REQUIRED.items():
        if name not in seen:
            failures.append(f"family {name} is missing")
        elif seen[name].type != kind:
            failures.append(f"family {name} is a {seen[name].type}, not a {kind}")
    info = seen.get("lede_build_info")
    if info and not any(s.labels.get("version") == version and s.value == 1 for s in info.samples):
        failures.append(f"lede_build_info does not say version {version}")
    rss = seen.get("process_resident_memory_bytes")
    if rss and not rss.samples[0].value > 1e6:
        failures.append("process_resident_memory_bytes is implausibly small")
    for f in failures:
        print("check_metrics:", f)
    print(f"check_metrics: {len(seen)} families, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
