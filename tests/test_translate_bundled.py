"""The bundled English (content/en, what deploys): every person and place the French names is there in its
English form, names outside the taxonomy as written, and no French typography is left."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from briefing.sources import load_content
from briefing.translate.names import article_names
from briefing.translate.protect import MARKUP, NAME, PLACE, Protector
from briefing.translate.segment import Segment

CONTENT = ROOT / "content"


@pytest.fixture(scope="module")
def articles(taxonomy):
    content = load_content(CONTENT, taxonomy)
    assert not content.errors, content.errors
    pairs = [(fr, content.articles["en"].get(slug)) for slug, fr in sorted(content.articles["fr"].items())]
    assert pairs and all(en is not None for _, en in pairs), "every French article has its English"
    return pairs


def _english_text(en) -> str:  # type: ignore[no-untyped-def]
    return "\n".join([en.title, en.summary, *en.captions, en.body])


def test_every_person_and_place_of_the_french_is_in_the_english(articles, taxonomy):
    names_and_places = Protector([(t, NAME) for t in taxonomy.protected_terms() if t not in taxonomy.places] +
                                 [(t, PLACE) for t in taxonomy.places])  # fmt: skip
    checked = 0
    for fr, en in articles:
        french = "\n".join([fr.title, fr.summary, *fr.captions, fr.body])
        english = _english_text(en)
        locked = names_and_places.lock(Segment(french, ()), article_names(taxonomy, fr))
        expected = {
            re.sub(r"^(?:in|to|In|To) ", "", t)
            for t, k in zip(locked.targets, locked.kinds, strict=True)
            if k != MARKUP
        }
        for name in expected:
            checked += 1
            assert name in english or re.sub(r"\s*\([^()]*\)$", "", name) in english, (en.path.name, name)
    assert checked >= 20


def test_names_outside_the_taxonomy_are_kept_as_written(articles, taxonomy):
    found = 0
    for fr, en in articles:
        for name in article_names(taxonomy, fr):
            found += 1
            assert name in _english_text(en), (en.path.name, name)
    assert found >= 1  # "Nguyen Van Quang", which the old pipeline made "Nguyen Go Quang"
    assert "Nguyen Go Quang" not in "".join(_english_text(en) for _, en in articles)


def test_no_french_typography_on_the_english_pages(articles):
    text = "\n".join(_english_text(en) for _, en in articles)
    for mark in ("«", "»", "Hanoï", "\u00a0", "\u202f"):
        assert mark not in text
    assert not re.search(r"\b\d+(?:ᵉ|e|ème)\b|\b\d{1,3}\.\d{3}\b|\d,\d+ ?%", text)


def test_bundled_english_is_current_with_the_pipeline(articles):
    for fr, en in articles:
        assert en.translation_state(fr) == "machine", en.path.name
        assert en.engine == "apertium" and en.locked_sha256, en.path.name
