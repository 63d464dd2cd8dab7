"""The daemon's read-only window: a status page, a JSON API, ``/metrics`` and ``/healthz``.

Layout, following the data's path outward:

* :mod:`monitor.front.web.views` reads the store (read models, checkpoints, the head
  file) into plain JSON-able records — what the pages and ``/api/*`` show;
* :mod:`monitor.front.web.metrics` turns the same store, and the few counters the
  daemon keeps in memory, into Prometheus metrics;
* :mod:`monitor.front.web.app` is the Starlette application (server-rendered,
  autoescaped Jinja2 pages; GET and HEAD only — nothing over HTTP writes);
* :mod:`monitor.front.web.server` runs it under uvicorn in a thread of the daemon.

Nothing below this package imports it: the store, the rules and the outbox
know nothing of HTTP, and the daemon imports it only when ``[web]`` is
configured, so a daemon without a web page never loads Starlette or uvicorn.
"""
