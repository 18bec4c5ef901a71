"""The declared schema of every input the editor writes: front matter, ``site.yaml``, the glossary and
the taxonomy (and the reference data in the taxonomy's shape). This is the one place that lists the
fields: the importer's key order, the keys the translator copies, the JSON of ``import --json``, the
``Article`` record's values and the README's field table all come from these tables.

A schema is a tuple of ``Field`` (``briefing/shape.py``, which also checks values against them):
errors for wrong types, values outside an enum or missing keys, warnings for unknown keys (errors
with ``--strict``), each a ``Problem`` with the file, the line and a hint.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .errors import BriefingError, Problem, SourceError, TaxonomyError
from .inputfile import read_yaml_file
from .shape import ALL, LANGS, Field, check_record, line_of
from .taxonomy import GOVERNMENT_RANKS, OTHER_RANKS

DATE_SOURCES = ("text", "stub", "weekday", "conference", "none", "editor")
CONFIDENCES = ("high", "medium", "low")
TRANSLATIONS = ("machine", "reviewed")

FRONT_MATTER: tuple[Field, ...] = (
    Field("title", "title", "the headline, one line", required=LANGS, on_article=True),
    Field(
        "title_derived", "bool", "true when the raw copy had no headline", default=False, copied=True, on_article=True
    ),
    Field("date", "date", "the event's date: YYYY-MM-DD, YYYY-MM (day unknown) or null", copied=True),
    Field("date_source", "enum", "how the importer dated it", choices=DATE_SOURCES, langs=("fr",)),
    Field(
        "date_confidence",
        "enum",
        "how sure the date is",
        choices=CONFIDENCES,
        default="high",
        copied=True,
        on_article=True,
    ),
    Field("date_partial", "text", "what is known of an unresolved date, e.g. '08-26'", langs=("fr",)),
    Field("lang", "enum", "the folder's language", required=LANGS, choices=LANGS),
    Field("source", "text", "the agency", default="VNA", copied=True, on_article=True),
    Field("dateline", "text?", "the place the dispatch was filed from (its English form in English)", on_article=True),
    Field("conferences", "ids", "conference ids of the taxonomy", default=(), copied=True, on_article=True),
    Field(
        "ministers",
        "ids",
        "people ids of the taxonomy, members of government",
        default=(),
        copied=True,
        on_article=True,
    ),
    Field("people", "ids", "other people ids", default=(), copied=True, on_article=True),
    Field("summary", "text", "one or two sentences for lists and feeds", default="", on_article=True),
    Field("captions", "texts", "photo captions", default=(), on_article=True),
    Field(
        "original",
        "record",
        "the raw dispatch imported",
        langs=("fr",),
        fields=(
            Field("file", "text", "its file name", required=ALL),
            Field("sha256", "sha256", "the hash of its bytes", required=ALL),
        ),
    ),
    Field(
        "translation",
        "enum",
        "machine, or reviewed once corrected",
        required=("en",),
        choices=TRANSLATIONS,
        langs=("en",),
        on_article=True,
    ),
    Field("engine", "text", "the engine that translated it", langs=("en",), on_article=True),
    Field("model", "text", "the engine's model", langs=("en",), on_article=True),
    Field("source_sha256", "sha256", "hash of the French text it was made from", langs=("en",), on_article=True),
    Field(
        "locked_sha256",
        "sha256",
        "hash of its segments as locked (with each protected term's English): unchanged = current",
        langs=("en",),
        on_article=True,
    ),
    Field(
        "desk_segments",
        "count",
        "segments whose English is the translation desk's (an editor's), not an engine's",
        default=0,
        langs=("en",),
        on_article=True,
    ),
    Field(
        "review_flags",
        "record",
        "what a reviewer should look at, counted (translate/flags.py); the page then says it needs review",
        langs=("en",),
        fields=tuple(
            Field(kind, "count", doc)
            for kind, doc in (
                ("unknown", "words the engine could not generate or transfer"),
                ("french", "words left in French"),
                ("spanish", "words left in Spanish by the pivot"),
                ("repaired", "segments re-done piecewise to keep a locked term"),
                ("length", "segments far shorter or longer than the French"),
            )
        ),
    ),
)

_LANG_TEXT = tuple(
    Field(lang, "text", f"in {name}", required=ALL) for lang, name in zip(LANGS, ("French", "English"), strict=True)
)

SITE: tuple[Field, ...] = (
    Field("title", "record", "the site's name in each language", required=ALL, fields=_LANG_TEXT),
    Field("description", "record", "one sentence in each language", fields=_LANG_TEXT),
    Field("base_url", "url", "the public URL, e.g. https://example.org/portal/", required=ALL),
    Field("default_language", "enum", "the language of the root page", choices=LANGS, default="fr"),
    Field("per_page", "count", "articles per list page", default=20),
    Field(
        "publisher",
        "record",
        "who publishes the dispatches: a mapping with name and url",
        fields=(Field("name", "text", "its name", default="VNA"), Field("url", "url?", "its web site", default="")),
    ),
    Field(
        "editorial_desk",
        "text",
        "who reviews translations: named as translator (JSON-LD) and in the notice of a reviewed article",
        default="Editorial desk",
    ),
    Field(
        "translate",
        "record",
        "a mapping: engine, beam_size, max_batch_size",
        fields=(
            Field(
                "engine",
                "enum",
                "auto: argos when installed, else apertium",
                choices=("auto", "argos", "apertium"),
                default="auto",
            ),
            Field("beam_size", "count", "Argos beam width", default=2),
            Field("max_batch_size", "count", "segments per Argos batch", default=32),
        ),
    ),
)

GLOSSARY: tuple[Field, ...] = (
    Field(
        "version", "version", "informational: an edit reaches exactly the segments concerned without it", default="1"
    ),
    Field("terms", "terms", "French term → the English every engine must produce", default={}),
)

_TERM = (
    Field("fr", "text", "the name as written", required=ALL),
    Field("en", "text", "its English form"),
    Field("aliases", "texts", "other spellings"),
)
RANKS = GOVERNMENT_RANKS + OTHER_RANKS
TAXONOMY: tuple[Field, ...] = (
    Field(
        "people",
        "table",
        "person id (ASCII slug, family name first) → name, en, aliases, roles",
        fields=(
            Field("name", "text", "the name with its diacritics", required=ALL),
            Field("en", "text", "the English spelling"),
            Field("aliases", "texts", "other spellings"),
            Field(
                "roles",
                "records",
                "a list of roles, each a mapping with rank, fr, en, from, to",
                fields=(
                    Field("rank", "enum", "members of government are ministers", required=ALL, choices=RANKS),
                    Field("fr", "text", "the French title"),
                    Field("en", "text", "the English title"),
                    Field("from", "date", "YYYY-MM-DD or YYYY-MM"),
                    Field("to", "date", "YYYY-MM-DD or YYYY-MM"),
                ),
            ),
        ),
    ),
    Field(
        "conferences",
        "table",
        "id <kind>-<number> or <kind>-<year> → fr, en, start, end, place",
        fields=(
            Field("fr", "text", "the French name"),
            Field("en", "text", "the English name"),
            Field("start", "date", "YYYY-MM-DD or YYYY-MM"),
            Field("end", "date", "YYYY-MM-DD or YYYY-MM"),
            Field("place", "text", "where it was held"),
        ),
    ),
    Field(
        "kinds",
        "table",
        "kind id → fr, en, patterns, number",
        fields=(
            Field("fr", "text", "the French name"),
            Field("en", "text", "the English name"),
            Field("patterns", "patterns", "a list of regular expressions; {ord} is an ordinal", required=ALL),
            Field("number", "enum", "'year' for unnumbered events", choices=("year",)),
            Field("unnumbered", "regexes", "expressions naming an instance without its number"),
            Field("nouns", "texts", "what 'leur 47e sommet' may stand for"),
            Field("title", "record", "instance names: fr and en with {fr_ord}/{en_ord}", fields=_LANG_TEXT),
            Field("gender", "enum", "grammatical gender of the French name", choices=("f", "m")),
            Field("margin", "enum", "'venue': 'en marge de' names a venue", choices=("venue",)),
        ),
    ),
    Field("places", "records", "a list of names kept in translation: fr, en, aliases", fields=_TERM),
    Field("organisations", "records", "a list of names kept in translation: fr, en, aliases", fields=_TERM),
)

# -- the files -----------------------------------------------------------------------------------------


def check_front_matter(meta: Any, path: Path, lang: str) -> list[Problem]:
    """Front matter of a ``content/<lang>/`` file; a key of the other language's files is a warning."""
    problems = check_record(meta, FRONT_MATTER, path, lang=lang)
    for f in FRONT_MATTER:
        if isinstance(meta, dict) and f.name in meta and lang not in f.langs:
            problems.append(
                Problem(
                    path, line_of(meta, f.name, 2), f"{f.name}: only used in {'/'.join(f.langs)} files", warning=True
                )
            )
    return problems


def check_taxonomy(raw: Any, path: Path) -> list[Problem]:
    """``taxonomy.yaml`` (or a reference-data file of the same shape), loaded by ``load_yaml``."""
    if raw is None:
        return []
    return check_record(raw, TAXONOMY, path)


def check_site(raw: Any, path: Path, base_url_from_env: bool = False) -> list[Problem]:
    problems = check_record({} if raw is None else raw, SITE, path)
    if base_url_from_env:  # BRIEFING_BASE_URL stands in for a missing or local base_url
        problems = [p for p in problems if not p.message.startswith("base_url:")]
    return problems


def check_glossary(raw: Any, path: Path) -> list[Problem]:
    return check_record({} if raw is None else raw, GLOSSARY, path)


def _read(path: Path, error: type[BriefingError], missing: str | None) -> Any:
    """A file of the project's content folder (taxonomy, glossary)."""
    try:
        return read_yaml_file(path, path.parent.parent)
    except FileNotFoundError:
        if missing is None:
            return None
        raise error(f"{path}: {missing}") from None
    except SourceError as exc:
        raise error(str(exc)) from None


def _raise_errors(problems: list[Problem], error: type[BriefingError], strict: bool = False) -> None:
    errors = [p for p in problems if strict or not p.warning]
    if errors:
        raise error("\n".join(str(p) for p in errors))


def read_taxonomy(path: Path) -> dict[str, Any]:
    """A taxonomy (or reference-data) file, checked: ``TaxonomyError`` lists every error, one per line."""
    raw = _read(path, TaxonomyError, "taxonomy file not found")
    _raise_errors(check_taxonomy(raw, path), TaxonomyError)
    return raw or {}


def read_glossary(path: Path) -> dict[str, Any] | None:
    """``glossary.yaml`` checked, or None when there is none."""
    raw = _read(path, TaxonomyError, None)
    if raw is not None:
        _raise_errors(check_glossary(raw, path), TaxonomyError)
    return raw


def check_inputs(content_dir: Path) -> list[Problem]:
    """The glossary's problems and the taxonomy's warnings (its errors stop ``load_taxonomy`` already):
    what ``check`` adds to the content files' own."""
    taxonomy, glossary = content_dir / "taxonomy.yaml", content_dir / "glossary.yaml"
    found = [p for p in check_taxonomy(_read(taxonomy, TaxonomyError, None), taxonomy) if p.warning]
    return found + check_glossary(_read(glossary, TaxonomyError, None), glossary)


SLUG_MAX = 100  # the longest file name ``check`` accepts; the importer makes at most 80 characters
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# names that clash with the site's own pages or with devices on Windows
RESERVED_SLUGS = frozenset(
    "con prn aux nul com1 com2 com3 lpt1 lpt2 index feed assets search 404 sitemap robots".split()
)


def slug_problem(slug: str) -> str | None:
    """Why ``slug`` cannot name an article, or None: the one rule the importer and ``check`` share."""
    if not _SLUG.match(slug):
        return "not a safe slug (lowercase letters, digits, single hyphens between them)"
    if len(slug) > SLUG_MAX:
        return f"longer than {SLUG_MAX} characters"
    if slug in RESERVED_SLUGS:
        return f"'{slug}' is reserved for the site's own pages"
    return None


def ordered(meta: dict[str, Any]) -> dict[str, Any]:
    """``meta`` with the declared keys in the schema's order, then any others as they came."""
    order = {f.name: i for i, f in enumerate(FRONT_MATTER)}
    return dict(sorted(meta.items(), key=lambda kv: order.get(kv[0], len(order))))


def json_record(meta: dict[str, Any]) -> dict[str, Any]:
    """What ``import --json`` prints of a new article: every declared key, with its default when absent."""
    return {f.name: _plain(meta.get(f.name, f.default)) for f in FRONT_MATTER if f.langs != ("en",)}


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def default(name: str) -> Any:
    """A front-matter field's default, as declared here (``Article``'s defaults read it)."""
    return next(f.default for f in FRONT_MATTER if f.name == name)


def copied_fields() -> tuple[str, ...]:
    """The keys an English file copies from its French original (the translator's list)."""
    return tuple(f.name for f in FRONT_MATTER if f.copied)


def article_values(meta: dict[str, Any]) -> dict[str, Any]:
    """The ``Article`` attributes a (valid) front matter gives, with the schema's defaults; lists as tuples."""
    values = {}
    for f in FRONT_MATTER:
        if f.on_article:
            value = meta.get(f.name)
            value = f.default if value is None else value
            values[f.name] = tuple(value) if isinstance(value, list) else value
    return values


_TYPE_NAMES = {
    "title": "text, one line",
    "text?": "text or null",
    "ids": "list of ids",
    "texts": "list of text",
    "bool": "true/false",
    "sha256": "sha256 (hex)",
    "date": "date or null",
    "record": "mapping",
}


def field_table() -> str:
    """The README's table of front-matter keys (``python -m briefing.schema`` prints it)."""
    rows = ["| key | type | in | required | meaning |", "|---|---|---|---|---|"]
    for f in FRONT_MATTER:
        kind = " \\| ".join(f"`{c}`" for c in f.choices) if f.choices else _TYPE_NAMES.get(f.kind, f.kind)
        if f.fields:
            kind += ": " + ", ".join(f"`{sub.name}`" for sub in f.fields)
        rows.append(f"| `{f.name}` | {kind} | {'/'.join(f.langs)} | {'/'.join(f.required)} | {f.doc} |")
    return "\n".join(rows)


if __name__ == "__main__":  # pragma: no cover
    print(field_table())
