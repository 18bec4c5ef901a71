"""What a build keeps between runs, keyed by content hash, in one SQLite file (``.cache/build.sqlite``).

Two tables: ``body`` (article Markdown → its rendered, sanitised blocks) and ``parsed`` (a content
file's bytes → the validated ``Article``). Rendering Markdown and reading YAML are most of a cold
build; a CI or Netlify build with this folder cached, or any second build, redoes only what changed.
The cache is only ever an optimisation: a file SQLite cannot read is deleted and rebuilt, a row that
cannot be decoded is a miss, and the build goes on.
"""

from __future__ import annotations

import json
import pickle
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

CACHE_FILE = "build.sqlite"

# table → (encode, decode). ``parsed`` rows are pickles the portal wrote itself into the project's own
# .cache folder (as trusted as the code); any failure to decode one is treated as a miss.
_CODECS: dict[str, tuple[Callable[[Any], bytes], Callable[[bytes], Any]]] = {
    "body": (lambda v: json.dumps(v, ensure_ascii=False).encode("utf-8"), lambda b: json.loads(b)),
    "parsed": (lambda v: pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL), pickle.loads),
}


class DiskCache:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        self.warnings: list[str] = []
        if path is None:
            return
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
        for table in _CODECS:
            db.execute(f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
        for table in _CODECS:  # a damaged file fails here, not in the middle of a build
            db.execute(f"SELECT key FROM {table} LIMIT 1").fetchone()
        return db

    def __enter__(self) -> DiskCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get_many(self, table: str, keys: Iterable[str]) -> dict[str, Any]:
        if self._db is None:
            return {}
        decode = _CODECS[table][1]
        keys = list(dict.fromkeys(keys))
        out: dict[str, Any] = {}
        try:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                rows = self._db.execute(
                    f"SELECT key, value FROM {table} WHERE key IN ({','.join('?' * len(chunk))})", chunk
                ).fetchall()
                for k, v in rows:
                    try:
                        out[k] = decode(v)
                    except Exception:  # a damaged row is a miss, never a failed build
                        continue
        except sqlite3.DatabaseError:
            return out
        return out

    def put_many(self, table: str, items: dict[str, Any]) -> None:
        if self._db is None or not items:
            return
        encode = _CODECS[table][0]
        try:
            with self._db:
                self._db.executemany(
                    f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", ((k, encode(v)) for k, v in items.items())
                )
        except sqlite3.DatabaseError:
            pass

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
