"""What travels between the portal and a translator's tool: one segment of one article, and the checks a file
that comes back must pass before anything of it is applied.

A segment is named by its article's slug and its index in the article (``slug:index``, the XLIFF unit id) and
carries a digest of its French (``source-sha256`` note; when a tool drops notes, the digest of the returned
``<source>`` stands in) and of its English as exported (``english-sha256``): a file whose French has changed
since the export, that would overwrite English an editor changed since the export, that names segments this
project does not have, or that another project exported, is refused whole. The formats
themselves (XLIFF 1.2 / 2.0, TMX) are read and written by translate-toolkit in ``xliff.py`` and ``tmx.py``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..errors import ExchangeError, Problem

SOURCE_LANG = "fr"
TARGET_LANG = "en"
_ID = re.compile(r"^([a-z0-9][a-z0-9-]*):(\d+)$")


@dataclass(frozen=True)
class Unit:
    """One segment as the project has it: French, current English, review flags, and whether a human made it."""

    slug: str
    index: int
    source: str
    target: str
    flags: Mapping[str, int] = field(default_factory=dict)
    approved: bool = False

    @property
    def id(self) -> str:
        return f"{self.slug}:{self.index}"


@dataclass(frozen=True)
class Returned:
    """One unit read back from a translator's file (``line``: where it starts in that file)."""

    id: str
    source_sha256: str
    source: str
    target: str
    done: bool  # the tool marks it translated, reviewed or final
    line: int | None = None
    english_sha256: str = ""  # the digest of the English as exported (note ``english-sha256``)


@dataclass(frozen=True)
class Received:
    project: str
    source_lang: str
    target_lang: str
    units: tuple[Returned, ...]


def xml_root(data: bytes, path: Path, element: str, kind: str) -> etree._Element:
    """The root of a translators' file, parsed safely (no entities resolved, no network): ``ExchangeError`` with
    the file and line if it is not well-formed or its root is not ``element``."""
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise ExchangeError([Problem(path, exc.lineno, f"not well-formed XML: {exc.msg}")]) from None
    if etree.QName(root).localname != element:
        raise ExchangeError([Problem(path, root.sourceline, f"<{etree.QName(root).localname}> is not {kind}")])
    return root


def text_sha256(text: str) -> str:
    """The digest of a segment's text (French or English); spacing differences are not changes."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def parse_id(unit_id: str) -> tuple[str, int] | None:
    m = _ID.match(unit_id)
    return (m.group(1), int(m.group(2))) if m else None


def same_language(code: str | None, expected: str) -> bool:
    """``fr``, ``fr-FR``, ``fr_CA`` are French."""
    return bool(code) and re.split(r"[-_]", str(code).strip().lower())[0] == expected


def check_received(
    path: Path, received: Received, project: str, current: Mapping[str, Unit]
) -> list[tuple[Unit, Returned]]:
    """Every unit of ``received`` that changes the project, paired with the project's unit; raises
    ``ExchangeError`` listing every problem (foreign project, wrong languages, unknown ids, changed French, English
    changed here since the export)."""
    problems: list[Problem] = []
    if received.project != project:
        problems.append(
            Problem(path, None, f"exported by another project ({received.project!r}, this one is {project!r})")
        )
    if not same_language(received.source_lang, SOURCE_LANG) or not same_language(received.target_lang, TARGET_LANG):
        problems.append(
            Problem(
                path,
                None,
                f"languages {received.source_lang or '?'}→{received.target_lang or '?'}, "
                f"expected {SOURCE_LANG}→{TARGET_LANG}",
            )
        )
    if problems:
        raise ExchangeError(problems)
    applied: list[tuple[Unit, Returned]] = []
    seen: set[str] = set()
    for r in received.units:
        problem = _unit_problem(r, current, seen)
        if problem:
            problems.append(Problem(path, r.line, problem))
            continue
        seen.add(r.id)
        unit = current[r.id]
        changed = text_sha256(r.target) != text_sha256(unit.target)
        if r.target.strip() and (changed or (r.done and not unit.approved)):
            applied.append((unit, r))
    if problems:
        raise ExchangeError(problems)
    return applied


def _unit_problem(r: Returned, current: Mapping[str, Unit], seen: set[str]) -> str | None:
    if parse_id(r.id) is None:
        return f"unit id {r.id!r} is not one of this portal's (slug:index)"
    if r.id in seen:
        return f"unit {r.id} appears twice"
    unit = current.get(r.id)
    if unit is None:
        return f"unit {r.id}: no such segment in this project (article removed or re-segmented?)"
    # a tool that drops notes still keeps the source: its digest stands in for the note's
    if (r.source_sha256 or text_sha256(r.source)) != text_sha256(unit.source):
        return f"unit {r.id}: the French has changed since the export; export again"
    here = text_sha256(unit.target)
    if r.english_sha256 and r.english_sha256 != here and text_sha256(r.target) != here:
        return f"unit {r.id}: its English was edited here since the export; export again so that neither is lost"
    return None
