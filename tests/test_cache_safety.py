"""The build cache (.cache/build.sqlite) is data, never code, and never trusted: the deploy configs carry it from
build to build, so whoever can save it may have planted rows. A planted pickle never runs, a planted <script>
never reaches a page, a row changed without the secret key is a miss; the build is only slower."""

from __future__ import annotations

import json
import pickle
import sqlite3
from pathlib import Path

from conftest import run_cli, snapshot

MARKER = "cache-payload-ran"


class _Payload:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.write_text, (self.marker, "pwned"))


def _tables(db: sqlite3.Connection) -> list[str]:
    return [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]


def _built(bundled: Path) -> tuple[Path, dict[str, bytes]]:
    proc = run_cli(bundled, "build", "--no-search")
    assert proc.returncode == 0, proc.stderr
    return bundled / ".cache" / "build.sqlite", snapshot(bundled / "output")


def _rewrite_every_row(cache: Path, value: object) -> int:
    """Replace the value of every row of every table (whatever its format version) with ``value``."""
    n = 0
    with sqlite3.connect(cache) as db:
        for table in _tables(db):
            n += db.execute(f"UPDATE {table} SET value = ?", (value,)).rowcount
    return n


def test_a_planted_pickle_never_runs(bundled, tmp_path):
    cache, before = _built(bundled)
    marker = tmp_path / MARKER
    payload = pickle.dumps(_Payload(marker))
    with sqlite3.connect(cache) as db:  # the old pickle table too, as an old or hostile cache would have it
        db.execute("CREATE TABLE IF NOT EXISTS parsed (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
        keys = [r[0] for t in _tables(db) for r in db.execute(f"SELECT key FROM {t}")]
        db.executemany("INSERT OR REPLACE INTO parsed VALUES (?, ?)", [(k, payload) for k in keys])
    assert _rewrite_every_row(cache, payload) > 0
    proc = run_cli(bundled, "build", "--no-search", "--force")
    assert proc.returncode == 0, proc.stderr
    assert not marker.exists(), "a pickle from the cache was executed"
    assert snapshot(bundled / "output") == before  # a slower build, the same site


def test_a_planted_script_never_reaches_a_page(bundled):
    cache, before = _built(bundled)
    evil = json.dumps(["<p>planted</p><script>alert(1)</script>"])
    assert _rewrite_every_row(cache, evil) > 0
    proc = run_cli(bundled, "build", "--no-search", "--force")
    assert proc.returncode == 0, proc.stderr
    pages = snapshot(bundled / "output")
    assert not [p for p, data in pages.items() if b"planted" in data or b"alert(1)" in data]
    assert pages == before


def _sign(cache: Path, table: str, key: str, value: str) -> bytes:
    """The row's signature made with the real key: what an attacker who stole the key could do."""
    from briefing.cache import DiskCache

    with DiskCache(cache) as store:
        return store._mac(table, key, value)


def test_markup_from_the_cache_is_sanitised_even_when_signed_with_a_leaked_shared_key(bundled, monkeypatch):
    """Defence in depth: a leaked CI key still cannot put a script (or any markup outside the allow-list) on a page."""
    from briefing.cache import CACHE_FORMAT, KEY_ENV

    monkeypatch.setenv(KEY_ENV, "the CI secret")
    cache, before = _built(bundled)
    table = f"body_v{CACHE_FORMAT}"
    evil = json.dumps(["<p>planted</p>", '<p><img src=x onerror="alert(1)"><script>alert(1)</script></p>'])
    with sqlite3.connect(cache) as db:
        keys = [r[0] for r in db.execute(f"SELECT key FROM {table}")]
        assert keys
        db.executemany(
            f"UPDATE {table} SET value = ?, mac = ? WHERE key = ?",
            [(evil, _sign(cache, "body", k, evil), k) for k in keys],
        )
    proc = run_cli(bundled, "build", "--no-search", "--force")
    assert proc.returncode == 0, proc.stderr
    assert snapshot(bundled / "output") == before


def test_a_row_changed_without_the_key_is_a_miss(bundled):
    """Content substitution: a parsed article's title rewritten in the cache (signature kept) is not published."""
    from briefing.cache import CACHE_FORMAT

    cache, before = _built(bundled)
    table = f"parsed_v{CACHE_FORMAT}"
    with sqlite3.connect(cache) as db:
        rows = db.execute(f"SELECT key, value FROM {table}").fetchall()
        assert rows
        for key, value in rows:
            record = json.loads(value)
            record["title"] = "PLANTED TITLE"
            db.execute(f"UPDATE {table} SET value = ? WHERE key = ?", (json.dumps(record), key))
    proc = run_cli(bundled, "build", "--no-search", "--force")
    assert proc.returncode == 0, proc.stderr
    assert snapshot(bundled / "output") == before
    # and a row of the right shape signed with the right key is used: the cache still speeds builds up
    with sqlite3.connect(cache) as db:
        key, value = db.execute(f"SELECT key, value FROM {table}").fetchone()
        assert json.loads(value)["title"] != "PLANTED TITLE"  # re-written by the build, signed again


def test_a_cache_from_another_machine_is_a_miss(bundled, tmp_path):
    """Another secret key (another user, machine or CI secret): every row is a miss, the site is the same."""
    cache, before = _built(bundled)
    other = run_cli(bundled, "build", "--no-search", "--force", env={"BRIEFING_CACHE_KEY": "another secret"})
    assert other.returncode == 0, other.stderr
    assert snapshot(bundled / "output") == before


def test_every_article_round_trips_through_the_cache_format(bundled):
    """If a field of ``Article`` gets a type the cache format cannot hold, this fails (rather than every cached
    article silently becoming a miss, which would only show as a slower build)."""
    import json

    from briefing.cache import decode_record, encode_record
    from briefing.sources import Article, load_content
    from briefing.taxonomy import load_taxonomy

    content = load_content(bundled / "content", load_taxonomy(bundled / "content" / "taxonomy.yaml"))
    articles = [a for lang in content.articles.values() for a in lang.values()]
    assert articles
    for a in articles:
        back = decode_record(Article, json.loads(json.dumps(encode_record(a), ensure_ascii=False)))
        assert back == a and back.warnings == a.warnings and back.path == a.path
