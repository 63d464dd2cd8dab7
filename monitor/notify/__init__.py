"""Notifications: Jinja2 templates, apprise channels and the outbox that delivers them."""

from monitor.notify.channels import Channel, build_channels, mask
from monitor.notify.outbox import Outbox, check_routes
from monitor.notify.projection import OutboxProjection
from monitor.notify.templates import Rendered, Templates

__all__ = [
    "Channel",
    "Outbox",
    "OutboxProjection",
    "Rendered",
    "Templates",
    "build_channels",
    "check_routes",
    "mask",
]
