"""The live session's build (briefing/session.py): what it remembers between builds, and what it does not share with
the one-shot build. Which pages an edit rewrites is tests/test_incremental.py."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest
from conftest import snapshot

from briefing.build import build
from briefing.config import load_config
from briefing.frontmatter import dump_front_matter, parse_front_matter
from briefing.session import BuildSession


@pytest.fixture
def session(bundled: Path) -> BuildSession:
    s = BuildSession(load_config(bundled), search_index=False)
    first = s.build()
    assert not first.errors and first.rendered == first.pages > 50
    return s


def _article(root: Path) -> Path:
    return sorted((root / "content" / "fr").glob("*.md"))[0]


def test_a_failed_build_keeps_what_the_session_knows(session, bundled):
    md = _article(bundled)
    good = md.read_text(encoding="utf-8")
    md.write_text("---\ntitle: [unclosed\n---\nBody.\n", encoding="utf-8")
    failed = session.build()
    assert failed.errors and failed.publish.written == set() and failed.rendered == 0
    md.write_text(good, encoding="utf-8")
    again = session.build()
    assert not again.errors
    assert again.rendered == 0 and again.publish.written == set()  # the same content as the last good build


def test_a_lost_output_folder_is_published_whole_again(session, bundled, tmp_path):
    shutil.rmtree(bundled / "output")
    r = session.build()
    assert r.rendered == r.pages
    assert "fr/index.html" in r.publish.written and (bundled / "output" / "fr" / "index.html").exists()
    build(load_config(bundled), tmp_path / "fresh", search_index=False)
    assert snapshot(bundled / "output") == snapshot(tmp_path / "fresh")


def test_a_body_edit_renders_only_the_pages_showing_that_body(session, bundled):
    md = _article(bundled)
    meta, body = parse_front_matter(md.read_text(encoding="utf-8"), md)
    md.write_text(dump_front_matter(meta, body + "\n\nUne phrase de plus."), encoding="utf-8")
    r = session.build()
    # its two article pages (the English one shows it side by side) and the dossiers holding it: nothing else
    assert r.rendered == len(r.publish.written)
    assert 2 <= r.rendered <= 2 + len(meta["conferences"]) + len(meta["ministers"])


def test_the_session_moves_its_memory_out_of_the_collector_and_the_one_shot_build_does_not(bundled, tmp_path):
    gc.unfreeze()
    try:
        build(load_config(bundled), tmp_path / "one-shot", search_index=False, jobs=2)
        assert gc.get_freeze_count() == 0  # forked workers come and go; nothing stays frozen
        s = BuildSession(load_config(bundled), search_index=False)
        s.build()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_a_new_session_starts_from_nothing(session, bundled):
    """Two sessions share nothing: a second one publishes the whole site (it does not know the first's)."""
    other = BuildSession(load_config(bundled), search_index=False)
    r = other.build()
    assert r.rendered == r.pages and r.publish.written == set()  # every byte as the first session left it


def _dossier_pages(root: Path) -> dict[str, bytes]:
    return {k: v for k, v in snapshot(root / "output").items() if k.endswith("/dossier/index.html")}


def _same_as_a_fresh_build(root: Path, tmp_path: Path) -> None:
    build(load_config(root), tmp_path / "fresh", search_index=False)
    assert _dossier_pages(root) == {k: v for k, v in snapshot(tmp_path / "fresh").items() if "/dossier/" in k}


@pytest.mark.parametrize("change", ["article", "entry template", "strings", "taxonomy"])
def test_dossier_entries_kept_by_the_session_follow_every_input_they_show(session, bundled, tmp_path, change):
    before = _dossier_pages(bundled)
    if change == "article":
        md = next(p for p in sorted((bundled / "content" / "fr").glob("*.md")) if "ministers:\n- " in p.read_text())
        meta, body = parse_front_matter(md.read_text(encoding="utf-8"), md)
        md.write_text(dump_front_matter(meta, body + "\n\nUne phrase ajoutée au dossier."), encoding="utf-8")
    elif change == "entry template":
        entry = bundled / "templates" / "_dossier_entry.html"
        entry.write_text(entry.read_text(encoding="utf-8").replace('class="permalink', 'class="link permalink'))
    elif change == "strings":
        strings = bundled / "theme" / "i18n" / "en.yaml"
        text = strings.read_text(encoding="utf-8")
        strings.write_text(text.replace('machine_notice: "', 'machine_notice: "Draft — ', 1), encoding="utf-8")
    else:
        tax = bundled / "content" / "taxonomy.yaml"
        text = tax.read_text(encoding="utf-8").replace(
            "places: []", "places:\n- {fr: Hanoï, en: Ha Noi City, aliases: [Hanoi]}"
        )
        tax.write_text(text, encoding="utf-8")
    session.build()
    assert _dossier_pages(bundled) != before  # the change shows in the dossiers the session rebuilt
    _same_as_a_fresh_build(bundled, tmp_path)


def test_a_build_told_which_files_changed_reads_those_and_sees_new_and_deleted_ones(session, bundled, tmp_path):
    fr = bundled / "content" / "fr"
    md = _article(bundled)
    meta, body = parse_front_matter(md.read_text(encoding="utf-8"), md)
    md.write_text(dump_front_matter(meta, body + "\n\nUne phrase vue par le veilleur."), encoding="utf-8")
    r = session.build(changed={md})
    assert r.rendered >= 2 and "Une phrase vue par le veilleur" in (
        bundled / "output" / "fr" / "articles" / md.stem / "index.html"
    ).read_text(encoding="utf-8")
    new = fr / "nouvelle-depeche.md"
    new.write_text(dump_front_matter({**meta, "title": "Une nouvelle dépêche"}, "Corps."), encoding="utf-8")
    gone = sorted(fr.glob("*.md"))[-1]
    gone.unlink()
    session.build(changed={new, gone})
    build(load_config(bundled), tmp_path / "fresh", search_index=False)
    assert snapshot(bundled / "output") == snapshot(tmp_path / "fresh")


def test_a_change_the_watcher_missed_is_seen_by_the_next_full_look(session, bundled, monkeypatch):
    from briefing import session as session_module

    monkeypatch.setattr(session_module, "FULL_SCAN_EVERY", 3)
    md = _article(bundled)
    meta, body = parse_front_matter(md.read_text(encoding="utf-8"), md)
    md.write_text(dump_front_matter(meta, body + "\n\nUne phrase non signalée."), encoding="utf-8")
    page = bundled / "output" / "fr" / "articles" / md.stem / "index.html"
    seen = []
    for _ in range(3):
        session.build(changed=set())  # the watcher reported nothing
        seen.append("Une phrase non signalée" in page.read_text(encoding="utf-8"))
    assert seen[0] is False and seen[-1] is True  # trusted at first, then every file is looked at
