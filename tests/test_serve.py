"""``build.py serve`` over plain HTTP: traversal, 404 pages, the reload script only in served HTML, busy ports."""

from __future__ import annotations

import http.client
import socket
from urllib.parse import urlsplit

import pytest

from browser import served
from conftest import run_cli

TRAVERSALS = ["/../site.yaml", "/%2e%2e/site.yaml", "/..%2fsite.yaml", "/fr/../../site.yaml", "//etc/passwd",
              "/assets/../../README.md", "/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/fr/%2e%2e/%2e%2e/build.py",
              "/..\\site.yaml", "/fr/..%5c..%5csite.yaml"]


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
        assert status == 200 and b"livereload.js" in body  # injected in served HTML only
    assert b"livereload" not in (bundled / "output" / "fr" / "index.html").read_bytes()


def test_port_in_use_is_a_clear_error(bundled):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        proc = run_cli(bundled, "serve", "--port", str(port), timeout=30)
    assert proc.returncode == 1
    assert f"port {port}" in proc.stderr and "already in use" in proc.stderr
