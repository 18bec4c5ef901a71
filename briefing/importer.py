"""``build.py import``: raw dispatch files → ``content/fr/<slug>.md`` (front matter + Markdown).

``extract()`` is pure (bytes in, ``Imported`` record out); ``import_paths()`` is the only part that
touches the disk, and it never overwrites an editor's file: re-importing the same raw file is a
no-op, a different article with the same slug gets a numbered slug, and a changed raw file whose
article already exists is refused unless ``--force``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slugify import slugify

from . import dates, events, mentions
from .errors import InputError, SourceError
from .frontmatter import dump_front_matter, escape_markdown, parse_front_matter
from .ingest import Dispatch, decode, first_sentences, parse_dispatch
from .taxonomy import Taxonomy
from .write import write_text_atomic

SLUG_MAX = 80
_RESERVED = frozenset(
    {
        "con",
        "prn",
        "aux",
        "nul",
        "com1",
        "com2",
        "com3",
        "lpt1",
        "lpt2",
        "index",
        "feed",
        "assets",
        "search",
        "404",
        "sitemap",
        "robots",
    }
)


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


def make_slug(title: str) -> str:
    slug = slugify(title, max_length=SLUG_MAX, word_boundary=True, save_order=True) or "article"
    if slug in _RESERVED:
        slug += "-article"
    return slug


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
    confs, unknown_confs, why_conf = events.select_conferences(tax, conf_m, day, headline)
    years = list(when.candidates) if not when.date else []
    people_m += mentions.foreign_minister_on(tax, scope, day)
    ministers, people = mentions.classify_people(
        tax, [m for m in people_m if m.role_rank != "former" or m.known], day, years
    )
    unknown = [(m.id, m.name) for m in people_m if not m.known]

    if when.confidence == "low":
        warnings.append(f"date: {when.note or 'unresolved'}; set `date` by hand (date_confidence: low)")
    if d.title_derived:
        warnings.append("no headline in the raw text: title derived from the lead (title_derived: true)")
    suggestions = [f"conference: {c}  (dates and place unknown: add it to the taxonomy)" for c in unknown_confs]
    suggestions += [f"person: {slug}  ({name_})" for slug, name_ in unknown]

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
    meta["summary"] = first_sentences(paras[0])
    meta["captions"] = list(d.captions)
    meta["original"] = {"file": Path(name).name, "sha256": hashlib.sha256(data).hexdigest()}
    body = "\n\n".join(escape_markdown(p) for p in paras)
    evidence = _explain(d, tax, when, confs, why_conf, ministers, people, people_m, day)
    extra = {
        "signoff": d.signoff,
        "teasers": len(d.teasers),
        "related": len(d.related),
        "body_paragraphs": len(paras),
        "date_note": when.note,
        "has_headline": not d.title_derived,
        "explain": evidence,
    }
    return Imported(meta, body, tuple(warnings), tuple(suggestions), extra)


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


def _raw_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files += sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in (".txt", ".text", ""))
        elif p.exists():
            files.append(p)
        else:
            raise InputError(p, "no such file or folder")
    return files


def _existing_originals(content_dir: Path) -> dict[str, tuple[Path, str]]:
    """original file name → (article path, raw sha256), from the front matter of existing articles."""
    out: dict[str, tuple[Path, str]] = {}
    for md in sorted(content_dir.glob("*.md")):
        try:
            meta, _ = parse_front_matter(md.read_text(encoding="utf-8"), md)
        except (SourceError, UnicodeDecodeError):
            continue
        orig = meta.get("original") or {}
        if isinstance(orig, dict) and orig.get("file"):
            out[str(orig["file"])] = (md, str(orig.get("sha256", "")))
    return out


@dataclass
class ImportReport:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    suggestions: dict[str, list[str]] = field(default_factory=dict)


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
    originals = _existing_originals(content_dir) if content_dir.exists() else {}
    taken = {p.stem for p in content_dir.glob("*.md")} if content_dir.exists() else set()
    for raw in _raw_files(paths):
        try:
            data = raw.read_bytes()
            rec = extract(data, str(raw), tax, today, use_nlp)
        except SourceError as exc:
            report.errors.append(exc)
            continue
        except OSError as exc:
            report.errors.append(InputError(raw, f"cannot read: {exc.strerror}"))
            continue
        records.append(rec)
        report.warnings += [f"{raw}: {w}" for w in rec.warnings]
        if rec.suggestions:
            report.suggestions[str(raw)] = list(rec.suggestions)
        sha = rec.meta["original"]["sha256"]
        previous = originals.get(raw.name)
        if previous is not None:
            target, old_sha = previous
            if old_sha == sha:
                report.unchanged.append(target)
                continue
            if not force:
                report.errors.append(
                    SourceError(
                        raw,
                        f"already imported as {target} from a different version of "
                        "this file; the article may hold edits: use --force to "
                        "replace it",
                    )
                )
                continue
        else:
            slug = rec.slug
            base, n = slug, 2
            while slug in taken:
                slug = f"{base[: SLUG_MAX - 4]}-{n}"
                n += 1
            if slug != base:
                report.warnings.append(f"{raw}: slug '{base}' is taken; using '{slug}'")
            taken.add(slug)
            target = content_dir / f"{slug}.md"
        if not dry_run:
            write_text_atomic(target, dump_front_matter(rec.meta, rec.body))
        report.written.append(target)
    return report, records
