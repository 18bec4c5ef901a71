"""serve's watcher (briefing/watch.py): real inotify events through watchfiles, and the snapshot it keeps current by
stat'ing only the reported paths (serve._restat)."""

from __future__ import annotations

import os
import queue
import time
from pathlib import Path

import pytest

from briefing.config import load_config
from briefing.serve import _restat, _snapshot
from briefing.watch import Watch

pytestmark = pytest.mark.serial  # the watchers' set-up is given a fixed time: not beside tests that share the cores


def _next(events: queue.Queue, timeout: float = 5.0) -> set[Path]:
    return events.get(timeout=timeout)


def _watching(tmp_path: Path):  # type: ignore[no-untyped-def]
    content, theme = tmp_path / "content", tmp_path / "theme"
    content.mkdir()
    theme.mkdir()
    (tmp_path / "site.yaml").write_text("title: x\n")
    events: queue.Queue = queue.Queue()
    watch = Watch([content, theme], tmp_path / "site.yaml", events.put)
    time.sleep(0.3)  # the watchers are set up in their threads
    return watch, events, content


def test_a_save_is_reported_with_its_path_and_swap_files_are_not(tmp_path):
    watch, events, content = _watching(tmp_path)
    try:
        (content / ".article.md.swp").write_text("editor's swap file")
        (content / "article.md").write_text("saved")
        reported = _next(events)
        assert content / "article.md" in reported
        assert not any(p.name.endswith(".swp") for p in reported)
    finally:
        watch.stop()


def test_site_yaml_saved_by_renaming_is_reported_and_other_root_files_are_not(tmp_path):
    watch, events, _ = _watching(tmp_path)
    try:
        (tmp_path / "notes.txt").write_text("not an input")
        (tmp_path / "output").mkdir()
        (tmp_path / "output" / "index.html").write_text("the build's own write")
        staged = tmp_path / "site.yaml.new"
        staged.write_text("title: y\n")
        os.replace(staged, tmp_path / "site.yaml")
        reported = _next(events)
        assert reported == {tmp_path / "site.yaml"}
    finally:
        watch.stop()


def test_restat_updates_only_the_reported_paths(bundled):
    cfg = load_config(bundled)
    before = _snapshot(cfg)
    article = next((cfg.content_dir / "fr").glob("*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    gone = next((cfg.content_dir / "en").glob("*.md"))
    gone.unlink()
    now = _restat(before, cfg, {article, gone})
    assert now == _snapshot(cfg)  # the same as reading every input again
    assert now[str(article)] != before[str(article)] and str(gone) not in now


def test_restat_reads_everything_again_when_a_folder_changed(bundled):
    cfg = load_config(bundled)
    before = _snapshot(cfg)
    folder = cfg.content_dir / "fr" / "archive"
    folder.mkdir()
    (folder / "new.md").write_text("x", encoding="utf-8")
    assert _restat(before, cfg, {folder}) == _snapshot(cfg)
