"""Markdown files with YAML front matter: read into ``(meta, body)`` and write back, deterministically.

Errors carry the file, the line in the file (not in the YAML block) and an excerpt, so an
editor can go straight to the mistake. YAML that parses to something other than a mapping is
an error too: MkDocs silently ignoring malformed YAML is the behaviour to avoid.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from .errors import SourceError

try:  # the C loader is ~10x faster on large archives; the pure one behaves the same
    _Loader: type = yaml.CSafeLoader
    _Dumper: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader
    _Dumper = yaml.SafeDumper

FENCE = "---"


def _excerpt(lines: list[str], line: int, around: int = 1) -> str:
    lo, hi = max(1, line - around), min(len(lines), line + around)
    return "\n".join(f"{n:>5} | {lines[n - 1]}" for n in range(lo, hi + 1))


def split_front_matter(text: str, path: Path | str) -> tuple[str, str, int]:
    """Return ``(yaml_text, body, body_first_line)``; raise ``SourceError`` if there is no front matter."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        raise SourceError(
            path, "file must start with a '---' line opening the YAML front matter", line=1, excerpt=_excerpt(lines, 1)
        )
    for i in range(1, len(lines)):
        if lines[i].rstrip() == FENCE:
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 2
    raise SourceError(path, "front matter is not closed: no second '---' line", line=1, excerpt=_excerpt(lines, 1))


def parse_front_matter(text: str, path: Path | str) -> tuple[dict[str, Any], str]:
    """Parse ``text`` into ``(meta, body)``. Raises ``SourceError`` with the file's own line numbers."""
    yaml_text, body, _ = split_front_matter(text, path)
    try:
        meta = yaml.load(yaml_text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark else None  # +1: 0-based, +1: the opening fence
        col = mark.column + 1 if mark else None
        problem = exc.problem or str(exc)
        raise SourceError(
            path,
            f"invalid YAML in front matter: {problem}",
            line=line,
            col=col,
            excerpt=_excerpt(text.split("\n"), line) if line else "",
        ) from exc
    except yaml.YAMLError as exc:
        raise SourceError(path, f"invalid YAML in front matter: {exc}", line=1) from exc
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise SourceError(path, f"front matter must be a mapping of keys, not a {type(meta).__name__}", line=2)
    return meta, body


def key_line(text: str, key: str) -> int | None:
    """Line number of ``key:`` in the front matter, to point validation errors at it."""
    for n, line in enumerate(text.split("\n")[1:], start=2):
        if line.rstrip() == FENCE:
            return None
        if line.startswith(key + ":"):
            return n
    return None


_MD_SPECIAL = re.compile(r"([\\`*_\[\]])")
_MD_BLOCK_START = re.compile(r"^(\s*)([#>+\-|])")
_MD_ORDERED = re.compile(r"^(\s*\d+)([.)])(?=\s|$)")  # "1. x" would be a list; "200.000 doses" is not
_MD_SETEXT = re.compile(r"^(\s*)=(=*\s*)$")  # a line of "=" would underline a heading; "\=" is no escape


def escape_markdown(text: str) -> str:
    """Plain text for a Markdown body: no character of it may turn into markup or HTML."""
    text = _MD_SPECIAL.sub(r"\\\1", text).replace("<", "&lt;")
    text = _MD_BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    text = _MD_ORDERED.sub(r"\1\\\2", text)  # the escape goes before the punctuation: "\1." would show
    return _MD_SETEXT.sub(r"\1&#61;\2", text)


def iso_date(day: dt.date | None, precision: str | None) -> str | None:
    """The front matter's date: ``YYYY-MM-DD``, ``YYYY-MM`` when only the month is known, or None."""
    if day is None:
        return None
    return day.isoformat() if precision == "day" else day.strftime("%Y-%m")


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def dump_front_matter(meta: dict[str, Any], body: str) -> str:
    """Serialise ``meta`` (key order kept) and ``body`` into one document; stable byte for byte."""
    yaml_text = yaml.dump(
        _plain(meta), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
    return f"{FENCE}\n{yaml_text}{FENCE}\n\n{body.strip()}\n"
