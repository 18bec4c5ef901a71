"""What a build keeps between runs, keyed by content hash, in one SQLite file (``.cache/build.sqlite``).

Two tables: ``body`` (article Markdown → its rendered, sanitised blocks) and ``parsed`` (a content
file's bytes → the validated ``Article``). Rendering Markdown and reading YAML are most of a cold
build; a CI or Netlify build with this folder cached, or any second build, redoes only what changed.

The cache holds data, never code, and is never trusted: the deploy configs carry it from build to
build, so whoever can save it (a deploy preview, a shared folder) could plant rows in it.

* Rows are plain JSON (no pickle), in tables named after ``CACHE_FORMAT``: a file of another format
  version is a miss, not a decoding adventure. A ``parsed`` row is rebuilt field by field into an
  ``Article`` with every type checked; anything else is a miss.
* Every row carries an HMAC-SHA256 over (table, key, value) with a secret kept *outside* the cache:
  ``BRIEFING_CACHE_KEY`` when set (CI: a secret of trusted builds only), else a per-user key file
  (``$XDG_CONFIG_HOME/briefing/cache-key``, mode 0600, made on first use). A row planted or edited
  without that secret, or copied from another machine, is a miss.
* With a shared key (``BRIEFING_CACHE_KEY``: a CI secret, which every build of that CI can read), the
  consumer (``build._cached_bodies``) also sanitises rendered HTML from the cache again, so even a leaked
  key cannot put markup on a page. A per-user key file is as safe as the user's home folder: whoever can
  read it can already run code as that user, so local builds skip that pass (it costs ~90 µs a body).

The cache is only ever an optimisation: a file SQLite cannot read is deleted and rebuilt, a row that
fails any check is a miss, and the build goes on, slower.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import types
import typing
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

CACHE_FILE = "build.sqlite"
CACHE_FORMAT = 2  # bump when a row's shape changes: the tables of another version are never read
TABLES = ("body", "parsed")
KEY_ENV = "BRIEFING_CACHE_KEY"


def _key_file() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "briefing" / "cache-key"


def cache_secret() -> bytes | None:
    """The secret rows are signed with; None when there is none and none can be made (no cache then)."""
    env = os.environ.get(KEY_ENV)
    if env:
        return hashlib.sha256(env.encode("utf-8", "surrogateescape")).digest()
    path = _key_file()
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_bytes(32))
        return path.read_bytes()
    except FileExistsError:  # another build made it just now
        try:
            return path.read_bytes()
        except OSError:
            return None
    except OSError:
        return None


# --- rows: JSON values, checked on the way back ---


def _to_json(value: Any) -> Any:
    if isinstance(value, (dt.date, Path)):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def encode_record(obj: Any) -> dict[str, Any]:
    """A flat dataclass (str, bool, int, dates, paths, tuples of str, optionals of those) as a JSON object."""
    return {f.name: _to_json(getattr(obj, f.name)) for f in dataclasses.fields(obj)}


def _bad(hint: Any, value: Any) -> ValueError:
    return ValueError(f"not a {hint}: {value!r}")


def _converter(hint: Any) -> Callable[[Any], Any]:
    """A function turning a JSON value into type ``hint`` (or raising ValueError); only the simple types a
    record is made of. Made once per field, so decoding a row is a few calls per field."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        inner = _converter(next(a for a in args if a is not type(None)))
        return lambda v: None if v is None else inner(v)
    if origin is typing.Literal:
        return lambda v: v if v in args and type(v) in (str, int, bool) else _raise(_bad(hint, v))
    if origin is tuple and args[-1:] == (Ellipsis,) and args[0] is str:
        return lambda v: tuple(v) if type(v) is list and all(type(x) is str for x in v) else _raise(_bad(hint, v))
    if hint is dt.date:
        return lambda v: dt.date.fromisoformat(v) if type(v) is str else _raise(_bad(hint, v))
    if hint is Path:
        return lambda v: Path(v) if type(v) is str else _raise(_bad(hint, v))
    if hint in (str, bool, int):
        return lambda v: v if type(v) is hint else _raise(_bad(hint, v))
    raise TypeError(f"the cache cannot hold a {hint}")


def _raise(exc: Exception) -> Any:
    raise exc


@functools.lru_cache(maxsize=8)
def _converters(cls: type) -> tuple[frozenset[str], tuple[tuple[str, Callable[[Any], Any]], ...]]:
    hints = typing.get_type_hints(cls)
    fields = tuple((f.name, _converter(hints[f.name])) for f in dataclasses.fields(cls))
    return frozenset(name for name, _ in fields), fields


def decode_record(cls: type, data: Any) -> Any:
    """The inverse of ``encode_record``: every field present, of its declared type; else ValueError."""
    names, fields = _converters(cls)
    if type(data) is not dict or data.keys() != names:
        raise ValueError("fields differ")
    return cls(**{name: convert(data[name]) for name, convert in fields})


def _decode_body(value: Any) -> list[str]:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise ValueError("not a list of HTML blocks")


def _decode_parsed(value: Any) -> Any:
    from .sources import Article  # sources imports this module

    return decode_record(Article, value)


_DECODE = {"body": _decode_body, "parsed": _decode_parsed}
_ENCODE = {"body": lambda v: v, "parsed": encode_record}


class DiskCache:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._secret: bytes | None = None
        self.shared_key = False
        self.warnings: list[str] = []
        if path is None:
            return
        self._secret = cache_secret()
        self.shared_key = bool(os.environ.get(KEY_ENV))  # a CI secret: cached HTML is sanitised again
        if self._secret is None:
            return  # nothing to sign with: no cache (a slower build)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = self._open(path)
        except (sqlite3.DatabaseError, OSError) as exc:
            self.warnings.append(f"build cache {path} unusable ({exc}); starting a new one")
            try:
                path.unlink(missing_ok=True)
                self._db = self._open(path)
            except (sqlite3.DatabaseError, OSError):
                self._db = None

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")  # a cache: a power cut may lose the last rows, never the file
        for table in TABLES:
            db.execute(f"DROP TABLE IF EXISTS {table}")  # format 1: pickles, never read again
            db.execute(
                f"CREATE TABLE IF NOT EXISTS {table}_v{CACHE_FORMAT} (key TEXT PRIMARY KEY, value TEXT NOT NULL, "
                "mac BLOB NOT NULL)"
            )
        for table in TABLES:  # a damaged file fails here, not in the middle of a build
            db.execute(f"SELECT key FROM {table}_v{CACHE_FORMAT} LIMIT 1").fetchone()
        return db

    def _mac(self, table: str, key: str, value: str) -> bytes:
        assert self._secret is not None
        msg = f"{CACHE_FORMAT}\x1f{table}\x1f{key}\x1f{value}".encode("utf-8", "surrogatepass")
        return hmac.new(self._secret, msg, hashlib.sha256).digest()

    def __enter__(self) -> DiskCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get_many(self, table: str, keys: Iterable[str]) -> dict[str, Any]:
        """The rows found for ``keys`` whose signature and shape check out; any other row is a miss."""
        if self._db is None:
            return {}
        decode = _DECODE[table]
        keys = list(dict.fromkeys(keys))
        out: dict[str, Any] = {}
        try:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                rows = self._db.execute(
                    f"SELECT key, value, mac FROM {table}_v{CACHE_FORMAT} WHERE key IN ({','.join('?' * len(chunk))})",
                    chunk,
                ).fetchall()
                for k, v, mac in rows:
                    try:
                        if not (isinstance(v, str) and hmac.compare_digest(self._mac(table, k, v), mac)):
                            continue
                        out[k] = decode(json.loads(v))
                    except Exception:  # a damaged or hostile row is a miss, never a failed build
                        continue
        except sqlite3.DatabaseError:
            return out
        return out

    def put_many(self, table: str, items: dict[str, Any]) -> None:
        if self._db is None or not items:
            return
        encode = _ENCODE[table]
        rows = []
        for k, v in items.items():
            try:
                text = json.dumps(encode(v), ensure_ascii=False)
            except (TypeError, ValueError):
                continue  # not storable: it will be made again next time
            rows.append((k, text, self._mac(table, k, text)))
        try:
            with self._db:
                self._db.executemany(f"INSERT OR REPLACE INTO {table}_v{CACHE_FORMAT} VALUES (?, ?, ?)", rows)
        except sqlite3.DatabaseError:
            pass

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
