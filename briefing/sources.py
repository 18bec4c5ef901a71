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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from . import confine, frontmatter, inputfile, schema, shape, taxonomy
from .cache import DiskCache
from .errors import Problem, SourceError
from .frontmatter import Marked, iso_date, parse_front_matter, split_front_matter
from .inputfile import decode_utf8, read_regular
from .taxonomy import Taxonomy, load_taxonomy

if TYPE_CHECKING:
    from .config import Config

LANGS = ("fr", "en")
MAX_CONTENT_BYTES = 50_000_000  # an article is kilobytes; a bound keeps a stray huge file from filling memory
MAX_NESTING = 60  # list and quote levels in a body; Python-Markdown recurses once per level


@dataclass(frozen=True)
class Article:
    lang: str
    slug: str
    path: Path
    title: str
    body: str
    date: dt.date | None = None
    date_precision: str | None = None  # "day" | "month" | None
    date_confidence: str = schema.default("date_confidence")
    summary: str = ""
    conferences: tuple[str, ...] = ()
    ministers: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    captions: tuple[str, ...] = ()
    dateline: str | None = None
    source: str = schema.default("source")
    title_derived: bool = False
    translation: str | None = None  # English only: machine | reviewed
    engine: str | None = None
    model: str | None = None
    source_sha256: str | None = None
    locked_sha256: str | None = None  # English only: the locked segments it was made from
    desk_segments: int = 0  # English only: segments from the translation desk (an editor's English)
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


def _too_deep(body: str) -> int | None:
    """The first body line (1-based) nested in more than ``MAX_NESTING`` lists or quotes, if any."""
    for n, line in enumerate(body.split("\n"), start=1):
        stripped = line.lstrip(" ")
        markers = _MARKERS.match(stripped)
        depth = (len(line) - len(stripped)) // 2 + (len(markers.group(0).split()) if markers else 0)
        if depth > MAX_NESTING:
            return n
    return None


_MARKERS = re.compile(r"(?:(?:[-*+>]|\d{1,9}[.)])(?:[ \t]+|$))+")


def _unknown_ids(meta: Marked, path: Path, key: str, known: Callable[[str], bool]) -> list[Problem]:
    """An id the taxonomy lacks (a conference may be an undeclared instance of a known kind: ``amm-56``)."""
    ids = meta.get(key)
    if not isinstance(ids, list):
        return []
    line = meta.lines.get(key)
    return [
        Problem(path, line, f"{key}: '{i}' is not in the taxonomy") for i in ids if isinstance(i, str) and not known(i)
    ]


def _problems(meta: Marked, body: str, body_line: int, path: Path, lang: str, tax: Taxonomy | None) -> list[Problem]:
    problems = schema.check_front_matter(meta, path, lang)
    if meta.get("lang") in LANGS and meta.get("lang") != lang:
        problems.append(
            Problem(path, meta.lines.get("lang"), f"lang: is {meta['lang']!r} but the file is in content/{lang}/")
        )
    if (why := schema.slug_problem(path.stem)) is not None:
        problems.append(Problem(path, 1, f"file name '{path.name}': {why}"))
    if tax is not None:
        problems += _unknown_ids(meta, path, "conferences", lambda cid: tax.conference(cid) is not None)
        problems += _unknown_ids(meta, path, "ministers", lambda pid: pid in tax.people)
    if (line := _too_deep(body)) is not None:
        message = f"lists or quotes nested more than {MAX_NESTING} deep: Markdown cannot render that"
        problems.append(Problem(path, body_line + line - 1, message))
    return problems


def parse_article(text: str, path: Path, lang: str, tax: Taxonomy | None = None) -> Article:
    """Parse and validate one content file against ``schema.FRONT_MATTER``.

    Raises ``SourceError`` (the first error's line; the others in its message)."""
    meta, body = parse_front_matter(text, path)
    body_line = split_front_matter(text, path)[2]
    problems = _problems(meta, body, body_line, path, lang, tax)
    errors = [p for p in problems if not p.warning]
    if errors:
        first, rest = errors[0], errors[1:]
        more = f" (and {len(rest)} more: " + "; ".join(str(p) for p in rest) + ")" if rest else ""
        message = first.message + (f" ({first.hint})" if first.hint else "") + more
        raise SourceError(path, message, line=first.line or 1)
    date, precision = _parse_date(meta.get("date"))
    values = schema.article_values(meta)
    values["title"] = values["title"].strip()
    return Article(
        lang=lang,
        slug=path.stem,
        path=path,
        body=body.strip(),
        date=date,
        date_precision=precision,
        warnings=tuple(str(p) for p in problems),
        review_flags=tuple(f"{k}={v}" for k, v in sorted((meta.get("review_flags") or {}).items())),
        **values,
    )


def load_project_taxonomy(cfg: Config) -> Taxonomy:
    """The project's taxonomy; here (not in ``build``) so that import, translate and check stay light."""
    return load_taxonomy(cfg.content_dir / "taxonomy.yaml")


def _read_content(path: Path, root: Path) -> bytes | SourceError:
    """A content file's bytes: a regular file (a pipe would hang the build), bounded, and a symbolic
    link only to a file inside the project (one to /etc/passwd would be published)."""
    try:
        if path.is_symlink():  # (its folder is checked once per build, below)
            confine.check_inside(path, root)
        return read_regular(path, MAX_CONTENT_BYTES)
    except SourceError as exc:
        return exc
    except OSError as exc:
        return SourceError(path, f"cannot read: {exc.strerror}")


def _parse_bytes(path: Path, data: bytes | SourceError, lang: str, tax: Taxonomy | None) -> Article | SourceError:
    if isinstance(data, SourceError):
        return data
    try:
        return parse_article(decode_utf8(data, path), path, lang, tax)
    except SourceError as exc:
        return exc


def _code_version() -> str:
    """What parsing depends on besides the file: this module, the front-matter, schema and taxonomy code, PyYAML."""
    h = hashlib.sha256(yaml.__version__.encode())
    for module in (
        __file__,
        frontmatter.__file__,
        taxonomy.__file__,
        schema.__file__,
        shape.__file__,
        inputfile.__file__,
    ):
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
    keys: dict[str, str] = field(default_factory=dict)  # path → parse-cache key (its bytes, taxonomy, parser)


ParseCache = dict  # path (str) → ((mtime_ns, size, taxonomy key), Article | SourceError)


def load_content(
    content_dir: Path,
    tax: Taxonomy | None,
    cache: ParseCache | None = None,
    tax_key: str = "",
    disk: Path | None = None,
    changed: set[tuple[str, str]] | None = None,
) -> Content:
    """Read every content file. With ``cache`` (a session's memory), a file whose mtime and size are
    unchanged (and the taxonomy too) is not read again: the previous ``Article`` object is reused; with
    ``changed`` too ((language, file name) of each file a watcher reported), a file outside it is taken as
    unchanged without even a stat. With ``disk`` (the ``DiskCache`` file), a file whose bytes an earlier run
    parsed is not parsed again."""
    root = content_dir.resolve().parent
    results: dict[str, Article | SourceError] = {}
    known: dict[str, str] = {}
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
        for name, entry in entries:
            order.append((lang, entry.path))
            trusted = changed is not None and (lang, name) not in changed
            remembered, key = _remembered(cache, entry, tax_key, trusted) if cache is not None else (None, None)
            if remembered is not None:
                results[entry.path] = remembered
            else:
                todo.append((Path(entry.path), lang, key))
    with DiskCache(disk if todo else None) as store:  # DiskCache(None) stores nothing
        for start in range(0, len(todo), 500):  # in batches: never all the files' bytes in memory at once
            batch = todo[start : start + 500]
            raw = {path: _read_content(path, root) for path, _, _ in batch}
            keys = {path: _disk_key(path, data, tax_key) for path, data in raw.items() if isinstance(data, bytes)}
            stored = store.get_many("parsed", keys.values())
            known.update((str(path), key) for path, key in keys.items())
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
    return _content(order, results, known)


def _remembered(
    cache: ParseCache, entry: os.DirEntry, tax_key: str, trusted: bool
) -> tuple[Article | SourceError | None, tuple[int, int, str] | None]:
    """What the session's memory holds for a file, if still valid (``trusted``: a watcher said it has not changed,
    no need to stat it), and the file's key to remember it by."""
    hit = cache.get(entry.path)
    if trusted and hit is not None and hit[0][2] == tax_key:
        return hit[1], hit[0]
    try:
        st = entry.stat()
    except OSError:
        return None, None
    key = (st.st_mtime_ns, st.st_size, tax_key)
    return (hit[1] if hit is not None and hit[0] == key else None), key


def _content(order: list[tuple[str, str]], results: dict[str, Article | SourceError], keys: dict[str, str]) -> Content:
    """Parsed files in reading order → articles by language and slug, errors, warnings (pairing ones too)."""
    articles: dict[str, dict[str, Article]] = {lang: {} for lang in LANGS}
    errors: list[SourceError] = []
    warnings: list[str] = []
    for lang, where in order:
        result = results[where]
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
    return Content(articles, errors, warnings, keys)
