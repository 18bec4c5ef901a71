"""``build.py import``: raw dispatch files → ``content/fr/<slug>.md`` (front matter + Markdown).

``extract()`` is pure (bytes in, ``Imported`` record out); ``import_paths()`` is the only part that
touches the disk, and it never overwrites another dispatch's article. A dispatch is known by the
sha256 of its bytes (recorded as ``original.sha256``), not by its file name: re-importing the same
bytes under any name is a no-op (``--force`` re-makes that dispatch's own article), and different
bytes are a new article, with a numbered slug if its title's is taken. Symbolic links, pipes and
devices are refused; files are read with a size bound.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slugify import slugify

from . import dates, datewords, events, layout, mentions, schema
from .errors import InputError, SourceError
from .frontmatter import dump_front_matter, parse_front_matter
from .ingest import MAX_BYTES, Dispatch, decode, first_sentences, parse_dispatch
from .inputfile import decode_utf8, read_regular
from .taxonomy import Taxonomy
from .write import write_text_atomic

SLUG_MAX = 80  # what the importer makes; ``schema.slug_problem`` (the rule ``check`` applies) allows more


@dataclass(frozen=True)
class Imported:
    """One raw dispatch made into an article (front matter + body) plus what the editor should know."""

    meta: dict[str, Any]
    body: str
    warnings: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return str(self.meta["slug"]) if "slug" in self.meta else make_slug(str(self.meta["title"]))


def make_slug(title: str, taken: Collection[str] = ()) -> str:
    """A slug for ``title`` that ``check`` accepts (``schema.slug_problem``) and that is not in ``taken``."""
    base = slugify(title, max_length=SLUG_MAX, word_boundary=True, save_order=True) or "article"
    if base in schema.RESERVED_SLUGS:
        base += "-article"
    slug, n = base, 2
    while slug in taken or schema.slug_problem(slug):
        suffix = f"-{n}"
        slug = (base[: SLUG_MAX - len(suffix)].strip("-") or "article") + suffix
        n += 1
    return slug


def _date_and_title_warnings(when: dates.DateResult, title_derived: bool) -> list[str]:
    """What the editor must check by hand: a date the text does not settle, a title made from the lead."""
    warnings = []
    if when.confidence == "low":
        warnings.append(f"date: {when.note or 'unresolved'}; set `date` by hand (date_confidence: low)")
    if title_derived:
        warnings.append("no headline in the raw text: title derived from the lead (title_derived: true)")
    return warnings


def extract(data: bytes, name: str, tax: Taxonomy, today: dt.date | None = None, use_nlp: bool = False) -> Imported:
    """Pure: raw bytes of one dispatch → the article record. Raises ``InputError`` for unusable input."""
    text, warnings = decode(data, name)
    try:
        d = parse_dispatch(text)
    except ValueError as exc:
        raise InputError(name, str(exc)) from None
    warnings = list(warnings) + list(d.warnings)
    today = today or dt.date.today()
    paras = list(d.paragraphs)
    captions = [_caption_text(c) for c in d.captions if not _OTHER_EVENT_CAPTION.match(c)]
    scope = ([d.title] if not d.title_derived else []) + paras + captions
    people_m = mentions.find_people(tax, scope, use_nlp)
    conf_m = events.find_conferences(tax, paras)
    when = dates.resolve_date(d, tax, people_m, conf_m, today)
    day = when.date if when.precision == "day" else (when.date.replace(day=15) if when.date else None)
    headline = None if d.title_derived else d.title
    confs, unknown_confs, why_conf = events.select_conferences(tax, conf_m, day, headline, when.preview)
    years = list(when.candidates) if not when.date else []
    if when.precision == "day" and when.date:  # a caption dated before the event shows another one: not read
        first = len(scope) - len(captions)
        other = {first + i for i, c in enumerate(captions) if datewords.names_an_earlier_day(c, when.date)}
        people_m = [m for m in people_m if m.paragraph not in other]
    people_m += mentions.foreign_minister_on(tax, scope, day)
    ministers, people = mentions.classify_people(
        tax, [m for m in people_m if m.role_rank != "former" or m.known], day, years
    )
    warnings += _date_and_title_warnings(when, d.title_derived)
    more, suggestions = _for_the_editor(people_m, unknown_confs)
    warnings += more

    meta: dict[str, Any] = {"title": d.title}
    if d.title_derived:
        meta["title_derived"] = True
    meta["date"] = when.iso()
    meta["date_source"] = when.source
    meta["date_confidence"] = when.confidence
    if when.partial and when.date is None:
        meta["date_partial"] = when.partial
    meta["lang"] = "fr"
    meta["source"] = d.agency
    meta["dateline"] = d.dateline
    meta["conferences"] = confs
    meta["ministers"] = ministers
    meta["people"] = people
    meta["summary"] = d.subtitle or first_sentences(paras[0])
    meta["captions"] = list(d.captions)
    meta["original"] = {"file": Path(name).name, "sha256": hashlib.sha256(data).hexdigest()}
    body, counted = layout.markdown_body(d.paragraphs)
    evidence = _explain(d, tax, when, confs, why_conf, ministers, people, people_m, day)
    extra = {
        "signoff": d.signoff,
        "teasers": len(d.teasers),
        "related": len(d.related),
        "body_paragraphs": counted,
        "date_note": when.note,
        "has_headline": not d.title_derived,
        "explain": evidence,
    }
    return Imported(meta, body, tuple(warnings), tuple(suggestions), extra)


def _for_the_editor(found: list[mentions.PersonMention], unknown_confs: list[str]) -> tuple[list[str], list[str]]:
    """``(warnings, suggestions)`` about what the taxonomy lacks: instances to complete, names to add."""
    members = mentions.unknown_government_members(found)
    suggestions = [f"conference: {c}  (dates and place unknown: add it to the taxonomy)" for c in unknown_confs]
    for slug, name in dict((m.id, m.name) for m in found if not m.known).items():
        rank = members.get(slug)
        role = f"  a {rank} by the text: add them with that role to list them as a minister" if rank else ""
        suggestions.append(f"person: {slug}  ({name}){role}")
    warnings = [
        f"{slug} is named as a {rank} but is not in the taxonomy: listed under people until you add them "
        "(import --suggest lists them)"
        for slug, rank in members.items()
    ]
    return warnings, suggestions


def _explain(
    d: Dispatch,
    tax: Taxonomy,
    when: dates.DateResult,
    confs: list[str],
    why_conf: dict[str, str],
    ministers: list[str],
    people: list[str],
    found: list[mentions.PersonMention],
    day: dt.date | None,
) -> list[str]:
    """For ``import --explain``: each field with the evidence and the rule that decided it."""
    lines = [
        f"title: {'derived from the lead (no headline line)' if d.title_derived else 'the headline line'}",
        f"dateline: {d.dateline or 'none'}; sign-off: {d.signoff or 'none'}; captions: {len(d.captions)}; "
        f"teasers dropped: {len(d.teasers)}; related links dropped: {len(d.related)}",
        f"date: {when.iso()} (source {when.source}, confidence {when.confidence}): {when.note}"
        + (f" «{when.evidence}»" if when.evidence else ""),
    ]
    lines += [f"conference {cid}: {why_conf.get(cid, '')}" for cid in confs]
    lines += [_explain_person(tax, pid, "minister", found, day) for pid in ministers]
    lines += [_explain_person(tax, pid, "person", found, day) for pid in people]
    return lines


def _explain_person(
    tax: Taxonomy, pid: str, listed: str, found: list[mentions.PersonMention], day: dt.date | None
) -> str:
    m = next((x for x in found if x.id == pid), None)
    person = tax.people.get(pid)
    if person is None:
        role = m.role_rank if m else None
        return f"{listed} {pid}: not in the taxonomy; «{m.name if m else pid}» named after a role word or honorific ({role or 'no role'})"
    roles = "; ".join(f"{r.fr} ({r.rank})" for r in person.roles_on(day)) or "no role on that date"
    return f"{listed} {pid}: taxonomy entry {person.name}; roles on {day or 'an unknown date'}: {roles}"


# a file photo of another occasion ("Lors de la visite officielle en Russie…", "Photo d'archive"): its people
# take no part in the article's event
_OTHER_EVENT_CAPTION = re.compile(
    r"\s*(?:lors\s+d|photo\s+d.archives?|archives?\b|illustration|photo\s+d.illustration)", re.I
)


def _caption_text(caption: str) -> str:
    """The caption without its photo credit (a credit names a photographer, never a person of the article)."""
    return re.sub(r"\(?\s*Photos?\s*:.*$", "", caption, flags=re.I | re.S)


def _raw_files(paths: list[Path]) -> tuple[list[Path], list[SourceError]]:
    """The files to import, and one error per path that cannot be one: missing, or a symbolic link
    (a link in a folder of dispatches could point anywhere, /etc/passwd included)."""
    files: list[Path] = []
    errors: list[SourceError] = []
    for p in paths:
        if p.is_symlink():
            errors.append(InputError(p, "is a symbolic link; give the file it points to instead"))
        elif p.is_dir():
            try:
                with os.scandir(p) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                errors.append(InputError(p, f"cannot read the folder: {exc.strerror}"))
                continue
            for e in entries:
                if Path(e.name).suffix.lower() not in (".txt", ".text", "") or e.name.startswith("."):
                    continue
                if e.is_symlink():
                    errors.append(InputError(e.path, "is a symbolic link: skipped (import the file it points to)"))
                elif e.is_file(follow_symlinks=False):
                    files.append(Path(e.path))
        elif p.exists():
            files.append(p)
        else:
            errors.append(InputError(p, "no such file or folder"))
    return files, errors


def _existing_originals(content_dir: Path) -> tuple[list[tuple[Path, str, str]], list[str]]:
    """(article path, raw file name, raw sha256) of every existing article that records its dispatch,
    and a warning for each article that cannot be read (its dispatch is then unknown to the import)."""
    out: list[tuple[Path, str, str]] = []
    unreadable: list[str] = []
    for md in sorted(content_dir.glob("*.md")):
        try:
            meta, _ = parse_front_matter(decode_utf8(read_regular(md, 50_000_000), md), md)
        except (SourceError, OSError) as exc:
            unreadable.append(f"{exc}; the import cannot tell which dispatch it came from")
            continue
        orig = meta.get("original")
        if isinstance(orig, dict) and isinstance(orig.get("sha256"), str):
            out.append((md, str(orig.get("file", "")), orig["sha256"]))
    return out, unreadable


@dataclass
class ImportReport:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    suggestions: dict[str, list[str]] = field(default_factory=dict)


def _read(raw: Path, tax: Taxonomy, today: dt.date | None, use_nlp: bool) -> Imported:
    """One dispatch read (bounded, no links) and extracted; a record whose front matter the schema
    refuses is an error here, so that import never writes an article ``check`` would reject."""
    try:
        data = read_regular(raw, MAX_BYTES, follow_symlinks=False)
    except FileNotFoundError:
        raise InputError(raw, "no such file (removed while importing?)") from None
    rec = extract(data, str(raw), tax, today, use_nlp)
    errors = [p for p in schema.check_front_matter(rec.meta, raw, "fr") if not p.warning]
    if errors:
        raise InputError(raw, "no valid article can be made of it: " + "; ".join(p.message for p in errors))
    return rec


def import_paths(
    paths: list[Path],
    content_dir: Path,
    tax: Taxonomy,
    *,
    force: bool = False,
    dry_run: bool = False,
    today: dt.date | None = None,
    use_nlp: bool = False,
) -> tuple[ImportReport, list[Imported]]:
    """Import every raw file; one bad file is reported and skipped, the others go on."""
    report = ImportReport()
    records: list[Imported] = []
    known, report.warnings = _existing_originals(content_dir) if content_dir.exists() else ([], [])
    by_sha = {sha: md for md, _, sha in known}  # a dispatch is its bytes, whatever its file is called
    by_name = {name: md for md, name, _ in known}
    taken = {p.stem for p in content_dir.glob("*.md")} if content_dir.exists() else set()
    files, report.errors = _raw_files(paths)
    for raw in files:
        try:
            rec = _read(raw, tax, today, use_nlp)
        except SourceError as exc:
            report.errors.append(exc)
            continue
        records.append(rec)
        report.warnings += [f"{raw}: {w}" for w in rec.warnings]
        if rec.suggestions:
            report.suggestions[str(raw)] = list(rec.suggestions)
        sha = rec.meta["original"]["sha256"]
        target = by_sha.get(sha)
        if target is not None and not force:
            report.unchanged.append(target)
            continue
        if target is None:  # a new dispatch: always an article of its own, never another's file
            slug = make_slug(str(rec.meta["title"]), taken)
            if slug != rec.slug:
                report.warnings.append(f"{raw}: slug '{rec.slug}' is taken; using '{slug}'")
            if raw.name in by_name:
                report.warnings.append(
                    f"{raw}: {by_name[raw.name]} came from another file of this name with other contents; "
                    f"this one is a different dispatch (if it replaces that one, delete the old article)"
                )
            taken.add(slug)
            target = by_sha[sha] = content_dir / f"{slug}.md"
        if not dry_run:
            write_text_atomic(target, dump_front_matter(schema.ordered(rec.meta), rec.body))
        report.written.append(target)
    return report, records
