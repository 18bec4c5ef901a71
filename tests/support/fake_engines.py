"""Engines for tests of the *other* stages (segmentation, memory, protection, pipeline).

They sit exactly at the system edge (the ``Engine`` interface); the real engines are tested on
their own with the tiny Argos model and real Apertium.
"""

from __future__ import annotations

import re
from collections.abc import Sequence


class UpperEngine:
    """'Translates' by upper-casing words; keeps placeholders (they are upper-case already)."""

    name = "upper"
    model_id = "upper-1"

    def __init__(self) -> None:
        self.calls = 0
        self.segments: list[str] = []

    def token(self, i: int) -> str:
        return f"ZQX{'ABCDEFGHJK'[i % 10] * (1 + i // 10)}XQZ"

    def translate_batch(self, texts: Sequence[str]) -> list[str]:
        self.calls += 1
        self.segments += list(texts)
        return [t.upper() for t in texts]


class ManglingEngine(UpperEngine):
    """Like Apertium on names: drops placeholders and turns 'Son' into 'Sound'."""

    name = "mangling"
    model_id = "mangling-1"

    def translate_batch(self, texts: Sequence[str]) -> list[str]:
        self.calls += 1
        self.segments += list(texts)
        return [re.sub(r"ZQX[A-K]+XQZ", "", t).replace("Son", "Sound").upper() for t in texts]
