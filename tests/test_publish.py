"""Publishing the site: one publish per output folder at a time, never no output/, and a swap that works when
output/ is a mount point (a container volume), where the folder itself cannot be renamed."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, make_project, run_cli, snapshot


def _grow(root: Path, n: int) -> None:
    src = sorted((root / "content" / "fr").glob("*.md"))
    for i in range(n):
        s = src[i % len(src)]
        (root / "content" / "fr" / f"copie-{i:04d}.md").write_text(s.read_text(encoding="utf-8"), encoding="utf-8")


def test_two_builds_to_one_output_folder_never_mix(bundled, tmp_path):
    """Two projects, one --output: the second says the folder is busy (exit 4) and the first publishes all of its
    site (on the old code the second deleted the first's staging folder and both claimed success)."""
    big = bundled
    _grow(big, 1500)
    small = make_project(tmp_path / "small", with_content=True)
    shared = tmp_path / "www" / "site"
    first = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--root", str(big), "build", "--no-search", "--output", str(shared)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 120
    while not list(shared.parent.glob(".site.staging-*")) and time.time() < deadline and first.poll() is None:
        time.sleep(0.02)
    assert list(shared.parent.glob(".site.staging-*")), "the first build never started publishing"
    second = run_cli(small, "build", "--no-search", "--output", str(shared))
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert second.returncode == 4, second.stderr
    assert "busy" in second.stderr and str(shared) in second.stderr and "Traceback" not in second.stderr
    reference = tmp_path / "reference"
    assert run_cli(big, "build", "--no-search", "--force", "--output", str(reference)).returncode == 0
    assert snapshot(shared) == snapshot(reference)


_KILL_AT_SWAP = """
import os, signal, sys
sys.path.insert(0, sys.argv[1])
import briefing.write as w
out = sys.argv[3]

def kill_after(fn):
    def wrapped(a, b, *args, **kwargs):
        fn(a, b, *args, **kwargs)
        if out in (os.fspath(a), os.fspath(b)):
            os.kill(os.getpid(), signal.SIGKILL)
    return wrapped

os.replace, os.rename = kill_after(os.replace), kill_after(os.rename)
if hasattr(w, "exchange"):
    w.exchange = kill_after(w.exchange)
from briefing.cli import main
main(["--root", sys.argv[2], "build", "--no-search", "--force"])
"""


def test_a_build_killed_at_the_swap_always_leaves_a_whole_site(bundled, tmp_path):
    """SIGKILL right after the first rename that touches output/: there is still an output/, old or new, whole."""
    assert run_cli(bundled, "build", "--no-search").returncode == 0
    out = bundled / "output"
    before = snapshot(out)
    (bundled / "content" / "fr" / "copie-0001.md").write_text(
        next((bundled / "content" / "fr").glob("*.md")).read_text(encoding="utf-8"), encoding="utf-8"
    )
    script = tmp_path / "kill_at_swap.py"
    script.write_text(_KILL_AT_SWAP, encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script), str(ROOT), str(bundled), str(out)], capture_output=True)
    assert proc.returncode == -9, proc.stderr
    assert out.is_dir(), "a build killed at the swap left no output/"
    after = snapshot(out)
    if after != before:
        reference = tmp_path / "reference"
        assert run_cli(bundled, "build", "--no-search", "--output", str(reference)).returncode == 0
        assert after == snapshot(reference)
    assert run_cli(bundled, "build", "--no-search").returncode == 0
    assert not list(bundled.glob(".output.*"))


def _pretend_mount_point(monkeypatch, out: Path, code: int) -> None:
    """What the kernel does when ``out`` is a mount point: renaming it, or exchanging it, fails with ``code``
    (EBUSY); with EXDEV, moving anything from outside ``out`` into it fails too (another filesystem)."""
    import briefing.write as write

    out_s = os.fspath(out)
    real_exchange, real_rename, real_replace = getattr(write, "exchange", None), os.rename, os.replace

    def refuse(a, b) -> None:  # type: ignore[no-untyped-def]
        a, b = os.fspath(a), os.fspath(b)
        inside = b.startswith(out_s + "/") and not a.startswith(out_s + "/")
        if out_s in (a, b) or (code == errno.EXDEV and inside):
            raise OSError(code, os.strerror(code), a, None, b)

    def guarded(real):  # type: ignore[no-untyped-def]
        def call(a, b, *args, **kwargs):  # type: ignore[no-untyped-def]
            refuse(a, b)
            return real(a, b, *args, **kwargs)

        return call

    monkeypatch.setattr(write, "exchange", guarded(real_exchange), raising=False)
    monkeypatch.setattr(os, "rename", guarded(real_rename))
    monkeypatch.setattr(os, "replace", guarded(real_replace))


@pytest.mark.parametrize("code", [errno.EBUSY, errno.EXDEV])
def test_publishing_into_a_mount_point_swaps_its_contents(bundled, tmp_path, monkeypatch, code):
    from briefing.build import build
    from briefing.config import load_config

    cfg = load_config(bundled)
    out = tmp_path / "volume"
    assert not build(cfg, out, search_index=False).errors
    inode = out.stat().st_ino
    (out / "stray.txt").write_text("left by someone", encoding="utf-8")
    shutil.rmtree(bundled / "content" / "en")  # the next site lacks en/ altogether
    (bundled / "content" / "en").mkdir()
    _pretend_mount_point(monkeypatch, out, code)
    result = build(cfg, out, search_index=False)
    monkeypatch.undo()
    assert not result.errors
    assert out.stat().st_ino == inode  # the same folder: its contents were swapped
    reference = tmp_path / "reference"
    assert not build(cfg, reference, search_index=False).errors
    assert snapshot(out) == snapshot(reference)
    assert not [p for p in os.listdir(out) if p.startswith(".")]
    assert not list(tmp_path.glob(".volume.*"))


def test_a_known_mount_point_is_staged_inside_it(bundled, tmp_path, monkeypatch):
    """Detected up front (os.path.ismount): the staging folder is made inside output/ (same filesystem, hard
    links work) and hidden; it is never published and the folder is never renamed."""
    from briefing.build import build
    from briefing.config import load_config

    cfg = load_config(bundled)
    out = tmp_path / "volume"
    assert not build(cfg, out, search_index=False).errors
    inode = out.stat().st_ino
    before = snapshot(out)
    real_ismount = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda p: os.fspath(p) == os.fspath(out) or real_ismount(p))
    _pretend_mount_point(monkeypatch, out, errno.EBUSY)
    result = build(cfg, out, search_index=False)
    assert result.publish.unchanged == result.publish.total  # linked from the published site, not rewritten
    monkeypatch.undo()
    assert out.stat().st_ino == inode
    assert snapshot(out) == before
    assert not [p for p in os.listdir(out) if p.startswith(".")]


def test_output_whose_parent_is_read_only_is_published_in_place(bundled, tmp_path):
    """A real read-only parent (the user cannot create the staging folder or the lock beside output/): the build
    stages inside output/ and swaps its contents. As root, the build runs as 'nobody' so the folder really is
    read-only to it."""
    import tempfile

    shared = Path(tempfile.mkdtemp(prefix="briefing-ro-parent-"))
    shared.chmod(0o755)
    root = shared / "portal"
    shutil.copytree(bundled, root)
    volume = shared / "mnt" / "site"
    volume.mkdir(parents=True)
    cmd: list[str] = []
    if os.geteuid() == 0:
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        for p in [root, *root.rglob("*"), volume]:
            os.chown(p, 65534, 65534)
    env = {**os.environ, "HOME": str(root), "XDG_CONFIG_HOME": str(root / ".config")}

    def build() -> subprocess.CompletedProcess[str]:
        argv = [sys.executable, str(ROOT / "build.py"), "--root", str(root), "build", "--no-search", "--force"]
        return subprocess.run([*cmd, *argv, "--output", str(volume)], capture_output=True, text=True, env=env)

    try:
        assert build().returncode == 0
        inode = volume.stat().st_ino
        (shared / "mnt").chmod(0o555)
        (root / "content" / "fr" / "copie.md").write_text(
            next((root / "content" / "fr").glob("*.md")).read_text(encoding="utf-8"), encoding="utf-8"
        )
        proc = build()
        assert proc.returncode == 0, proc.stderr
        assert volume.stat().st_ino == inode
        assert (volume / "fr" / "articles" / "copie" / "index.html").is_file()
        assert sorted(os.listdir(shared / "mnt")) == ["site"]
        assert not [p for p in os.listdir(volume) if p.startswith(".")]
    finally:
        (shared / "mnt").chmod(0o755)
        shutil.rmtree(shared, ignore_errors=True)
