"""The optional French NLP pipeline (spaCy's ``fr_core_news_sm``) the importer may add to its rules.

Import time only: ``build``, ``serve`` and the deploy never import it. It is used for what rules do badly
and is never trusted alone: its person entities are candidates that pass the same filters as the rules'
names (no place, no institution, no enumeration, not already known), so that a person named with no role
word ("Antony Blinken doit rencontrer…") is not lost. Whether it is used is the importer's setting
(used whenever installed; ``import --no-nlp`` for rules alone); ``available()`` says whether it is
installed (``requirements-import.txt``). Measured on both labelled corpora, rules + pipeline score better
than rules alone (``python bench/score_import.py --nlp``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

MODEL = "fr_core_news_sm"
INSTALL = "pip install -r requirements-import.txt"


def available() -> bool:
    try:
        import spacy  # noqa: F401

        __import__(MODEL)
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def _pipeline() -> Any:
    import spacy

    # the parser and lemmatizer are not needed for entities: leaving them out halves the time
    return spacy.load(MODEL, exclude=["parser", "lemmatizer"])


def person_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the person entities spaCy finds in ``text``."""
    doc = _pipeline()(text)
    return [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PER"]
