"""Review flags: what in one translated segment an editor should look at, counted by kind.

* ``unknown``: words the engine marked as impossible to generate or transfer (Apertium ``#``/``@``);
* ``french`` / ``spanish``: words left untranslated (Apertium ``**mot`` / ``*palabra`` through the
  fr→es→en pivot; for engines without markers, lowercase words with French accents);
* ``repaired``: the engine lost or repeated a locked term and the segment was re-done piecewise;
* ``length``: the English is far shorter or longer than the French (a dropped or repeated clause);
* ``doubt`` (Argos only, per segment, not summed into the front matter): the model's own doubt, its
  score's negative log-probability per token × 100 (0 = certain; higher = less sure).

``rank`` orders segments for the review queue: most flags first, then the model's doubt.

Flags are stored with each translation in the memory and summed per article into the English front
matter (``review_flags``), which the article page reads to say the translation needs review.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

KINDS = ("unknown", "french", "spanish", "repaired", "length")
LENGTH_RATIO = (0.5, 2.0)  # English/French characters, outside locked terms; normal is ~0.9–1.2
MIN_LENGTH = 40  # short fragments vary too much to judge
_FRENCH_WORD = re.compile(r"(?<![\w])[a-zàâçéèêëîïôûùüÿœ]*[àâçéèêëîïôûùüœ][a-zàâçéèêëîïôûùüÿœ]*(?![\w])")


def french_leftovers(english: str, locked_targets: Iterable[str]) -> list[str]:
    kept = " ".join(locked_targets)
    return [w for w in _FRENCH_WORD.findall(english) if w not in kept]


def length_off(source: str, english: str) -> bool:
    if len(source) < MIN_LENGTH:
        return False
    ratio = len(english) / max(len(source), 1)
    return not LENGTH_RATIO[0] <= ratio <= LENGTH_RATIO[1]


def segment_flags(
    marked: Mapping[str, list[str]], english: str, source: str, targets: Iterable[str], repaired: bool
) -> dict[str, int]:
    """Count per kind for one segment; kinds with zero are left out."""
    flags = {k: len(set(v)) for k, v in marked.items() if v}
    targets = list(targets)
    leftovers = set(french_leftovers(english, targets)) - set(marked.get("french", ()))
    if leftovers:
        flags["french"] = flags.get("french", 0) + len(leftovers)
    if repaired:
        flags["repaired"] = 1
    if length_off(_without(source, targets), _without(english, targets)):
        flags["length"] = 1
    return flags


def _without(text: str, targets: list[str]) -> str:
    for t in targets:
        text = text.replace(t, "")
    return " ".join(re.sub(r"\ue000\d+\ue001", "", text).split())


DOUBT = "doubt"


def doubt(score: float) -> int:
    """A CTranslate2 score (log-probability per token, ≤ 0) as a whole number of doubt."""
    return max(0, round(-score * 100))


def rank(flags: Mapping[str, int]) -> tuple[int, int]:
    return (sum(flags.get(k, 0) for k in KINDS), flags.get(DOUBT, 0))


def add(total: dict[str, int], flags: Mapping[str, int]) -> dict[str, int]:
    """Counts summed per kind (one segment's doubt says nothing of an article's: left out)."""
    for k, v in flags.items():
        if k != DOUBT:
            total[k] = total.get(k, 0) + v
    return total


def summary(flags: Mapping[str, int]) -> str:
    return ", ".join(f"{flags[k]} {k}" for k in KINDS if flags.get(k)) or "no flags"
