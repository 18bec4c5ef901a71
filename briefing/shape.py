"""The schema language: ``Field`` declares one key of an input file, ``check_record`` checks a loaded
value against a tuple of them. The declarations themselves are in ``briefing/schema.py``.

Values come from ``frontmatter.load_yaml``, whose mappings and lists know their file lines, so every
``Problem`` names the file and the line. Nothing here raises on bad data: any shape of input
(a list where a mapping belongs, a number where text belongs, ``None``) gives problems, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import Problem
from .taxonomy import _expand as expand_macros  # the taxonomy's own macro rule, so the check is the real one

LANGS = ("fr", "en")
ALL = ("all",)


@dataclass(frozen=True)
class Field:
    """One key of an input file. ``kind`` names a check in ``_SCALARS`` or a nested shape:
    ``record`` (a mapping of ``fields``), ``table`` (id → record of ``fields``), ``records`` (list of them)."""

    name: str
    kind: str
    doc: str
    required: tuple[str, ...] = ()  # the article languages (or "all") for which the key must be present
    choices: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()
    default: Any = None
    langs: tuple[str, ...] = LANGS  # front matter: the languages whose files use the key
    copied: bool = False  # front matter: the translator copies the French value into the English file
    on_article: bool = False  # front matter: kept on the ``Article`` record (attribute of the same name)


# -- scalar checks: value → message when wrong, None when right --------------------------------------

# controls an editor cannot see: C0/C1 (but tab and newline), bidi embeddings, overrides and isolates
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")


def _text_problem(value: Any, *, single_line: bool = False) -> str | None:
    if not isinstance(value, str):
        return f"must be text, not {_kind(value)}"
    bad = _INVISIBLE.search(value) or (re.search("[\n\r]", value) if single_line else None)
    if bad:
        name = unicodedata.name(bad.group(0), "control character")
        return f"contains an invisible character U+{ord(bad.group(0)):04X} ({name.lower()}): remove it"
    return None


def _date_problem(value: Any) -> str | None:
    if value is None or isinstance(value, dt.date):
        return None
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", value):
        try:
            dt.date.fromisoformat(value if len(value) == 10 else value + "-01")
            return None
        except ValueError:
            pass
    return f"{value!r} is not a date"


# a check gives None (right), a message, or (index or key inside the value, message) to point at its line
Why = str | tuple[Any, str] | None


def _strings(value: Any, item: Callable[[Any], str | None], nonempty: bool = False) -> Why:
    if not isinstance(value, list):
        return f"must be a list, not {_kind(value)}"
    if nonempty and not value:
        return "must list at least one"
    for i, v in enumerate(value):
        if (why := item(v)) is not None:
            return i, f"item {i + 1} {why}"
    return None


def url_problem(value: Any, empty_ok: bool = False) -> str | None:
    if empty_ok and value in ("", None):
        return None
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        return f"{value!r} must be an absolute http(s) URL"
    return None


def _pattern_problem(value: Any) -> str | None:
    """A taxonomy pattern: a regular expression once its macros (``{ord}``, an ordinal…) are put in."""
    if (why := _text_problem(value)) is not None:
        return why
    try:
        re.compile(expand_macros(value))
    except re.error as exc:
        return f"is not a regular expression: {exc}"
    return None


def _terms(value: Any) -> Why:
    if not isinstance(value, dict):
        return f"must map French terms to English, not {_kind(value)}"
    for k, v in value.items():
        if not isinstance(k, str) or not k.strip() or _text_problem(v) or not str(v).strip():
            return k, f"'{k}': each term needs non-empty English text"
    return None


_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SCALARS: dict[str, Callable[[Any], Why]] = {
    "text": _text_problem,
    "text?": lambda v: None if v is None else _text_problem(v),
    "title": lambda v: _text_problem(v, single_line=True) or (None if v.strip() else "must not be empty"),
    "texts": lambda v: _strings(v, _text_problem),
    "ids": lambda v: _strings(v, lambda x: None if isinstance(x, str) and _ID.match(x) else f"{x!r} is not an id"),
    "patterns": lambda v: _strings(v, _pattern_problem, nonempty=True),
    "regexes": lambda v: _strings(v, _pattern_problem),
    "bool": lambda v: None if isinstance(v, bool) else f"must be true or false, not {v!r}",
    "count": lambda v: (
        None
        if isinstance(v, int) and not isinstance(v, bool) and v >= 1
        else f"must be a whole number of at least 1, not {v!r}"
    ),
    "date": _date_problem,
    "sha256": lambda v: (
        None if isinstance(v, str) and re.fullmatch(r"[0-9a-f]{64}", v) else "must be a sha256 hex digest"
    ),
    "url": url_problem,
    "url?": lambda v: url_problem(v, empty_ok=True),
    "version": lambda v: None if isinstance(v, (int, str)) and not isinstance(v, bool) else "must be a number or text",
    "terms": _terms,
}


def _kind(value: Any) -> str:
    names = {dict: "a mapping", list: "a list", str: "text", bool: "true/false", int: "a number", float: "a number"}
    for t, name in names.items():
        if isinstance(value, t):
            return name
    return "nothing" if value is None else type(value).__name__


# -- walking a loaded value --------------------------------------------------------------------------


def _show(key: Any) -> str:
    """A key as it can be printed on one line: as written when it is plain text, quoted otherwise."""
    text = str(key)
    return text if isinstance(key, str) and text.isprintable() and text.strip() == text and text else repr(key)


def line_of(container: Any, key: Any, fallback: int | None) -> int | None:
    lines = getattr(container, "lines", None)
    if isinstance(lines, dict):
        return lines.get(key, fallback)
    if isinstance(lines, list) and isinstance(key, int) and key < len(lines):
        return lines[key]
    return getattr(container, "line", None) or fallback


def check_record(
    value: Any, fields: tuple[Field, ...], path: Path, prefix: str = "", line: int | None = None, lang: str = "all"
) -> list[Problem]:
    """Problems of one mapping against its declared ``fields``; ``prefix`` names where it sits."""
    line = getattr(value, "line", None) or line
    if not isinstance(value, dict):
        what = prefix.rstrip(".") or "the file"
        return [Problem(path, line, f"{what}: must be a mapping of keys, not {_kind(value)}")]
    problems: list[Problem] = []
    known = {f.name: f for f in fields}
    for key in value:
        if key not in known:
            close = difflib.get_close_matches(str(key), list(known), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "known: " + ", ".join(known)
            problems.append(
                Problem(path, line_of(value, key, line), f"{prefix}{_show(key)}: unknown key (ignored)", hint, True)
            )
    for f in fields:
        if f.name not in value:
            if "all" in f.required or lang in f.required:
                problems.append(Problem(path, line, f"{prefix}{f.name}: required", f.doc))
            continue
        problems += check_value(value[f.name], f, path, prefix + f.name, line_of(value, f.name, line))
    return problems


def check_value(value: Any, f: Field, path: Path, where: str, line: int | None) -> list[Problem]:
    if f.kind == "record":
        return check_record(value, f.fields, path, where + ".", line)
    if f.kind == "table":
        if not isinstance(value, dict):
            return [Problem(path, line, f"{where}: must be a mapping of id → entry, not {_kind(value)}", f.doc)]
        out: list[Problem] = []
        for key, entry in value.items():
            entry_line = line_of(value, key, line)
            if not isinstance(key, str) or not _ID.match(key):
                out.append(Problem(path, entry_line, f"{where}: id {key!r} must be lowercase letters, digits, hyphens"))
            if entry is None:  # "id:" with nothing under it: an entry with no keys
                entry = {}
            out += check_record(entry, f.fields, path, f"{where}.{_show(key)}.", entry_line)
        return out
    if f.kind == "records":
        if not isinstance(value, list):
            return [Problem(path, line, f"{where}: must be a list, not {_kind(value)}", f.doc)]
        return [
            p
            for i, item in enumerate(value)
            for p in check_record(item, f.fields, path, f"{where}[{i}].", line_of(value, i, line))
        ]
    if f.kind == "enum":
        if value in f.choices:
            return []
        return [Problem(path, line, f"{where}: {value!r} is not one of {', '.join(f.choices)}", f.doc)]
    why = _SCALARS[f.kind](value)
    if why is None:
        return []
    if isinstance(why, tuple):  # an item of a list, an entry of a mapping: its own line
        at, why = why
        line = line_of(value, at, line)
    return [Problem(path, line, f"{where}: {why}", f.doc)]
