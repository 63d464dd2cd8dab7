"""The package works anywhere: a wheel in a fresh venv, run outside the checkout.

The wheel is built once per session from a copy of the source tree (so the
build writes nothing into the checkout), the way ``pip install .`` builds it:
setuptools follows ``monitor/defaults``' links to ``watchlists/``,
``templates/`` and ``seeds/`` and packs the files. It is installed into a new
virtual environment, in a temporary directory, without its dependencies;
those come from this test run's own site-packages through a ``.pth`` file,
so the test needs no index and the only ``monitor`` that can be imported is
the wheel's. Then, in an empty directory, as a new user would: ``monitor
init``, ``monitor replay`` of a text file, ``rules check`` on the written
config.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS

IGNORED = shutil.ignore_patterns(
    ".git", ".venv", "var", "build", "dist", "*.egg-info", ".*_cache", ".hypothesis",
    "__pycache__", "tests", "bench", "docs",
)  # fmt: skip


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``news_monitor-*.whl`` built from a copy of this source tree (links kept as links)."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "src"
    shutil.copytree(ROOT, source, symlinks=True, ignore=IGNORED)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "-w", str(root), "--no-deps", "-q"],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = root.glob("news_monitor-*.whl")
    return built


def test_wheel_in_a_fresh_venv_runs_init_and_replay(tmp_path: Path, wheel: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
         str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )  # fmt: skip
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    deps = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (Path(purelib) / "test-deps.pth").write_text("\n".join(deps) + "\n")

    work = tmp_path / "empty"
    work.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "MONITOR_CONFIG", "CONFIGURATION_DIRECTORY", "STATE_DIRECTORY")
    }
    monitor = str(env_dir / "bin" / "monitor")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [monitor, *args], cwd=work, env=env, capture_output=True, text=True, timeout=120
        )

    where = subprocess.run(
        [str(python), "-c", "import monitor.defaults as d; print(d.__file__, d.WATCHLISTS)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(ROOT) not in where and str(env_dir) in where, where

    article = work / "summit.txt"
    article.write_text((SEEDS / "000_81190b59dc46f0ac.txt").read_text())
    res = run("replay", "summit.txt")
    assert res.returncode == 0, res.stderr
    assert "japan-korea-summit  RAISED" in res.stdout and "1 articles, 2 raised" in res.stdout
    assert sorted(p.name for p in work.iterdir()) == ["summit.txt"]  # replay created nothing

    res = run("init", "instance")
    assert res.returncode == 0, res.stderr
    instance = work / "instance"
    assert (instance / "watchlists" / "entities.yaml").read_text() == (
        ROOT / "watchlists" / "entities.yaml"
    ).read_text()
    assert (instance / "templates" / "default" / "body.html").is_file()
    res = run("rules", "check", "--config", "instance/monitor.toml")
    assert res.returncode == 0, res.stderr
    assert "instance/watchlists/japan-korea-summit.yaml" in res.stdout  # the copy
    res = run("replay", "summit.txt", "--config", "instance/monitor.toml", "--format", "jsonl")
    assert res.returncode == 0 and '"rule": "japan-korea-summit"' in res.stdout, res.stderr
    assert run("-V").stdout.strip().startswith("monitor ")


def test_every_link_in_the_tree_stays_inside_it() -> None:
    """A link to a scratch file outside the checkout (once committed by accident) dangles
    in every clone; the links the package needs (``monitor/defaults``, the examples' cue
    book and gazetteer) point into the tree and resolve."""
    skipped = {".git", ".venv", "var", "build", "dist", "__pycache__", ".hypothesis"}
    outside = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in skipped and not d.endswith(("_cache", ".egg-info"))]
        for name in [*dirs, *files]:
            path = Path(folder) / name
            if path.is_symlink():
                target = path.resolve()
                if not target.exists() or not target.is_relative_to(ROOT.resolve()):
                    outside.append(f"{path.relative_to(ROOT)} -> {os.readlink(path)}")
    assert outside == []
