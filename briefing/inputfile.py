"""Reading one input file safely: a regular file only (never a pipe or a device that would hang or
never end), optionally never through a symbolic link, at most a bounded number of bytes, decoded as
strict UTF-8 with the first bad byte reported by line and position. YAML files are then parsed with
their line numbers kept (``frontmatter.load_yaml``). Every failure is a ``SourceError`` naming the file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from .confine import check_inside
from .errors import SourceError
from .frontmatter import load_yaml

YAML_MAX_BYTES = 50_000_000  # settings, taxonomy and glossary files are kilobytes


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def read_regular(path: Path, max_bytes: int, *, follow_symlinks: bool = True) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``max_bytes``; the size is checked
    before reading, and no more than ``max_bytes + 1`` bytes are ever read. ``FileNotFoundError``
    passes through (callers word it); every other problem is a ``SourceError``."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow_symlinks:
        flags |= os.O_NOFOLLOW
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError as exc:
        if not follow_symlinks and os.path.islink(path):
            raise SourceError(path, "is a symbolic link; give the file it points to instead") from None
        raise SourceError(path, f"cannot read: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise SourceError(path, f"is {_kind(st.st_mode)}, not a regular file: refused")
        if st.st_size > max_bytes:
            raise SourceError(path, f"file is {st.st_size:,} bytes; it must be under {max_bytes:,} (refused unread)")
        try:
            data = fh.read(max_bytes + 1)
        except OSError as exc:
            raise SourceError(path, f"cannot read: {exc.strerror}") from None
    if len(data) > max_bytes:  # grew while we read it
        raise SourceError(path, f"file grew past {max_bytes:,} bytes while read; it must be under that")
    return data


def decode_utf8(data: bytes, path: Path | str) -> str:
    """Strict UTF-8 (a BOM is dropped); the first bad byte is reported with its line and position."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SourceError(
            path,
            f"not UTF-8: invalid byte 0x{data[exc.start]:02x} at byte {exc.start:,}; save the file as UTF-8",
            line,
            col,
        ) from None


def read_yaml_file(path: Path, project: Path, max_bytes: int = YAML_MAX_BYTES) -> Any:
    """A YAML input file of the ``project`` folder as plain values with line numbers (``Marked`` mappings).
    ``FileNotFoundError`` passes through; every other problem is a ``SourceError`` with the file and, where there
    is one, the line."""
    check_inside(path, project)  # a link to another user's settings would be obeyed
    return load_yaml(decode_utf8(read_regular(path, max_bytes), path), path)
