"""Importer accuracy on the 30 labelled dispatches of tests/corpus (copied from the agency-like corpus).

Prints a per-field report (run with -s to see it) and fails under the acceptance floor: date ≥ 95%
correct where the label has a full date; conferences and ministers precision and recall ≥ 0.95;
no caption, sign-off or teaser text left in any body.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml
from conftest import CORPUS

from briefing.importer import extract
from briefing.taxonomy import fold

TODAY = dt.date(2026, 11, 23)
LABELS = yaml.safe_load((CORPUS / "labels.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def results(taxonomy):
    return {lab["file"]: extract((CORPUS / lab["file"]).read_bytes(), lab["file"], taxonomy, TODAY) for lab in LABELS}


def _prf(pairs: list[tuple[set[str], set[str]]]) -> tuple[float, float]:
    tp = sum(len(got & exp) for got, exp in pairs)
    n_got = sum(len(got) for got, _ in pairs)
    n_exp = sum(len(exp) for _, exp in pairs)
    return (tp / n_got if n_got else 1.0), (tp / n_exp if n_exp else 1.0)


def test_corpus_accuracy(results, capsys):
    dated = [lab for lab in LABELS if lab["event_date"]]
    date_ok = [lab["file"] for lab in dated if results[lab["file"]].meta["date"] == lab["event_date"]]
    # where the label has no full date, the importer must not claim one either
    invented = [
        lab["file"]
        for lab in LABELS
        if not lab["event_date"] and len(str(results[lab["file"]].meta["date"] or "")) == 10
    ]
    conf_p, conf_r = _prf([(set(results[lab["file"]].meta["conferences"]), set(lab["conferences"])) for lab in LABELS])
    min_p, min_r = _prf([(set(results[lab["file"]].meta["ministers"]), set(lab["ministers"])) for lab in LABELS])
    ppl_p, ppl_r = _prf([(set(results[lab["file"]].meta["people"]), set(lab["people"])) for lab in LABELS])
    headline = sum(results[lab["file"]].extra["has_headline"] == lab["has_headline"] for lab in LABELS)
    captions = sum(len(results[lab["file"]].meta["captions"]) == lab["captions"] for lab in LABELS)
    paragraphs = sum(results[lab["file"]].extra["body_paragraphs"] == lab["body_paragraphs"] for lab in LABELS)
    with capsys.disabled():
        print(
            f"\ncorpus ({len(LABELS)} files): date {len(date_ok)}/{len(dated)} "
            f"({100 * len(date_ok) / len(dated):.1f}%), invented full dates {len(invented)}; "
            f"conferences P={conf_p:.3f} R={conf_r:.3f}; ministers P={min_p:.3f} R={min_r:.3f}; "
            f"people P={ppl_p:.3f} R={ppl_r:.3f}; "
            f"headline {headline}/{len(LABELS)}, caption count {captions}/{len(LABELS)}, "
            f"paragraph count {paragraphs}/{len(LABELS)}"
        )
    assert len(date_ok) / len(dated) >= 0.95, sorted(set(lab["file"] for lab in dated) - set(date_ok))
    assert not invented
    assert conf_p >= 0.95 and conf_r >= 0.95
    assert min_p >= 0.95 and min_r >= 0.95


def test_low_confidence_when_the_year_cannot_be_known(results):
    rec = results["022_quang-ninh-guangxi-commerce-frontalier.txt"]
    assert rec.meta["date"] is None
    assert rec.meta["date_confidence"] == "low" and rec.meta["date_partial"] == "08-26"
    assert any("cannot be fixed" in w for w in rec.warnings)


def test_day_unknown_gives_month_precision(results):
    rec = results["023_cloture-29e-conference-diplomatique.txt"]
    assert rec.meta["date"] == "2016-08" and rec.meta["date_source"] == "stub"


@pytest.mark.parametrize("lab", LABELS, ids=[lab["file"][:3] for lab in LABELS])
def test_no_caption_signoff_or_teaser_text_in_body(results, lab):
    rec = results[lab["file"]]
    body = rec.body
    assert not re.search(r"Photo\s*:", body)
    assert not re.search(r"(?:ảnh|hinh anh)\s?\d", body)
    assert not re.search(r"(?:^|\s|[.…])-\s?(?:VNA|AVI)(?:/VI|/CVN)?\s*$", body, re.M)
    assert not re.search(r"^\s*VNA/CVN\s*$", body, re.M)
    assert "Voir plus" not in body and ">>" not in body and "👉" not in body
    folded = fold(body)
    for person in lab["teaser_people"]:
        if person in lab["ministers"] or person in lab["people"]:
            continue
        name = person.replace("-", " ")
        assert name not in re.sub(r"[^a-z ]", " ", folded), f"teaser person {person} leaked into the body"
    for caption in rec.meta["captions"]:
        assert caption not in body


@pytest.mark.parametrize("lab", LABELS, ids=[lab["file"][:3] for lab in LABELS])
def test_structure_matches_labels(results, lab):
    rec = results[lab["file"]]
    assert rec.extra["has_headline"] == lab["has_headline"]
    assert len(rec.meta["captions"]) == lab["captions"]
    assert rec.extra["body_paragraphs"] == lab["body_paragraphs"]
    expected_signoff = (lab["signoff"] or "").lstrip(".…")
    assert (rec.extra["signoff"] or "") == expected_signoff


def test_glued_words_are_split(results):
    assert "desAffaires" not in results["001_20e-conference-affaires-etrangeres-localites.txt"].body
    assert "des Affaires étrangères" in results["001_20e-conference-affaires-etrangeres-localites.txt"].body
    assert "Pham Binh Minh" in results["003_31e-conference-president-nguyen-xuan-phuc.txt"].body
    assert "rompus. L'ambassade" in results["005_porte-parole-le-thi-thu-hang-conference-de-presse.txt"].body


def test_taxonomy_covers_every_labelled_conference_and_minister(taxonomy):
    for lab in LABELS:
        for cid in lab["conferences"]:
            assert cid in taxonomy.conferences, cid
        for pid in lab["ministers"]:
            assert pid in taxonomy.people, pid
