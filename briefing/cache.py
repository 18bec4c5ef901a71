"""Rendered article bodies kept between runs, keyed by a hash of the Markdown (``.cache/bodies.sqlite``).

Rendering Markdown is most of a cold build; a CI or Netlify build with this folder cached, or any
second build, renders only the bodies that changed. The cache is only ever an optimisation: a file
SQLite cannot read is deleted and rebuilt, and the build goes on.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Iterable


class BodyCache:
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
            self.warnings.append(f"render cache {path} unusable ({exc}); starting a new one")
            try:
                path.unlink(missing_ok=True)
                self._db = self._open(path)
            except (sqlite3.DatabaseError, OSError):
                self._db = None

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE IF NOT EXISTS body (key TEXT PRIMARY KEY, blocks TEXT NOT NULL)")
        db.execute("SELECT COUNT(*) FROM body").fetchone()
        return db

    def get_many(self, keys: Iterable[str]) -> dict[str, list[str]]:
        if self._db is None:
            return {}
        keys = list(dict.fromkeys(keys))
        out: dict[str, list[str]] = {}
        try:
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                rows = self._db.execute(f"SELECT key, blocks FROM body WHERE key IN ({','.join('?' * len(chunk))})",
                                        chunk).fetchall()
                out.update((k, json.loads(v)) for k, v in rows)
        except sqlite3.DatabaseError:
            return out
        return out

    def put_many(self, items: dict[str, list[str]]) -> None:
        if self._db is None or not items:
            return
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO body VALUES (?, ?)",
                                     ((k, json.dumps(v, ensure_ascii=False)) for k, v in items.items()))
        except sqlite3.DatabaseError:
            pass

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
