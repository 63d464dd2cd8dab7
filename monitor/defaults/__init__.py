"""What the package ships besides code: watchlists, templates, the seed articles, a config.

``pip install news-monitor`` must give a ``monitor`` that works in any
directory, so the defaults travel inside the package and are used whenever
no directory is configured (no config file, or one without ``watchlists =``
/ ``templates =``). ``monitor init DIR`` copies them out, with an editable
``monitor.toml``, for an operator to change (:func:`init_instance`).

One copy in git: the design card keeps ``watchlists/``, ``templates/`` and
``seeds/`` at the top of the source tree, and the entries of the same names
here are relative symlinks to them. An editable install reads through the
links; building a wheel (or an sdist) follows them and packs real files
(``[tool.setuptools.package-data]`` in ``pyproject.toml``). ``monitor.toml``
is a real file: only ``monitor init`` uses it.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from monitor.errors import MonitorError

__all__ = ["CONFIG", "SEEDS", "TEMPLATES", "WATCHLISTS", "init_instance"]

_HERE = Path(__file__).parent
# Resolved: in a source tree, messages then name the file an editor should open
# (watchlists/x.yaml), not its path through the link.
WATCHLISTS = (_HERE / "watchlists").resolve()
"""The shipped watchlists: rule files, the gazetteer (``entities.yaml``), ``cues.yaml``."""
TEMPLATES = (_HERE / "templates").resolve()
"""The shipped template sets (``default/``)."""
SEEDS = (_HERE / "seeds").resolve()
"""The five seed articles: the embedded defaults' fixtures source (a demo)."""
CONFIG = _HERE / "monitor.toml"
"""The commented config ``monitor init`` writes."""

#: what ``monitor init`` creates in its directory; ``inbox/`` is the written config's source
INSTANCE = ("monitor.toml", "watchlists", "templates", "inbox")


def init_instance(target: Path) -> list[Path]:
    """Write an editable config, the watchlists, the templates and ``inbox/`` into ``target``.

    Never overwrites: if any of them exists already, nothing is written (an
    operator's edits are worth more than fresh defaults; to compare with a
    new release, init another directory and diff). Everything is assembled in
    a temporary directory first, so a failure leaves nothing half-written;
    ``target`` (and its parents) are created only then. Returns what was
    written.
    """
    if target.exists() and not target.is_dir():
        raise MonitorError(f"{target}: exists and is not a directory")
    taken = [target / name for name in INSTANCE if (target / name).exists()]
    if taken:
        raise MonitorError(
            f"{target}: already holds {', '.join(p.name for p in taken)}; nothing written "
            "(init never overwrites: init another directory and compare)"
        )
    missing = [p for p in (CONFIG, WATCHLISTS, TEMPLATES) if not p.exists()]
    if missing:  # a broken installation, not the user's mistake: say what is gone
        raise MonitorError(f"the package's defaults are missing: {', '.join(map(str, missing))}")
    with tempfile.TemporaryDirectory(prefix="monitor-init-") as tmp:
        staged = Path(tmp)
        shutil.copyfile(CONFIG, staged / "monitor.toml")
        # copy the files, not the links, and none of the editors' leftovers
        ignore = shutil.ignore_patterns("*~", ".*", "__pycache__")
        shutil.copytree(WATCHLISTS, staged / "watchlists", ignore=ignore)
        shutil.copytree(TEMPLATES, staged / "templates", ignore=ignore)
        (staged / "inbox").mkdir()
        target.mkdir(parents=True, exist_ok=True)
        for name in INSTANCE:
            shutil.move(staged / name, target / name)
    return [target / name for name in INSTANCE]
