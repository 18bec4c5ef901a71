"""Nothing an editor wrote is lost: a SIGKILL during approve, redraft or accept leaves the English file
old or new, whole, never a mix; the memory opens cleanly afterwards.

The kill is placed exactly, by a wrapper around ``os.replace`` in the child process: just before the
rename that publishes the English file (the new text is fully written to its temporary file) and just
after it; plus a kill at a random moment of the whole run."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from test_translate_desk_cli import SLUG, stale_review

from briefing.config import load_config
from briefing.sources import parse_article
from briefing.translate import desk
from briefing.translate.memory import Memory

_CHILD = """
import os, signal, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
name, moment, root, op, *rest = sys.argv[2:]
real = os.replace

def replace(a, b, *args, **kwargs):
    ours = os.path.basename(b) == name and os.path.basename(os.path.dirname(b)) == "en"
    if ours and moment == "before":
        os.kill(os.getpid(), signal.SIGKILL)
    real(a, b, *args, **kwargs)
    if ours and moment == "after":
        os.kill(os.getpid(), signal.SIGKILL)

os.replace = replace
if op == "approve":
    from briefing.config import load_config
    from briefing.translate import desk
    desk.approve(load_config(Path(root)), rest[0], int(rest[1]), rest[2])
else:
    from briefing.cli import main
    sys.exit(main(["--root", root, "translate", "--" + op, rest[0], "--engine", "apertium"]))
"""


def _child(tmp_path: Path, root: Path, moment: str, op: str, *rest: str) -> subprocess.Popen[bytes]:
    script = tmp_path / "child.py"
    script.write_text(_CHILD, encoding="utf-8")
    return subprocess.Popen(
        [sys.executable, str(script), str(ROOT), f"{SLUG}.md", moment, str(root), op, *rest],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _outcomes(tmp_path: Path, root: Path, op: str, *rest: str) -> tuple[bytes, bytes]:
    """The English file before the operation, and after it ran to the end (on a copy)."""
    path = root / "content" / "en" / f"{SLUG}.md"
    ref = tmp_path / "reference"
    shutil.copytree(root, ref)
    proc = _child(tmp_path, ref, "never", op, *rest)
    assert proc.wait(timeout=300) == 0, proc.stderr.read() if proc.stderr else ""
    new = (ref / "content" / "en" / f"{SLUG}.md").read_bytes()
    assert new != path.read_bytes()
    return path.read_bytes(), new


def _check(root: Path, allowed: dict[str, bytes]) -> str:
    path = root / "content" / "en" / f"{SLUG}.md"
    data = path.read_bytes()
    which = next((k for k, v in allowed.items() if v == data), None)
    assert which is not None, "the English file is neither the old one nor the new one"
    parse_article(data.decode("utf-8"), path, "en")
    mem = Memory(root / ".cache" / "translation-memory.sqlite")
    assert mem.warnings == []
    mem.close()
    return which


def _operation(root: Path, op: str) -> tuple[str, ...]:
    if op == "approve":
        index = desk.segment_pairs(load_config(root), SLUG, flags=False)[3].index
        return (SLUG, str(index), "The desk's own sentence.")
    stale_review(root)
    return (SLUG,)


@pytest.mark.parametrize("op", ["approve", "accept", "redraft"])
def test_a_kill_just_before_or_after_the_write_leaves_the_old_or_the_new_file(apertium_project, tmp_path, op):
    root = apertium_project
    rest = _operation(root, op)
    old, new = _outcomes(tmp_path, root, op, *rest)
    saved = tmp_path / "saved"
    shutil.copytree(root, saved)
    for moment, expected in (("before", "old"), ("after", "new")):
        proc = _child(tmp_path, root, moment, op, *rest)
        assert proc.wait(timeout=300) == -signal.SIGKILL
        assert _check(root, {"old": old, "new": new}) == expected
        shutil.rmtree(root)
        shutil.copytree(saved, root)


@pytest.mark.parametrize("op", ["approve", "redraft"])
def test_a_kill_at_any_moment_leaves_a_whole_file(apertium_project, tmp_path, op):
    root = apertium_project
    rest = _operation(root, op)
    old, new = _outcomes(tmp_path, root, op, *rest)
    saved = tmp_path / "saved"
    shutil.copytree(root, saved)
    rng = random.Random(14)
    for _ in range(4):
        proc = _child(tmp_path, root, "never", op, *rest)
        time.sleep(rng.uniform(0.2, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        _check(root, {"old": old, "new": new})
        shutil.rmtree(root)
        shutil.copytree(saved, root)


@pytest.fixture
def apertium_project(bundled: Path) -> Path:
    from conftest import require_tool

    require_tool("apertium", "the offline French→English engine")
    return bundled
