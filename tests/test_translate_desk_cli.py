"""The translation desk through the real command line and real Apertium: post-edits feed the memory."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import require_tool, run_cli

from briefing.config import load_config
from briefing.frontmatter import dump_front_matter, parse_front_matter
from briefing.sources import parse_article
from briefing.translate import desk
from briefing.translate.memory import Memory

SLUG = "la-vice-ministre-des-affaires-etrangeres-le-thi-thu-hang-a-souligne-les"
NEW = "nouvelle-depeche-qui-reprend-des-phrases"


def review_with_edits(root: Path, n: int) -> list[tuple[str, str]]:
    """An editor fixes ``n`` body sentences of SLUG and marks it reviewed; returns (French, editor's English)."""
    cfg = load_config(root)
    body = [p for p in desk.segment_pairs(cfg, SLUG) if p.unit == "body"][1 : 1 + n]
    path = root / "content" / "en" / f"{SLUG}.md"
    text = path.read_text(encoding="utf-8")
    fixed = []
    for i, p in enumerate(body):
        mine = f"Editor's sentence number {i} says it properly."
        assert p.english and p.english in text
        text = text.replace(p.english, mine)
        fixed.append((p.french, mine))
    path.write_text(text.replace("translation: machine", "translation: reviewed"), encoding="utf-8")
    return fixed


def new_dispatch(root: Path, french: list[str]) -> Path:
    """A new French article that repeats ``french`` sentences after a sentence of its own."""
    src = root / "content" / "fr" / f"{SLUG}.md"
    meta, _ = parse_front_matter(src.read_text(encoding="utf-8"), src)
    meta = dict(meta)
    meta.update(title="Une nouvelle dépêche", summary="Une phrase nouvelle.", captions=[])
    del meta["original"]
    body = "Le ministre a visité le port de Hai Phong.\n\n" + "\n\n".join(french)
    path = root / "content" / "fr" / f"{NEW}.md"
    path.write_text(dump_front_matter(meta, body), encoding="utf-8")
    return path


@pytest.fixture
def apertium_project(bundled: Path) -> Path:
    require_tool("apertium", "the offline French→English engine")
    return bundled


def test_a_reviewed_article_teaches_the_memory_and_a_new_dispatch_gets_the_editors_english(apertium_project):
    root = apertium_project
    fixed = review_with_edits(root, 2)
    new_dispatch(root, [fr for fr, _ in fixed])
    done = run_cli(root, "translate", "--engine", "apertium", "--quiet")
    assert done.returncode == 0, done.stderr
    assert "learnt 13 segment(s) from 1 reviewed article(s)" in done.stdout
    assert "the desk's)" in done.stdout  # the new dispatch's 2, and "Photo: VNA" in other captions
    en_path = root / "content" / "en" / f"{NEW}.md"
    en = parse_article(en_path.read_text(encoding="utf-8"), en_path, "en")
    for _, mine in fixed:
        assert mine in en.body
    assert en.desk_segments == 2 and en.translation == "machine"
    assert "Hai Phong" in en.body.split("\n\n")[0]  # the new sentence is the engine's
    mem = Memory(root / ".cache" / "translation-memory.sqlite")
    human = mem.human_many([fr for fr, _ in fixed])
    mem.close()
    assert human == dict(fixed)


def test_a_machine_article_holding_a_sentence_the_desk_learnt_is_redone_from_memory(apertium_project):
    root = apertium_project
    new_dispatch(root, ["Une phrase que le bureau traduira."])
    assert run_cli(root, "translate", "--engine", "apertium", "--quiet").returncode == 0
    mem = Memory(root / ".cache" / "translation-memory.sqlite")
    mem.put_human([("Une phrase que le bureau traduira.", "A sentence the desk translates.")])
    mem.close()
    again = run_cli(root, "translate", "--engine", "apertium", "--quiet")
    assert again.returncode == 0, again.stderr
    assert "translated 1 article(s)" in again.stdout and "0 by the engine" in again.stdout
    text = (root / "content" / "en" / f"{NEW}.md").read_text(encoding="utf-8")
    assert "A sentence the desk translates." in text and "desk_segments: 1" in text
