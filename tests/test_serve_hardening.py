"""``serve`` under a careless user and a hostile web page: bad arguments, busy locks, failing callbacks, a broken
first build, odd requests, other origins and hosts, and the preview's own Content-Security-Policy."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import chromium, free_port, served, wait_live
from conftest import ROOT, run_cli


def _request(url: str, method: str, path: str, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    conn.request(method, path, headers=headers or {})
    resp = conn.getresponse()
    return resp.status, dict(resp.getheaders()), resp.read()


def _status(url: str) -> dict:  # type: ignore[type-arg]
    return json.loads(_request(url, "GET", "/__briefing__/status")[2])


def _wait(check, what: str, timeout: float = 15) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


# --- arguments ---


@pytest.mark.parametrize(
    "args, says",
    [
        (("--port", "99999"), "--port: must be a port number from 1 to 65535"),
        (("--port", "0"), "--port: must be a port number"),
        (("--host", "no-such-host.invalid"), "--host: unknown host 'no-such-host.invalid'"),
    ],
)
def test_bad_port_or_host_is_a_usage_error(bundled, args, says):
    proc = run_cli(bundled, "serve", *args, timeout=30)
    assert proc.returncode == 2, proc.stderr
    assert says in proc.stderr and "Traceback" not in proc.stderr and "already in use" not in proc.stderr


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
    except OSError:
        return False
    return True


def test_ipv6_loopback_serves(bundled):
    if not _ipv6_loopback():
        pytest.skip("this machine has no IPv6 loopback")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--root", str(bundled), "serve", "--host", "::1", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:

        def up() -> bool:
            assert proc.poll() is None, proc.communicate()[1]
            try:
                conn = http.client.HTTPConnection("::1", port, timeout=2)
                conn.request("GET", "/fr/")
                return conn.getresponse().status == 200
            except OSError:
                return False

        _wait(up, "serve --host ::1 never answered on [::1]")
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=15)
    assert f"http://[::1]:{port}/" in err and "already in use" not in err


# --- requests ---


def test_odd_requests_get_the_right_answers(bundled):
    with served(bundled) as url:
        for path in ("/%00", "/fr/%00index.html", "/assets/%00"):
            assert _request(url, "GET", path)[0] == 404, path
        css = next(p.name for p in (bundled / "output" / "assets").iterdir() if p.suffix == ".css")
        for path in ("/fr/", "/en/no-such-page/", f"/assets/{css}", "/"):
            get_status, get_headers, body = _request(url, "GET", path)
            head_status, head_headers, _ = _request(url, "HEAD", path)
            assert head_status == get_status, path
            assert head_headers.get("Content-Length") == get_headers.get("Content-Length") == str(len(body)), path


def _handshake(url: str, path: str, headers: dict[str, str]) -> int:
    base = {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    }
    return _request(url, "GET", path, {**base, **headers})[0]


def test_reload_endpoints_answer_this_server_only(bundled):
    with served(bundled) as url:
        here = urlsplit(url).netloc
        mine = f"http://{here}"
        assert _handshake(url, "/livereload", {"Origin": mine}) == 101
        assert _handshake(url, "/livereload", {"Origin": "http://evil.example"}) == 403
        assert _handshake(url, "/livereload", {"Origin": "http://evil.example", "Host": "evil.example"}) == 403
        assert _handshake(url, "/livereload", {"Host": f"rebound.example:{urlsplit(url).port}"}) == 403
        assert _request(url, "GET", "/forcereload", {"Origin": mine})[0] == 200
        assert _request(url, "GET", "/forcereload", {"Origin": "http://evil.example"})[0] == 403
        assert _request(url, "GET", "/forcereload", {"Host": f"rebound.example:{urlsplit(url).port}"})[0] == 403
        status, _, body = _request(
            url, "GET", "/__briefing__/status", {"Host": f"rebound.example:{urlsplit(url).port}"}
        )
        assert status == 403 and b"error" not in body
        assert _request(url, "GET", "/fr/", {"Host": f"localhost:{urlsplit(url).port}"})[0] == 200


# --- the browser: a CSP the preview's own pages satisfy ---


def test_the_preview_has_a_csp_its_pages_live_reload_and_overlay_satisfy(bundled):
    md = sorted((bundled / "content" / "fr").glob("*.md"))[0]
    with served(bundled) as url, chromium() as browser:
        status, headers, body = _request(url, "GET", "/fr/")
        policy = headers.get("Content-Security-Policy", "")
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert b"<script>" not in body and b'<script type="text/javascript">' not in body  # nothing inline
        page = browser.new_page()
        page.add_init_script(
            "window.__violations = [];"
            "document.addEventListener('securitypolicyviolation', e => window.__violations.push("
            "e.violatedDirective + ' ' + e.blockedURI));"
        )
        page.goto(f"{url}fr/articles/{md.stem}/")
        wait_live(url)
        text = md.read_text(encoding="utf-8")
        md.write_text(text.rstrip() + "\n\nPhrase ajoutée sous CSP.\n", encoding="utf-8")
        # 30 s: a CI machine running other suites beside this one once took over 10 s to rebuild and reload
        page.wait_for_function('() => document.body.innerText.includes("Phrase ajoutée sous CSP.")', timeout=30000)
        md.write_text(text.replace("title:", "title: [", 1), encoding="utf-8")  # broken YAML: the overlay
        page.wait_for_selector("#briefing-build-error", timeout=30000)
        assert page.evaluate("window.__violations") == []
        page.goto(f"{url}fr/search/")
        page.wait_for_timeout(500)
        assert page.evaluate("window.__violations") == []


def test_an_open_page_is_reloaded_only_by_a_rebuild(bundled):
    """livereload's own watcher (off) reloaded every open page once after the start and whenever any file of the
    working folder changed, walking it every 0.8 s: a reader's page reloaded under them, a navigation aborted."""
    md = sorted((bundled / "content" / "fr").glob("*.md"))[0]
    with served(bundled) as url, chromium() as browser:
        page = browser.new_page()
        page.goto(f"{url}fr/articles/{md.stem}/")
        wait_live(url)
        page.evaluate("window.__same_page = true")
        (bundled / "notes-de-l-editeur.txt").write_text("une note", encoding="utf-8")  # not an input
        (bundled / "output" / "fr" / "stray.txt").write_text("x", encoding="utf-8")
        page.wait_for_timeout(2500)  # three of livereload's polls
        assert page.evaluate("window.__same_page === true")  # never reloaded
        md.write_text(md.read_text(encoding="utf-8").rstrip() + "\n\nUne phrase de plus.\n", encoding="utf-8")
        page.wait_for_function('() => document.body.innerText.includes("Une phrase de plus.")', timeout=30000)


# --- the session: busy locks, failing callbacks, a broken first build, site.yaml ---


@contextmanager
def _serving_raw(root: Path, *extra: str):  # type: ignore[no-untyped-def]
    """serve started without waiting for a good first build."""
    port = free_port()
    log = open(root / "serve.log", "w")
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--root", str(root), "serve", "--port", str(port), *extra],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:

        def up() -> bool:
            assert proc.poll() is None, (root / "serve.log").read_text()
            try:
                return _request(url, "GET", "/__briefing__/status")[0] == 200
            except OSError:
                return False

        _wait(up, "serve never answered")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        log.close()


def test_a_broken_first_build_shows_the_overlay(bundled):
    md = sorted((bundled / "content" / "fr").glob("*.md"))[0]
    text = md.read_text(encoding="utf-8")
    md.write_text(text.replace("title:", "title: [", 1), encoding="utf-8")
    with _serving_raw(bundled) as url:
        _wait(lambda: _status(url)["error"] is not None, "the first build's error never reached the overlay")
        assert md.name in _status(url)["error"]["file"]
        status, headers, body = _request(url, "GET", "/fr/")
        assert status == 404 and b'<script src="/__briefing__/overlay.js"' in body
        assert "Content-Security-Policy" in headers
        md.write_text(text, encoding="utf-8")
        _wait(lambda: _request(url, "GET", "/fr/")[0] == 200, "the fixed file was never built")
        assert _status(url)["error"] is None


def test_a_save_while_the_project_is_busy_is_built_when_it_is_free(bundled):
    from briefing.write import project_lock

    md = sorted((bundled / "content" / "fr").glob("*.md"))[0]
    page = f"/fr/articles/{md.stem}/"
    with served(bundled) as url:
        with project_lock(bundled, "a test holding the lock"):
            md.write_text(md.read_text(encoding="utf-8").rstrip() + "\n\nSauvé pendant le verrou.\n", encoding="utf-8")
            time.sleep(2.5)
            assert "Sauvé pendant le verrou".encode() not in _request(url, "GET", page)[2]
        _wait(lambda: "Sauvé pendant le verrou".encode() in _request(url, "GET", page)[2], "the busy save was lost", 10)


def test_a_plain_error_in_auto_translate_is_shown_and_the_next_save_recovers(bundled):
    from conftest import require_tool

    require_tool("apertium", "engine for serve --translate")
    glossary = bundled / "content" / "glossary.yaml"
    good = glossary.read_text(encoding="utf-8")
    md = sorted((bundled / "content" / "fr").glob("*.md"))[0]
    en_md = bundled / "content" / "en" / md.name
    with _serving_raw(bundled, "--translate") as url:
        glossary.write_text("- une liste\n- au lieu d'un dictionnaire\n", encoding="utf-8")
        md.write_text(md.read_text(encoding="utf-8").rstrip() + "\n\nLa délégation a visité Hué.\n", encoding="utf-8")
        _wait(lambda: _status(url)["error"] is not None, "the failure never reached the overlay")
        assert "auto-translate failed" in _status(url)["error"]["message"]
        fr_page = f"/fr/articles/{md.stem}/"
        _wait(lambda: "visité Hué".encode() in _request(url, "GET", fr_page)[2], "the French edit was not built")
        glossary.write_text(good, encoding="utf-8")
        md.write_text(md.read_text(encoding="utf-8").rstrip() + "\n\nElle est rentrée à Hanoï.\n", encoding="utf-8")
        _wait(lambda: "Hanoi" in en_md.read_text(encoding="utf-8").split("---")[-1][-300:], "no recovery", 30)
        _wait(lambda: _status(url)["error"] is None, "the overlay kept the old error")


def test_serve_reloads_site_yaml(bundled):
    site = bundled / "site.yaml"
    with served(bundled) as url:
        site.write_text(
            site.read_text(encoding="utf-8").replace("fr: Briefing diplomatique du Vietnam", "fr: Briefing RELU", 1),
            encoding="utf-8",
        )
        _wait(lambda: b"Briefing RELU" in _request(url, "GET", "/fr/")[2], "site.yaml was not reloaded", 10)
    assert os.path.exists(bundled / "output" / "fr" / "index.html")
