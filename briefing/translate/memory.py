"""Translation memory: every segment's translation and its review flags, in one SQLite file under ``.cache/``.

Engine rows (``origin='engine'``) are keyed by the normalised source segment as locked (with the English
of each locked term), engine and model id, so an unchanged segment is never sent to an engine twice and
a glossary or taxonomy edit reaches exactly the segments whose locked terms changed. Their ``source``
column holds the locked text (placeholders U+E000 n U+E001). Human rows (``origin='human'``, the
translation desk's) are keyed by the French segment *as written* (markup included, whitespace
normalised) alone, with empty engine and model: whatever engine or model is asked, ``human_many``
answers first, so an editor's English wins everywhere. Their ``source`` is that French segment.
``reviews`` records, per article slug, the French texts a review was made against (stale diffs).
Schema v3; a v2 memory is migrated in place (its rows kept, as engine rows). Writes are committed per batch (WAL journal): a
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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import LockError

SCHEMA_VERSION = 3
COLUMNS = ("key", "source", "target", "engine", "model", "flags", "origin")
V2_COLUMNS = COLUMNS[:-1]
MEMORY_FILE = "translation-memory.sqlite"  # under the project's .cache/
LOCK_TIMEOUT = 30.0
ENGINE, HUMAN = "engine", "human"


@dataclass(frozen=True)
class Entry:
    target: str
    flags: dict[str, int] = field(default_factory=dict)
    origin: str = ENGINE


@dataclass(frozen=True)
class MemoryRow:
    """One row as exported (TMX, XLIFF): source, English, origin, engine, model, review flags."""

    source: str
    target: str
    origin: str
    engine: str
    model: str
    flags: dict[str, int]


Row = tuple[str, str, str, str, str, dict[str, int]]  # key, source, target, engine, model, flags
_Stored = tuple[str, str, str, str, str, dict[str, int], str]  # a Row and its origin


def normalise(source: str) -> str:
    return " ".join(source.split())


def segment_key(source: str, engine: str, model: str) -> str:
    return hashlib.sha256(f"{engine}\x1f{model}\x1f{normalise(source)}".encode()).hexdigest()


def human_key(source: str) -> str:
    """The key of an editor's translation: the French segment as written, and nothing else."""
    return hashlib.sha256(f"{HUMAN}\x1f{normalise(source)}".encode()).hexdigest()


class Memory:
    def __init__(self, path: Path, timeout: float = LOCK_TIMEOUT) -> None:
        self.path = path
        self.timeout = timeout
        self.warnings: list[str] = []
        self._written: list[_Stored] = []  # this run's rows, to rebuild a memory deleted under us
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
            elif row[0] == "2":
                _migrate_v2(db)
            elif row[0] != str(SCHEMA_VERSION):
                raise sqlite3.DatabaseError(f"schema version {row[0]}, expected {SCHEMA_VERSION}")
            db.execute(
                "CREATE TABLE IF NOT EXISTS tm (key TEXT PRIMARY KEY, source TEXT NOT NULL, target TEXT NOT NULL, "
                "engine TEXT NOT NULL, model TEXT NOT NULL, flags TEXT NOT NULL DEFAULT '{}', "
                "origin TEXT NOT NULL DEFAULT 'engine')"
            )
            db.execute(
                "CREATE TABLE IF NOT EXISTS reviews (slug TEXT PRIMARY KEY, source_sha256 TEXT NOT NULL, "
                "segments TEXT NOT NULL)"
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
                q = f"SELECT key, target, flags, origin FROM tm WHERE key IN ({','.join('?' * len(chunk))})"
                for key, target, flags, origin in self._db.execute(q, chunk):
                    found[key] = Entry(target, _flags(flags), origin)
        except sqlite3.OperationalError as exc:
            raise self._locked(exc) from exc
        return found

    def human_many(self, sources: Iterable[str]) -> dict[str, str]:
        """French segment (as written) → the editor's English, for those the desk has translated."""
        by_key = {human_key(s): s for s in sources}
        return {by_key[k]: e.target for k, e in self.get_many(by_key).items() if e.origin == HUMAN}

    def put_human(self, pairs: Iterable[tuple[str, str]]) -> int:
        """Store (French segment as written, English) pairs as the desk's; returns how many were stored."""
        rows: list[_Stored] = [
            (human_key(fr), normalise(fr), en.strip(), "", "", {}, HUMAN)
            for fr, en in pairs
            if fr.strip() and en.strip()
        ]
        self._put(rows)
        return len(rows)

    def rows(self) -> Iterator[MemoryRow]:
        """Every row, human ones first, for export."""
        q = "SELECT source, target, origin, engine, model, flags FROM tm ORDER BY origin = 'engine', source"
        for source, target, origin, engine, model, flags in self._db.execute(q).fetchall():
            yield MemoryRow(source, target, origin, engine, model, _flags(flags))

    def record_review(self, slug: str, source_sha256: str, french: dict[str, object]) -> None:
        """The French texts (title, summary, body, captions) a review of ``slug`` was made against."""
        try:
            with self._db:
                self._db.execute(
                    "INSERT OR REPLACE INTO reviews VALUES (?, ?, ?)",
                    (slug, source_sha256, json.dumps(french, ensure_ascii=False)),
                )
        except sqlite3.OperationalError as exc:
            raise self._locked(exc) from exc

    def review_of(self, slug: str) -> tuple[str, dict[str, object]] | None:
        row = self._db.execute("SELECT source_sha256, segments FROM reviews WHERE slug=?", (slug,)).fetchone()
        if row is None:
            return None
        value = json.loads(row[1])
        return (row[0], value) if isinstance(value, dict) else None

    def put_many(self, rows: Iterable[Row]) -> None:
        """Engine rows, committed at once; a memory file deleted meanwhile is recreated with this run's rows."""
        self._put([(*r, ENGINE) for r in rows])

    def _put(self, rows: list[_Stored]) -> None:
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

    def _insert(self, rows: list[_Stored]) -> None:
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO tm VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(k, s, t, e, m, json.dumps(f, sort_keys=True), o) for k, s, t, e, m, f, o in rows],
                )
        except sqlite3.OperationalError as exc:
            raise self._locked(exc) from exc

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM tm").fetchone()[0])

    def close(self) -> None:
        self._db.close()


def _migrate_v2(db: sqlite3.Connection) -> None:
    """A v2 memory becomes v3 in place: its rows are kept, all of them the engines'."""
    columns = tuple(r[1] for r in db.execute("PRAGMA table_info(tm)"))
    if columns != V2_COLUMNS:
        raise sqlite3.DatabaseError(f"schema 2 table tm has columns {columns}, expected {V2_COLUMNS}")
    db.execute("ALTER TABLE tm ADD COLUMN origin TEXT NOT NULL DEFAULT 'engine'")
    db.execute("UPDATE meta SET value=? WHERE key='schema'", (str(SCHEMA_VERSION),))


def _flags(text: str) -> dict[str, int]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return {str(k): int(v) for k, v in value.items()} if isinstance(value, dict) else {}
