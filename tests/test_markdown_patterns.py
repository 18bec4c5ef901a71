"""Bodies are rendered with only the inline patterns their text can trigger (briefing/bodies.py): the output must be
the very output of Python-Markdown with every pattern, on real-shaped copy and on text made of the characters
the patterns start with."""

from __future__ import annotations

from pathlib import Path

import hypothesis.strategies as st
from hypothesis import example, given, settings

from briefing import bodies
from briefing.frontmatter import parse_front_matter

ROOT = Path(__file__).resolve().parent.parent
_FULL = bodies._new_markdown()


def _full(text: str) -> list[str]:
    return bodies._BodyRenderer.blocks_with(_FULL, bodies._LEGACY_ESCAPE.sub(r"\1\2\\\3", text)) if text.strip() else []


def _bodies() -> list[str]:
    found = []
    for folder in ("content/fr", "content/en", "tests/golden"):
        for md in sorted((ROOT / folder).rglob("*.md")):
            found.append(parse_front_matter(md.read_text(encoding="utf-8"), md)[1])
    for raw in sorted((ROOT / "tests").glob("corpus*/*.txt")):
        found.append(raw.read_text(encoding="utf-8"))
    return found


def test_every_bundled_and_corpus_body_renders_as_with_every_pattern():
    texts = _bodies()
    assert len(texts) > 90
    for text in texts:
        assert bodies.render_blocks(text) == _full(text)


def test_a_body_without_marks_drops_the_patterns_and_one_with_marks_keeps_them():
    assert bodies.untriggered("Le ministre a dit.") == frozenset(bodies._TRIGGERS)
    kept = set(bodies._TRIGGERS) - bodies.untriggered("a *b* [c](d) <e> &amp; `f` \\g ![h](i) j  \nk")
    assert kept == set(bodies._TRIGGERS)


_MARKS = st.sampled_from(list("`\\[]()!<>&*_ \t\r\n#>-|:.1aé@/") + ["  \n", "](http://x.y)", "<b>", "&amp;", "***"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_MARKS, max_size=40).map("".join))
@example("a\t\nb")  # a tab before a line's end is a hard break (tabs become spaces)
@example("a  \r\nb")
@example("_a_ and __b__")
@example("1\\. x")
def test_any_text_of_pattern_marks_renders_as_with_every_pattern(text):
    assert bodies.render_blocks(text) == _full(text)
