"""Translation memory: every segment's translation and its review flags, in one SQLite file under ``.cache/``.

Keyed by the normalised source segment (with the English of each locked term), engine and model id,
so an unchanged segment is never sent to an engine twice and a glossary or taxonomy edit reaches
exactly the segments whose locked terms changed. Writes are committed per batch (WAL journal): a
killed run loses at most the batch in flight. A memory file that SQLite cannot read, or whose schema
is not ours (another version, a missing column), is moved aside with a warning and a new one
started. A memory deleted while a run writes to it is noticed after the next commit and rebuilt with
everything this run translated; a memory locked by another program for longer than the timeout is
one clear error (exit 4), never a traceback.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import LockError

SCHEMA_VERSION = 2
COLUMNS = ("key", "source", "target", "engine", "model", "flags")
LOCK_TIMEOUT = 30.0


@dataclass(frozen=True)
class Entry:
    target: str
    flags: dict[str, int] = field(default_factory=dict)


Row = tuple[str, str, str, str, str, dict[str, int]]  # key, source, target, engine, model, flags


def segment_key(source: str, engine: str, model: str) -> str:
    norm = " ".join(source.split())
    return hashlib.sha256(f"{engine}\x1f{model}\x1f{norm}".encode()).hexdigest()


class Memory:
    def __init__(self, path: Path, timeout: float = LOCK_TIMEOUT) -> None:
        self.path = path
        self.timeout = timeout
        self.warnings: list[str] = []
        self._written: list[Row] = []  # this run's rows, to rebuild a memory deleted under us
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = self._open()
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc):
                raise self._locked(exc) from exc
            self._set_aside(exc)
        except sqlite3.DatabaseError as exc:
            self._set_aside(exc)
        self._inode = self._identity()

    def _locked(self, exc: Exception) -> LockError:
        return LockError(
            f"translation memory {self.path} has been locked by another program for over "
            f"{self.timeout:.0f} s ({exc}); close it and run again"
        )

    def _set_aside(self, exc: Exception) -> None:
        aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
        os.replace(self.path, aside)
        for suffix in ("-wal", "-shm"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)
        self.warnings.append(
            f"translation memory {self.path} was unreadable ({exc}); moved to {aside.name} and "
            "started afresh: segments will be translated again"
        )
        self._db = self._open()

    def _identity(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return (st.st_dev, st.st_ino)

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=self.timeout)
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
                "CREATE TABLE IF NOT EXISTS tm (key TEXT PRIMARY KEY, source TEXT NOT NULL, target TEXT NOT NULL, "
                "engine TEXT NOT NULL, model TEXT NOT NULL, flags TEXT NOT NULL DEFAULT '{}')"
            )
            columns = tuple(r[1] for r in db.execute("PRAGMA table_info(tm)"))
            if columns != COLUMNS:
                raise sqlite3.DatabaseError(f"table tm has columns {columns}, expected {COLUMNS}")
            db.commit()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def get_many(self, keys: Iterable[str]) -> dict[str, Entry]:
        keys = list(dict.fromkeys(keys))
        found: dict[str, Entry] = {}
        try:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                q = f"SELECT key, target, flags FROM tm WHERE key IN ({','.join('?' * len(chunk))})"
                for key, target, flags in self._db.execute(q, chunk):
                    found[key] = Entry(target, _flags(flags))
        except sqlite3.OperationalError as exc:
            raise self._locked(exc) from exc
        return found

    def put_many(self, rows: Iterable[Row]) -> None:
        """Committed at once; a memory file deleted meanwhile is recreated with this run's rows."""
        rows = list(rows)
        self._written += rows
        self._insert(rows)
        if self._identity() != self._inode:
            self._db.close()
            self._db = self._open()
            self._inode = self._identity()
            self._insert(self._written)
            self.warnings.append(
                f"translation memory {self.path} was deleted during the run; recreated with this run's "
                f"{len(self._written)} segment(s)"
            )

    def _insert(self, rows: list[Row]) -> None:
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO tm VALUES (?, ?, ?, ?, ?, ?)",
                    [(k, s, t, e, m, json.dumps(f, sort_keys=True)) for k, s, t, e, m, f in rows],
                )
        except sqlite3.OperationalError as exc:
            raise self._locked(exc) from exc

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM tm").fetchone()[0])

    def close(self) -> None:
        self._db.close()


def _flags(text: str) -> dict[str, int]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return {str(k): int(v) for k, v in value.items()} if isinstance(value, dict) else {}
