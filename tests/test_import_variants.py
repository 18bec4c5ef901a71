"""Metamorphic tests: the same dispatch in the other shapes scraped copy takes must give the same record.

The importer is judged on real dispatches that are not in this repository; these variants check that its
rules hold on copy shaped differently from the labelled files (line endings, diacritics encoding, spacing,
dateline punctuation, extra teasers), not just on the 30 files themselves.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pytest
import yaml
from conftest import CORPUS

from briefing.importer import extract

TODAY = dt.date(2026, 11, 23)
LABELS = yaml.safe_load((CORPUS / "labels.yaml").read_text(encoding="utf-8"))
TEASER = (
    "\n\nVoir plus\n\nLe vice-Premier ministre Bui Thanh Son (à droite) reçoit l'ambassadeur. Photo : VNA\n\n"
    "Le vice-Premier ministre Bui Thanh Son reçoit l'ambassadeur du Japon\n\n"
    "Le vice-Premier ministre et ministre des Affaires étrangères Bui Thanh Son a reçu jeudi 10 juillet à Hanoï "
    "l'ambassadeur du Japon, à la veille de la 58e réunion des ministres des Affaires étrangères de l'ASEAN."
)

VARIANTS = {
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "nfd": lambda t: unicodedata.normalize("NFD", t),
    "double-spacing": lambda t: re.sub(r"\n+", "\n\n\n\n", t),
    "trailing-spaces": lambda t: re.sub(r"\n", "  \n", t),
    "dateline-dash": lambda t: t.replace("(VNA) –", "(VNA) -"),
    "bom": lambda t: "\ufeff" + t,
    "em-dash-dateline": lambda t: t.replace("(VNA) –", "(VNA) —"),
    "spaced-signoff": lambda t: re.sub(r"\s?-VNA(\s*)$", r" - VNA\1", t, flags=re.M),
    "cp1252-quotes": lambda t: t.replace("’", "'"),
}


def _key(rec) -> tuple:  # type: ignore[no-untyped-def]
    m = rec.meta
    return (
        m["title"],
        m["date"],
        tuple(m["conferences"]),
        tuple(m["ministers"]),
        len(m["captions"]),
        rec.extra["body_paragraphs"],
    )


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_same_record_whatever_the_shape_of_the_copy(taxonomy, variant):
    changed = []
    for lab in LABELS:
        raw = (CORPUS / lab["file"]).read_text(encoding="utf-8")
        base = extract(raw.encode("utf-8"), lab["file"], taxonomy, TODAY)
        other = extract(VARIANTS[variant](raw).encode("utf-8"), lab["file"], taxonomy, TODAY)
        if _key(base) != _key(other):
            changed.append((lab["file"], _key(base), _key(other)))
    assert not changed, changed[:3]


@pytest.mark.parametrize("marker", ["Voir plus", ""])
def test_a_trailing_teaser_never_adds_ministers_or_conferences(taxonomy, marker):
    """Teasers naming the Deputy PM and AMM-58 after each article (with or without 'Voir plus') change nothing."""
    teaser = TEASER.replace("Voir plus", marker)
    changed = []
    for lab in LABELS:
        if not lab["signoff"]:
            continue  # truncated copy has no end marker: whatever follows would read as article text
        raw = (CORPUS / lab["file"]).read_text(encoding="utf-8")
        base = extract(raw.encode("utf-8"), lab["file"], taxonomy, TODAY)
        other = extract((raw.rstrip() + teaser).encode("utf-8"), lab["file"], taxonomy, TODAY)
        if _key(base) != _key(other) or base.body != other.body:
            changed.append(lab["file"])
    assert not changed, changed
