"""The front door: the ``monitor`` command, what it prints, the web page,
evaluation and backtests (docs/architecture.md, "Layers")."""
