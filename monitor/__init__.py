"""news-monitor: an event-sourced news monitoring and alerting daemon.

The data's path is visible in the package layout: ``sources`` fetch and parse,
``normalize`` turns raw items into :class:`~monitor.article.Article`, ``store``
is the append-only event log with its projections, ``rules`` evaluates the
watchlists, ``notify`` renders and delivers alerts, ``cli`` is the front door.
"""

__version__ = "0.1.0"
