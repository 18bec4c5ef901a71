"""Markdown files with YAML front matter: read into ``(meta, body)`` and write back, deterministically.

Errors carry the file, the line in the file (not in the YAML block) and an excerpt, so an
editor can go straight to the mistake. YAML that parses to something other than a mapping is
an error too: MkDocs silently ignoring malformed YAML is the behaviour to avoid.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Hashable, Iterator
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


class Marked(dict[Any, Any]):
    """A YAML mapping that remembers where it is: ``line`` of the mapping, ``lines[key]`` of each key."""

    line: int = 0
    lines: dict[Any, int]


class MarkedList(list[Any]):
    """A YAML sequence with ``line`` and the line of each item in ``lines``."""

    line: int = 0
    lines: list[int]


class _MarkedLoader(_Loader):
    """Safe loading that keeps line numbers, refuses duplicate keys and impossible dates."""

    first_line = 1  # the file line of the YAML text's first line

    def line_of(self, node: yaml.Node) -> int:
        return int(node.start_mark.line) + self.first_line


def _construct_map(loader: _MarkedLoader, node: yaml.MappingNode) -> Iterator[Marked]:
    data = Marked()
    data.line, data.lines = loader.line_of(node), {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable) or isinstance(key, (dict, list)):
            raise yaml.constructor.ConstructorError(None, None, "a key must be a plain value", key_node.start_mark)
        if key in data:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}' (first on line {data.lines[key]})", key_node.start_mark
            )
        data[key] = loader.construct_object(value_node, deep=False)
        data.lines[key] = loader.line_of(key_node)


def _construct_seq(loader: _MarkedLoader, node: yaml.SequenceNode) -> Iterator[MarkedList]:
    data = MarkedList()
    data.line, data.lines = loader.line_of(node), [loader.line_of(n) for n in node.value]
    yield data
    data.extend(loader.construct_object(n, deep=False) for n in node.value)


def _construct_timestamp(loader: _MarkedLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as exc:  # 2021-02-30: the YAML shape of a date, but no such day
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.value} is not a real date ({exc})", node.start_mark
        ) from None


_MarkedLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_MarkedLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_MarkedLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def load_yaml(text: str, path: Path | str, first_line: int = 1) -> Any:
    """Parse YAML text into plain values whose mappings are ``Marked`` (file line numbers kept).

    Every failure (bad syntax, duplicate key, impossible date, nesting past libyaml's limit) is a
    ``SourceError`` at the file's own line; ``first_line`` is where the YAML text starts in the file."""
    loader = _MarkedLoader(text)
    loader.first_line = first_line
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else None
        col = mark.column + 1 if mark else None
        problem = " ".join(str(exc.problem or exc).split())
        lines = text.split("\n")
        excerpt = _excerpt(lines, line - first_line + 1) if line else ""
        raise SourceError(path, f"invalid YAML: {problem}", line=line, col=col, excerpt=excerpt) from None
    except yaml.YAMLError as exc:
        raise SourceError(path, f"invalid YAML: {' '.join(str(exc).split())}", line=first_line) from None
    except RecursionError:
        raise SourceError(path, "invalid YAML: nested too deeply", line=first_line) from None
    finally:
        loader.dispose()


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


def parse_front_matter(text: str, path: Path | str) -> tuple[Marked, str]:
    """Parse ``text`` into ``(meta, body)``; ``meta`` is ``Marked`` (``meta.lines[key]`` is a file line).

    Raises ``SourceError`` with the file's own line numbers."""
    yaml_text, body, _ = split_front_matter(text, path)
    try:
        meta = load_yaml(yaml_text, path, first_line=2)  # line 1 is the opening fence
    except SourceError as exc:
        excerpt = _excerpt(text.split("\n"), exc.line) if exc.line else ""
        raise SourceError(
            path, exc.message.replace("invalid YAML", "invalid YAML in front matter"), exc.line, exc.col, excerpt
        ) from None
    if meta is None:
        meta = Marked()
        meta.line, meta.lines = 2, {}
    if not isinstance(meta, Marked):
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
