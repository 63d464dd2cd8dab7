"""What a parse worker loads: the modules a spawned worker imports stay light.

The layer contract itself is ``lint-imports`` (``[tool.importlinter]`` in
pyproject.toml, run by ``make test``); this pins its purpose for the worker
processes: a worker imports its function's module and, when spawned from the
``monitor`` console script, ``monitor.front.cli``. None of them may pull in the
store, the rules or the HTTP client at import.
"""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

HEAVY = ("sqlalchemy", "sqlmodel", "lark", "pydantic", "ahocorasick", "jinja2", "apprise")


@pytest.mark.parametrize(
    ("module", "also_heavy"),
    [
        ("monitor.sources.poll", ("httpx",)),  # the poller's parse_processes run decide
        ("monitor.ingest", ("httpx",)),  # replay's readers
        ("monitor.front.cli", ()),  # re-imported by every worker spawned from `monitor`
    ],
)
def test_a_parse_worker_imports_only_what_parsing_needs(
    module: str, also_heavy: tuple[str, ...]
) -> None:
    heavy = HEAVY + also_heavy
    code = (
        f"import sys, {module}; "
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert ast.literal_eval(out.stdout) == []
