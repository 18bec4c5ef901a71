"""Where a French article and its English stand: one pure function the CLI, build, serve and templates use.

``missing``   no English file;
``machine``   a machine translation of the current French;
``reviewed``  a translation an editor reviewed, of the current French;
``stale``     the French changed since the English was made (reviewed or machine).
"""

from __future__ import annotations

from typing import Protocol

STATES = ("machine", "reviewed", "stale", "missing")


class _French(Protocol):
    def translatable_sha256(self) -> str: ...


class _English(Protocol):
    @property
    def translation(self) -> str | None: ...

    @property
    def source_sha256(self) -> str | None: ...


def translation_state(fr: _French | None, en: _English | None) -> str:
    if en is None:
        return "missing"
    if fr is not None and en.source_sha256 != fr.translatable_sha256():
        return "stale"
    return "reviewed" if en.translation == "reviewed" else "machine"
