"""Content files → ``Article`` records: front matter validated into declared fields, errors with file:line.

An unknown key is a warning (a typo must not pass silently); a wrong type, a bad date, an id the
taxonomy lacks or a ``lang`` that does not match the folder is an error. ``load_content`` reads
every file and reports every problem at once; one bad file never hides the others.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import confine, frontmatter, taxonomy
from .cache import DiskCache
from .errors import SourceError
from .frontmatter import iso_date, key_line, parse_front_matter
from .taxonomy import Taxonomy

LANGS = ("fr", "en")
KNOWN_KEYS = frozenset(
    """title title_derived date date_source date_confidence date_partial lang source dateline
conferences ministers people summary captions original translation engine model source_sha256 translated
reviewed_by slug locked_sha256 review_flags""".split()
)
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Article:
    lang: str
    slug: str
    path: Path
    title: str
    body: str
    date: dt.date | None = None
    date_precision: str | None = None  # "day" | "month" | None
    date_confidence: str = "high"
    summary: str = ""
    conferences: tuple[str, ...] = ()
    ministers: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    captions: tuple[str, ...] = ()
    dateline: str | None = None
    source: str = "VNA"
    title_derived: bool = False
    translation: str | None = None  # English only: machine | reviewed
    engine: str | None = None
    model: str | None = None
    source_sha256: str | None = None
    locked_sha256: str | None = None  # English only: the locked segments it was made from
    review_flags: tuple[str, ...] = ()  # English only: "kind=count" of what needs review (translate/flags.py)
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def sort_key(self) -> tuple[dt.date, str]:
        return (self.date or dt.date.min, self.slug)

    @property
    def iso_date(self) -> str | None:
        return iso_date(self.date, self.date_precision)

    def review_flag_counts(self) -> dict[str, int]:
        return {k: int(v) for k, _, v in (f.partition("=") for f in self.review_flags)}

    def translation_state(self, fr: Article | None) -> str:
        """This English file against its French ``fr``: machine, reviewed, stale (translate/state.py)."""
        from .translate.state import translation_state

        return translation_state(fr, self)

    def translatable_sha256(self) -> str:
        """Hash of what a translation is made from; an English file records it as ``source_sha256``."""
        parts = [self.title, self.summary, *self.captions, self.body]
        return hashlib.sha256("\x1e".join(parts).encode("utf-8")).hexdigest()


def _parse_date(value: Any) -> tuple[dt.date | None, str | None]:
    if value is None or value == "":
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), "day"
    if isinstance(value, dt.date):
        return value, "day"
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return dt.date.fromisoformat(text + "-01"), "month"
    return dt.date.fromisoformat(text), "day"


def _str_list(meta: dict[str, Any], key: str, errors: list[str]) -> tuple[str, ...]:
    value = meta.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.append(f"{key}: must be a list of strings")
        return ()
    return tuple(value)


def parse_article(text: str, path: Path, lang: str, tax: Taxonomy | None = None) -> Article:
    """Parse and validate one content file. Raises ``SourceError`` on the first blocking problem."""
    meta, body = parse_front_matter(text, path)
    errors: list[tuple[str, str]] = []  # (key, message)
    warnings: list[str] = []

    def err(key: str, message: str) -> None:
        errors.append((key, message))

    for key in meta:
        if key not in KNOWN_KEYS:
            line = key_line(text, key)
            warnings.append(f"{path}:{line}: unknown key '{key}' (ignored)")
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        err("title", "title: required, a non-empty string")
        title = ""
    if meta.get("lang") != lang:
        err("lang", f"lang: is {meta.get('lang')!r} but the file is in content/{lang}/")
    slug = path.stem
    if not _SLUG.match(slug) or len(slug) > 100:
        err("title", f"file name '{path.name}' is not a safe slug (lowercase letters, digits, hyphens)")
    try:
        date, precision = _parse_date(meta.get("date"))
    except ValueError:
        err("date", f"date: {meta.get('date')!r} is not an ISO date (YYYY-MM-DD or YYYY-MM)")
        date, precision = None, None
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("conferences", "ministers", "people", "captions"):
        problems: list[str] = []
        lists[key] = _str_list(meta, key, problems)
        for p in problems:
            err(key, p)
    if tax is not None:
        for cid in lists["conferences"]:
            if cid not in tax.conferences:
                err("conferences", f"conferences: '{cid}' is not in the taxonomy")
        for pid in lists["ministers"]:
            if pid not in tax.people:
                err("ministers", f"ministers: '{pid}' is not in the taxonomy")
    translation = meta.get("translation")
    if lang == "en":
        if translation not in ("machine", "reviewed"):
            err("translation", "translation: must be 'machine' or 'reviewed' in an English file")
    flags = meta.get("review_flags") or {}
    if not isinstance(flags, dict) or not all(isinstance(k, str) and isinstance(v, int) for k, v in flags.items()):
        err("review_flags", "review_flags: must map flag names to counts")
        flags = {}
    for key in ("summary", "dateline", "source", "engine", "model", "source_sha256", "locked_sha256"):
        if meta.get(key) is not None and not isinstance(meta.get(key), str):
            err(key, f"{key}: must be a string")
    if errors:
        key, message = errors[0]
        more = f" (and {len(errors) - 1} more: " + "; ".join(m for _, m in errors[1:]) + ")" if len(errors) > 1 else ""
        raise SourceError(path, message + more, line=key_line(text, key) or 1)
    return Article(
        lang=lang,
        slug=slug,
        path=path,
        title=title.strip(),
        body=body.strip(),
        date=date,
        date_precision=precision,
        date_confidence=str(meta.get("date_confidence") or "high"),
        summary=str(meta.get("summary") or ""),
        conferences=lists["conferences"],
        ministers=lists["ministers"],
        people=lists["people"],
        captions=lists["captions"],
        dateline=meta.get("dateline"),
        source=str(meta.get("source") or "VNA"),
        title_derived=bool(meta.get("title_derived")),
        translation=translation,
        engine=meta.get("engine"),
        model=meta.get("model"),
        source_sha256=meta.get("source_sha256"),
        locked_sha256=meta.get("locked_sha256"),
        review_flags=tuple(f"{k}={v}" for k, v in sorted(flags.items())),
        warnings=tuple(warnings),
    )


def _parse_bytes(
    path: Path, data: bytes | OSError | SourceError, lang: str, tax: Taxonomy | None
) -> Article | SourceError:
    if isinstance(data, SourceError):
        return data
    if isinstance(data, OSError):
        return SourceError(path, f"cannot read: {data.strerror}")
    try:
        return parse_article(data.decode("utf-8"), path, lang, tax)
    except UnicodeDecodeError as exc:
        return SourceError(path, f"not UTF-8 (byte {exc.start})")
    except SourceError as exc:
        return exc


def _code_version() -> str:
    """What parsing depends on besides the file: this module, the front-matter and taxonomy code, PyYAML."""
    h = hashlib.sha256(yaml.__version__.encode())
    for module in (__file__, frontmatter.__file__, taxonomy.__file__):
        h.update(Path(module).read_bytes())
    return h.hexdigest()


_CODE_VERSION = _code_version()


def _disk_key(path: Path, data: bytes, tax_key: str) -> str:
    h = hashlib.sha256(f"{_CODE_VERSION}\x1f{tax_key}\x1f{path}\x1f".encode("utf-8", "surrogateescape"))
    h.update(data)
    return h.hexdigest()


@dataclass
class Content:
    articles: dict[str, dict[str, Article]]  # lang → slug → article
    errors: list[SourceError]
    warnings: list[str]


ParseCache = dict  # path (str) → ((mtime_ns, size, taxonomy key), Article | SourceError)


def load_content(
    content_dir: Path,
    tax: Taxonomy | None,
    cache: ParseCache | None = None,
    tax_key: str = "",
    disk: Path | None = None,
) -> Content:
    """Read every content file. With ``cache`` (a session's memory), a file whose mtime and size are
    unchanged (and the taxonomy too) is not read again: the previous ``Article`` object is reused.
    With ``disk`` (the ``DiskCache`` file), a file whose bytes an earlier run parsed is not parsed again."""
    articles: dict[str, dict[str, Article]] = {lang: {} for lang in LANGS}
    errors: list[SourceError] = []
    warnings: list[str] = []
    results: dict[str, Article | SourceError] = {}
    todo: list[tuple[Path, str, tuple[int, int, str] | None]] = []
    order: list[tuple[str, str]] = []
    for lang in LANGS:
        # scandir gives names and stat in one pass (a preview rebuild stats thousands of files); paths stay
        # strings until a file has to be read
        confine.check_inside(content_dir / lang, content_dir.parent)
        try:
            with os.scandir(content_dir / lang) as it:
                entries = sorted((e.name, e) for e in it if e.name.endswith(".md") and not e.name.startswith("."))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for _, entry in entries:
            where = entry.path
            order.append((lang, where))
            key = None
            if cache is not None:
                try:
                    st = entry.stat()
                    key = (st.st_mtime_ns, st.st_size, tax_key)
                except OSError:
                    key = None
                hit = cache.get(where)
                if key is not None and hit is not None and hit[0] == key:
                    results[where] = hit[1]
                    continue
            todo.append((Path(where), lang, key))
    with DiskCache(disk if todo else None) as store:  # DiskCache(None) stores nothing
        for start in range(0, len(todo), 500):  # in batches: never all the files' bytes in memory at once
            batch = todo[start : start + 500]
            raw: dict[Path, bytes | OSError | SourceError] = {}
            for path, _, _ in batch:
                try:
                    if os.path.islink(path):
                        confine.check_inside(path, content_dir.parent)
                    raw[path] = path.read_bytes()
                except OSError as exc:
                    raw[path] = exc
                except SourceError as exc:
                    raw[path] = exc
            keys = {path: _disk_key(path, data, tax_key) for path, data in raw.items() if isinstance(data, bytes)}
            stored = store.get_many("parsed", keys.values())
            fresh = {}
            for path, lang, key in batch:
                result = stored.get(keys.get(path, ""))
                if not isinstance(result, Article) or result.path != path:
                    result = _parse_bytes(path, raw[path], lang, tax)
                    if isinstance(result, Article) and path in keys:
                        fresh[keys[path]] = result
                results[str(path)] = result
                if cache is not None and key is not None:
                    cache[str(path)] = (key, result)
            store.put_many("parsed", fresh)
    for lang, path in order:
        result = results[path]
        if isinstance(result, SourceError):
            errors.append(result)
            continue
        articles[lang][result.slug] = result
        warnings += list(result.warnings)
    for slug, en in articles["en"].items():
        fr = articles["fr"].get(slug)
        if fr is None:
            warnings.append(f"{en.path}: no French original content/fr/{slug}.md; the page has no counterpart")
        elif en.translation == "reviewed" and en.translation_state(fr) == "stale":
            warnings.append(f"{en.path}: French original updated since this translation was reviewed")
    return Content(articles, errors, warnings)
