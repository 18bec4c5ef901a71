"""XLIFF 1.2 and 2.0 for translators' tools, read and written by translate-toolkit.

Export: one unit per segment, id ``slug:index``; the French as source, the current English as target (XLIFF
1.2 ``state="needs-review-translation"``, 2.0 ``state="initial"``; a human's translation ``signed-off`` /
``reviewed``); ``briefing`` notes carry ``source-sha256`` and ``english-sha256``, a ``review`` note the
flags. The project's name is the ``original`` of the ``<file>``. Import reads the same back (``Received``) and leaves the checks against
the project to ``exchange.check_received``. Two departures from translate-toolkit 3.20's defaults: its XLIFF 1.x
skeleton says version 1.1 (ours says 1.2, the version tools expect), and its XLIFF 2.0 writer puts ``<notes>``
and ``xml:space`` on ``<segment>``, which the 2.0 schema forbids: ours puts them on the ``<unit>``, notes first.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from lxml import etree
from translate.misc.xml_helpers import setXMLspace
from translate.storage import xliff as tt1
from translate.storage import xliff2 as tt2

from ..errors import ExchangeError, Problem
from .exchange import SOURCE_LANG, TARGET_LANG, Received, Returned, Unit, text_sha256, xml_root
from .flags import summary

VERSIONS = ("1.2", "2.0")
NS12 = "urn:oasis:names:tc:xliff:document:1.2"
_DONE2 = {"translated", "reviewed", "final"}


class _Unit12(tt1.Xliff1Unit):
    namespace = NS12


class _File12(tt1.Xliff1File):
    UnitClass = _Unit12
    namespace = NS12
    XMLskeleton = tt1.Xliff1File.XMLskeleton.replace("1.1", "1.2")


class _Unit2(tt2.Xliff2Unit):
    """Notes and ``xml:space`` on the ``<unit>``, where XLIFF 2.0 allows them (never on ``<segment>``)."""

    def _ensure_xml_space_preserve(self) -> None:
        setXMLspace(self.getunitelement(), "preserve")

    def _notes(self, create: bool) -> Any:
        unit = self.getunitelement()
        notes = unit.find(self.namespaced("notes"))
        if notes is None and create:
            notes = etree.Element(self.namespaced("notes"))
            unit.insert(0, notes)
        return notes

    def addnote(
        self, text: str, origin: str | None = None, position: Literal["append", "replace", "merge"] = "append"
    ) -> None:  # notes are only ever added here, so ``position`` is always "append"
        note = etree.SubElement(self._notes(create=True), self.namespaced("note"))
        note.text = text
        if origin:
            note.set("category", origin)

    def getnotes(self, origin: str | None = None) -> str:
        notes = self._notes(create=False)
        found = [] if notes is None else list(notes.iterchildren(self.namespaced("note")))
        return "\n".join(n.text or "" for n in found if origin is None or n.get("category") == origin)


class _File2(tt2.Xliff2File):
    UnitClass = _Unit2


def write_xliff(units: Sequence[Unit], project: str, version: str) -> bytes:
    """The XLIFF document (``version`` 1.2 or 2.0) for ``units``."""
    if version == "2.0":
        store: Any = _File2(sourcelanguage=SOURCE_LANG, targetlanguage=TARGET_LANG)
        store.body.set("original", project)
        add = store.addsourceunit
    else:
        store = _File12(sourcelanguage=SOURCE_LANG, targetlanguage=TARGET_LANG)
        store.body.getparent().set("original", project)
        add = lambda source: store.addsourceunit(source, filename=project)  # noqa: E731
    for u in units:
        tu = add(u.source)
        tu.setid(u.id)
        tu.target = u.target
        _mark(tu, u.approved, version)
        tu.addnote(f"source-sha256: {text_sha256(u.source)}", origin="briefing")
        tu.addnote(f"english-sha256: {text_sha256(u.target)}", origin="briefing")
        if u.flags:
            tu.addnote(f"review flags: {summary(u.flags)}", origin="review")
    return bytes(store)


def _mark(tu: Any, approved: bool, version: str) -> None:
    if version == "2.0":
        tu.markapproved(True) if approved else tu.markfuzzy(True)
    elif approved:
        tu.set_state_n(tu.S_SIGNED_OFF)
    else:
        tu.markreviewneeded(True)


def read_xliff(data: bytes, path: Path) -> Received:
    """The units of an XLIFF 1.x or 2.x file; ``ExchangeError`` (file and line) if it is not one."""
    root = xml_root(data, path, "xliff", "an XLIFF file")
    version = root.get("version", "")
    try:
        if version.startswith("2."):
            return _read2(_File2.parsestring(data))
        if version.startswith("1."):
            return _read12(_File12.parsestring(data))
    except (ValueError, AssertionError, StopIteration, etree.LxmlError) as exc:
        raise ExchangeError([Problem(path, None, f"unreadable XLIFF {version}: {exc}")]) from None
    raise ExchangeError([Problem(path, root.sourceline, f"XLIFF version {version!r} (1.2 and 2.0 are read)")])


def _sha(notes: str, name: str) -> str:
    for line in notes.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == name:
            return value.strip()
    return ""


def _read12(store: Any) -> Received:
    files = list(store.document.getroot().iterchildren(store.namespaced("file")))
    projects = {f.get("original", "") for f in files}
    units = tuple(
        Returned(
            id=tu.xmlelement.get("id", ""),
            source_sha256=_sha(tu.getnotes("briefing"), "source-sha256"),
            english_sha256=_sha(tu.getnotes("briefing"), "english-sha256"),
            source=tu.source or "",
            target=tu.target or "",
            done=tu.isapproved() or tu.get_state_n() >= tu.S_TRANSLATED,
            line=tu.xmlelement.sourceline,
        )
        for tu in store.units
    )
    langs = {(f.get("source-language"), f.get("target-language")) for f in files}
    source, target = langs.pop() if len(langs) == 1 else (" / ".join(sorted(str(s) for s, _ in langs)), "")
    return Received(" / ".join(sorted(projects)), source or "", target or "", units)


def _read2(store: Any) -> Received:
    root = store.document.getroot()
    projects = {f.get("original", "") for f in root.iterchildren(store.namespaced("file"))}
    units = tuple(
        Returned(
            id=tu.getid() or "",
            source_sha256=_sha(tu.getnotes("briefing"), "source-sha256"),
            english_sha256=_sha(tu.getnotes("briefing"), "english-sha256"),
            source=tu.source or "",
            target=tu.target or "",
            done=tu.xmlelement.get("state") in _DONE2,
            line=tu.getunitelement().sourceline,
        )
        for tu in store.units
    )
    return Received(" / ".join(sorted(projects)), root.get("srcLang", ""), root.get("trgLang") or "", units)
