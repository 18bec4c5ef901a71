"""``/_review/`` in ``serve`` over plain HTTP: what it refuses (no token, a wrong token, a foreign Origin, a slug
that climbs out, a client on another machine) and that it lives in the server only, never in ``output/``."""

from __future__ import annotations

import http.client
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from browser import free_port, served
from conftest import ROOT

from briefing.review_http import clean_segment, loopback_client, token_matches


def _request(url: str, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
    conn.request(method, path, body=body, headers=headers or {})
    resp = conn.getresponse()
    return resp.status, dict(resp.getheaders()), resp.read()


def _first_slug(root: Path) -> str:
    return sorted((root / "content" / "en").glob("*.md"))[0].stem


def _token(url: str, slug: str) -> str:
    status, _, body = _request(url, "GET", f"/_review/{slug}/")
    assert status == 200, body
    found = re.search(rb'name="token" value="([^"]+)"', body)
    assert found is not None
    return found.group(1).decode()


def _approve(url: str, slug: str, fields: dict[str, str], headers: dict[str, str]) -> tuple[int, bytes]:
    base = {"Content-Type": "application/x-www-form-urlencoded"}
    status, _, body = _request(url, "POST", f"/_review/{slug}/approve", urlencode(fields), {**base, **headers})
    return status, body


def test_writes_need_this_sessions_token_and_this_servers_origin(bundled):
    slug = _first_slug(bundled)
    en = bundled / "content" / "en" / f"{slug}.md"
    before = en.read_bytes()
    with served(bundled) as url:
        mine = f"http://{urlsplit(url).netloc}"
        token = _token(url, slug)
        edit = {"index": "0", "english": "A sentence nobody approved."}
        refused = [
            ({**edit}, {"Origin": mine}),  # no token
            ({**edit, "token": "not-the-token"}, {"Origin": mine}),  # wrong token in the form
            ({**edit}, {"Origin": mine, "X-Review-Token": token[:-1]}),  # wrong token in the header
            ({**edit, "token": token}, {"Origin": "http://evil.example"}),  # foreign origin, right token
            ({**edit, "token": token}, {"Origin": f"http://localhost:{urlsplit(url).port + 1}"}),  # another port
            ({**edit, "token": token}, {}),  # no Origin at all
            ({**edit, "token": token}, {"Origin": mine, "Host": f"rebound.example:{urlsplit(url).port}"}),
        ]
        for fields, headers in refused:
            status, body = _approve(url, slug, fields, headers)
            assert status == 403, (fields, headers, body)
            assert b"nobody approved" not in body
        assert en.read_bytes() == before  # nothing written by any refused request
        token_again = _token(url, slug)
        assert token_again == token  # one token per session
    with served(bundled) as url:
        assert _token(url, slug) != token  # a new session, a new token


@pytest.mark.parametrize(
    "path",
    [
        "/_review/..%2f..%2fsite.yaml/approve",
        "/_review/%2e%2e/approve",
        "/_review/..%2fsite/approve",
        "/_review/foo%00/approve",
        "/_review/Upper-Case/approve",
        "/_review/no-such-article/approve",
        "/_review/index/approve",
    ],
)
def test_a_slug_that_is_not_an_english_article_is_404(bundled, path):
    site = (bundled / "site.yaml").read_bytes()
    with served(bundled) as url:
        mine = f"http://{urlsplit(url).netloc}"
        token = _token(url, _first_slug(bundled))
        fields = urlencode({"index": "0", "english": "Escaped.", "token": token})
        headers = {"Origin": mine, "Content-Type": "application/x-www-form-urlencoded"}
        status, _, body = _request(url, "POST", path, fields, headers)
        assert status == 404, body
        get_path = path.removesuffix("approve")
        assert _request(url, "GET", get_path)[0] == 404, get_path
    assert (bundled / "site.yaml").read_bytes() == site
    assert not list((bundled / "content").rglob("*Escaped*"))


def test_bad_segment_numbers_and_empty_english_are_400(bundled):
    slug = _first_slug(bundled)
    en = bundled / "content" / "en" / f"{slug}.md"
    before = en.read_bytes()
    with served(bundled) as url:
        mine = f"http://{urlsplit(url).netloc}"
        token = _token(url, slug)
        for fields in (
            {"index": "x", "english": "Fine."},
            {"index": "100000", "english": "Fine."},
            {"index": "-1", "english": "Fine."},
            {"index": "0", "english": "   "},
            {"english": "Fine."},
        ):
            status, body = _approve(url, slug, {**fields, "token": token}, {"Origin": mine})
            assert status == 400, (fields, body)
    assert en.read_bytes() == before


def test_the_review_page_lives_in_the_server_only(bundled):
    with served(bundled) as url:
        status, headers, body = _request(url, "GET", "/_review/")
        assert status == 200 and b"Review queue" in body
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert b"<script>" not in body and b"style=" not in body  # no inline script or style
        assert headers["Cache-Control"] == "no-store"
        assert _request(url, "GET", "/__briefing__/review.js")[0] == 200
        assert _request(url, "GET", "/__briefing__/review.css")[0] == 200
        assert _request(url, "GET", "/_review/whatever/deeper")[0] == 404
        assert _request(url, "GET", "/_review")[0] == 301
    assert not (bundled / "output" / "_review").exists()
    published = b"".join(p.read_bytes() for p in (bundled / "output").rglob("*.html"))
    assert b"_review" not in published and b"review.js" not in published


def _serve(root: Path, *extra: str) -> tuple[subprocess.Popen[str], int]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--root", str(root), "serve", "--port", str(port), *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            if _request(f"http://127.0.0.1:{port}/", "GET", "/fr/")[0] == 200:
                return proc, port
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            _stop(proc)
            raise AssertionError(f"serve {' '.join(extra)} did not start: {proc.stderr.read() if proc.stderr else ''}")
        time.sleep(0.2)


def _stop(proc: subprocess.Popen[str]) -> str:
    proc.terminate()
    try:
        return proc.communicate(timeout=30)[1]
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate()[1]


def _outward_address() -> str | None:
    """An address of this machine that is not loopback, or None."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outward interface
        except OSError:
            return None
        ip = str(s.getsockname()[0])
    return None if ip.startswith("127.") or ip == "0.0.0.0" else ip


def test_serve_listens_on_loopback_by_default_and_review_answers_this_machine_only(bundled):
    outward = _outward_address()
    if outward is None:
        pytest.skip("this machine has no non-loopback IPv4 address to test from")
    proc, port = _serve(bundled)
    try:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((outward, port), timeout=5).close()  # not listening beyond loopback
    finally:
        _stop(proc)
    proc, port = _serve(bundled, "--host", "0.0.0.0")
    try:
        from_outside = f"http://{outward}:{port}/"
        assert _request(from_outside, "GET", "/fr/")[0] == 200  # the preview is shared on the network...
        assert _request(from_outside, "GET", "/_review/")[0] == 403  # ...the review page is not
        assert _request(from_outside, "GET", f"/_review/{_first_slug(bundled)}/")[0] == 403
        assert _request(f"http://127.0.0.1:{port}/", "GET", "/_review/")[0] == 200
    finally:
        _stop(proc)


def test_loopback_clients_tokens_and_segments_pure():
    assert loopback_client("127.0.0.1") and loopback_client("127.8.9.1") and loopback_client("::1")
    assert loopback_client("::ffff:127.0.0.1")
    assert not loopback_client("192.0.2.2") and not loopback_client("fd00::2") and not loopback_client("")
    assert not loopback_client("::ffff:192.0.2.2") and not loopback_client("localhost")
    assert token_matches("abc", "abc") and not token_matches("abd", "abc") and not token_matches(None, "abc")
    assert not token_matches("é", "abc")
    assert clean_segment("  Two\n lines\tjoined. ") == "Two lines joined."
    with pytest.raises(ValueError, match="empty"):
        clean_segment(" \n ")
    with pytest.raises(ValueError, match="longer than"):
        clean_segment("x" * 6000)


def test_a_plain_form_post_approves_and_a_busy_project_refuses(bundled):
    """Without JavaScript the form posts and comes back (303); while `translate` holds the project: 409."""
    from briefing.translate.memory import HUMAN, Memory
    from briefing.write import project_lock

    slug = _first_slug(bundled)
    en = bundled / "content" / "en" / f"{slug}.md"
    with served(bundled) as url:
        mine = f"http://{urlsplit(url).netloc}"
        token = _token(url, slug)
        fields = {"index": "0", "english": "A  title\nthe desk\tchose.", "token": token}
        before = en.read_bytes()
        with project_lock(bundled, "a translate run in a test"):
            status, body = _approve(url, slug, fields, {"Origin": mine})
        assert status == 409 and b"busy" in body
        assert en.read_bytes() == before
        status, headers, _ = _request(
            url,
            "POST",
            f"/_review/{slug}/approve",
            urlencode(fields),
            {"Origin": mine, "Content-Type": "application/x-www-form-urlencoded"},
        )
        assert status == 303 and headers["Location"] == f"/_review/{slug}/#seg-0"
    text = en.read_text(encoding="utf-8")
    assert "title: A title the desk chose.\n" in text  # one line, single spaces
    memory = Memory(bundled / ".cache" / "translation-memory.sqlite")
    try:
        human = [(r.target, r.origin) for r in memory.rows() if r.origin == HUMAN]
    finally:
        memory.close()
    assert human == [("A title the desk chose.", HUMAN)]


def test_a_broken_english_file_is_named_not_a_traceback(bundled):
    slug = _first_slug(bundled)
    en = bundled / "content" / "en" / f"{slug}.md"
    with served(bundled) as url:
        en.write_text(en.read_text(encoding="utf-8").replace("title:", "title: [", 1), encoding="utf-8")
        status, _, body = _request(url, "GET", f"/_review/{slug}/")
        assert status == 500 and f"{slug}.md:4:14: invalid YAML in front matter".encode() in body
        assert b"Traceback" not in body
        status, _, body = _request(url, "GET", "/_review/")
        assert status == 200 and b"The queue cannot be listed" in body and f"{slug}.md".encode() in body
    assert "Traceback" not in (bundled / "serve.log").read_text()


def test_approving_every_segment_makes_the_article_reviewed_and_the_page_credits_the_desk(bundled):
    import html
    import json

    slug = _first_slug(bundled)
    en = bundled / "content" / "en" / f"{slug}.md"
    with served(bundled) as url:
        mine = f"http://{urlsplit(url).netloc}"
        token = _token(url, slug)
        page = _request(url, "GET", f"/_review/{slug}/")[2].decode()
        fields = re.findall(r'<textarea id="en-(\d+)"[^>]*>([^<]*)</textarea>', page)
        assert len(fields) == page.count('class="review-segment"') > 3
        answers = []
        for index, english in fields:
            headers = {"Origin": mine, "X-Review-Token": token, "Accept": "application/json"}
            status, body = _approve(url, slug, {"index": index, "english": html.unescape(english)}, headers)
            assert status == 200, body
            answers.append(json.loads(body))
        counts = [a["awaiting"] for a in answers]
        # never up; a French sentence met twice (summary and first paragraph) is approved in both places at once
        assert counts == sorted(counts, reverse=True) and counts[0] == len(fields) - 1
        assert answers[-1] == {**answers[-1], "ok": True, "state": "reviewed", "awaiting": 0}
        deadline = time.monotonic() + 15
        while b"Translation reviewed by" not in _request(url, "GET", f"/en/articles/{slug}/")[2]:
            assert time.monotonic() < deadline, "the English page never said it was reviewed"
            time.sleep(0.2)
        assert b"Machine translation" not in _request(url, "GET", f"/en/articles/{slug}/")[2]
        queue = _request(url, "GET", "/_review/")[2]
        assert f'href="/_review/{slug}/"'.encode() not in queue  # nothing of it awaits review
    assert "translation: reviewed" in en.read_text(encoding="utf-8")
