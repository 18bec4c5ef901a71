"""``build.py serve`` over plain HTTP: traversal, 404 pages, the reload script only in served HTML, busy ports."""

from __future__ import annotations

import http.client
import socket
from urllib.parse import urlsplit

from browser import served
from conftest import run_cli

TRAVERSALS = [
    "/../site.yaml",
    "/%2e%2e/site.yaml",
    "/..%2fsite.yaml",
    "/fr/../../site.yaml",
    "//etc/passwd",
    "/assets/../../README.md",
    "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/fr/%2e%2e/%2e%2e/build.py",
    "/..\\site.yaml",
    "/fr/..%5c..%5csite.yaml",
]


def _get(url: str, path: str) -> tuple[int, bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    conn.request("GET", path)
    resp = conn.getresponse()
    return resp.status, resp.read()


def test_paths_outside_output_are_404(bundled):
    (bundled / "secret.txt").write_text("do not serve", encoding="utf-8")
    with served(bundled) as url:
        for path in TRAVERSALS + ["/../secret.txt", "/%2e%2e/secret.txt"]:
            status, body = _get(url, path)
            assert status == 404, path
            assert b"do not serve" not in body and b"base_url" not in body
        status, body = _get(url, "/en/no-such-page/")
        assert status == 404 and b"Page not found" in body  # the site's own English 404 page
        status, body = _get(url, "/fr/")
        assert status == 200 and b'<script src="/__briefing__/reload.js"' in body  # injected in served HTML only
    published = (bundled / "output" / "fr" / "index.html").read_bytes()
    assert b"__briefing__" not in published and b"livereload" not in published


def test_port_in_use_is_a_clear_error(bundled):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        proc = run_cli(bundled, "serve", "--port", str(port), timeout=30)
    assert proc.returncode == 4  # busy, like a held project lock (1 is for content errors)
    assert f"port {port}" in proc.stderr and "already in use" in proc.stderr


def test_serve_marks_english_outdated_or_translates_on_save(bundled):
    """Without --translate the English page says it is outdated; with it, only the new sentence is translated."""
    import time

    from conftest import require_tool

    require_tool("apertium", "engine for serve --translate")
    md = sorted((bundled / "content" / "fr").glob("*.md"))[0]
    en_md = bundled / "content" / "en" / md.name
    page = f"/en/articles/{md.stem}/"
    with served(bundled) as url:
        md.write_text(
            md.read_text(encoding="utf-8").rstrip() + "\n\nLe ministre est rentré à Hanoï.\n", encoding="utf-8"
        )
        deadline = time.monotonic() + 10
        while b"since this machine translation" not in _get(url, page)[1]:
            assert time.monotonic() < deadline, "the English page never said it was outdated"
            time.sleep(0.2)
    assert "rentré" not in en_md.read_text(encoding="utf-8")
    assert run_cli(bundled, "translate", "--engine", "apertium", "--quiet").returncode == 0  # warm the memory
    with served(bundled, ("--translate",)) as url:
        md.write_text(
            md.read_text(encoding="utf-8").rstrip() + "\n\nLa délégation a visité Da Nang.\n", encoding="utf-8"
        )
        deadline = time.monotonic() + 20
        while "Da Nang" not in en_md.read_text(encoding="utf-8").split("---")[-1][-200:]:
            assert time.monotonic() < deadline, "serve --translate did not translate the saved article"
            time.sleep(0.3)
        log = (bundled / "serve.log").read_text()
        assert "1 by the engine" in log, log  # one new sentence; the rest came from the memory
        deadline = time.monotonic() + 10
        while b"since this machine translation" in _get(url, page)[1]:
            assert time.monotonic() < deadline
            time.sleep(0.2)


def test_ctrl_c_stops_the_server_cleanly(bundled):
    import signal
    import subprocess
    import sys
    import time

    from browser import free_port
    from conftest import ROOT

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--root", str(bundled), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            if _get(f"http://127.0.0.1:{port}/", "/fr/")[0] == 200:
                break
        except OSError:
            pass
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0, err
    assert "stopped" in err and "Traceback" not in err
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))  # the port is free again


def test_saving_a_reviewed_english_file_teaches_the_memory_at_once(bundled):
    import time

    from test_translate_desk_cli import review_with_edits

    from briefing.translate.memory import Memory

    with served(bundled):
        fixed = review_with_edits(bundled, 2)  # the editor's save: two sentences rewritten, marked reviewed
        human: dict[str, str] = {}
        deadline = time.monotonic() + 20
        while human != dict(fixed) and time.monotonic() < deadline:
            time.sleep(0.2)
            memory = Memory(bundled / ".cache" / "translation-memory.sqlite")
            human = memory.human_many([fr for fr, _ in fixed])
            memory.close()
    assert human == dict(fixed)
    assert "segment(s) learnt from la-vice-ministre" in (bundled / "serve.log").read_text(encoding="utf-8")
