"""Translation memory: every segment's translation, in one SQLite file under ``.cache/``.

Keyed by the normalised source segment, engine, model id and glossary version, so an unchanged
segment is never sent to an engine twice. Writes are committed per batch (WAL journal): a killed
run loses at most the batch in flight. A memory file that SQLite cannot read, or whose schema is
not ours, is moved aside with a warning and a new one started: never a crash.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

SCHEMA_VERSION = 1


def segment_key(source: str, engine: str, model: str, glossary: str) -> str:
    norm = " ".join(source.split())
    return hashlib.sha256(f"{engine}\x1f{model}\x1f{glossary}\x1f{norm}".encode()).hexdigest()


class Memory:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.warnings: list[str] = []
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as exc:
            aside = path.with_name(f"{path.name}.corrupt-{int(time.time())}")
            os.replace(path, aside)
            for suffix in ("-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            self.warnings.append(
                f"translation memory {path} was unreadable ({exc}); moved to {aside.name} and "
                "started afresh: segments will be translated again"
            )
            self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            ok = db.execute("PRAGMA quick_check").fetchone()
            if not ok or ok[0] != "ok":
                raise sqlite3.DatabaseError(f"integrity check failed: {ok}")
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if row is None:
                db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            elif row[0] != str(SCHEMA_VERSION):
                raise sqlite3.DatabaseError(f"schema version {row[0]}, expected {SCHEMA_VERSION}")
            db.execute(
                "CREATE TABLE IF NOT EXISTS tm (key TEXT PRIMARY KEY, source TEXT NOT NULL, "
                "target TEXT NOT NULL, engine TEXT NOT NULL, model TEXT NOT NULL, glossary TEXT NOT NULL)"
            )
            db.commit()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        keys = list(dict.fromkeys(keys))
        found: dict[str, str] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            q = f"SELECT key, target FROM tm WHERE key IN ({','.join('?' * len(chunk))})"
            found.update(self._db.execute(q, chunk).fetchall())
        return found

    def put_many(self, rows: Iterable[tuple[str, str, str, str, str, str]]) -> None:
        """rows: (key, source, target, engine, model, glossary); committed at once."""
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO tm VALUES (?, ?, ?, ?, ?, ?)", rows)

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM tm").fetchone()[0])

    def close(self) -> None:
        self._db.close()
