"""Score the importer against a labelled corpus (``labels.yaml`` beside the dispatches).

One place for the metrics the tests assert and ``bench/score_import.py`` prints: event date right,
precision/recall of conferences, ministers and people, structure counts, and every miss per file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from briefing.importer import Imported, extract
from briefing.taxonomy import Taxonomy

TODAY = dt.date(2026, 11, 23)
FIELDS = ("conferences", "ministers", "people")


@dataclass
class PR:
    tp: int = 0
    got: int = 0
    expected: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.got if self.got else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.expected if self.expected else 1.0

    def add(self, got: set[str], expected: set[str]) -> None:
        self.tp += len(got & expected)
        self.got += len(got)
        self.expected += len(expected)


@dataclass
class Score:
    files: int = 0
    dated: int = 0
    date_right: int = 0
    invented_dates: int = 0
    headline: int = 0
    captions: int = 0
    paragraphs: int = 0
    pr: dict[str, PR] = field(default_factory=lambda: {f: PR() for f in FIELDS})
    misses: dict[str, list[str]] = field(default_factory=dict)

    @property
    def date_accuracy(self) -> float:
        return self.date_right / self.dated if self.dated else 1.0

    def summary(self, name: str) -> str:
        parts = [f"{name} ({self.files} files): date {self.date_right}/{self.dated} ({self.date_accuracy:.2f})"]
        parts.append(f"invented full dates {self.invented_dates}")
        parts += [f"{f} P/R {self.pr[f].precision:.2f}/{self.pr[f].recall:.2f}" for f in FIELDS]
        parts.append(
            f"headline {self.headline}, captions {self.captions}, paragraphs {self.paragraphs} of {self.files}"
        )
        return "; ".join(parts)


def load_labels(corpus: Path) -> list[dict[str, Any]]:
    return list(yaml.safe_load((corpus / "labels.yaml").read_text(encoding="utf-8")))


def run(corpus: Path, tax: Taxonomy, use_nlp: bool = False) -> dict[str, Imported]:
    return {
        lab["file"]: extract((corpus / lab["file"]).read_bytes(), lab["file"], tax, TODAY, use_nlp)
        for lab in load_labels(corpus)
    }


def score(corpus: Path, results: dict[str, Imported]) -> Score:
    s = Score()
    for lab in load_labels(corpus):
        rec = results[lab["file"]]
        s.files += 1
        miss: list[str] = []
        if lab["event_date"]:
            s.dated += 1
            if rec.meta["date"] == lab["event_date"]:
                s.date_right += 1
            else:
                miss.append(f"date {rec.meta['date']} != {lab['event_date']}")
        elif len(str(rec.meta["date"] or "")) == 10:
            s.invented_dates += 1
            miss.append(f"date {rec.meta['date']} claimed, label has none")
        for f in FIELDS:
            got, exp = set(rec.meta[f]), set(lab[f])
            s.pr[f].add(got, exp)
            if got - exp:
                miss.append(f"{f} extra {sorted(got - exp)}")
            if exp - got:
                miss.append(f"{f} missed {sorted(exp - got)}")
        s.headline += rec.extra["has_headline"] == lab["has_headline"]
        s.captions += len(rec.meta["captions"]) == lab["captions"]
        s.paragraphs += rec.extra["body_paragraphs"] == lab["body_paragraphs"]
        if miss:
            s.misses[lab["file"]] = miss
    return s
