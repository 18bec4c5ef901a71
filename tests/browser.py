"""Helpers for browser tests: a served portal on a free loopback port, and Debian's Chromium via Playwright."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from conftest import ROOT, require_tool

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def served(root: Path, extra: tuple[str, ...] = ()) -> Iterator[str]:
    port = free_port()
    log = open(root / "serve.log", "w")
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--root", str(root), "serve", "--port", str(port), *extra],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ},
        cwd=root,  # as an editor runs it: from the project folder
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "fr/", timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("serve did not start:\n" + (root / "serve.log").read_text()) from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def static_files(folder: Path, port: int) -> Iterator[str]:
    """``folder`` served as plain static files, no header of ours (as GitHub Pages serves a site)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    exe = require_tool("chromium", "real-browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def wait_live(url: str, browsers: int = 1, timeout: float = 10.0) -> None:
    """Until the server counts ``browsers`` pages with their live-reload connection up: a save made before a
    page's connection is up reaches no browser, so a test that saves first waits for this."""
    deadline = time.monotonic() + timeout
    while True:
        with urllib.request.urlopen(url + "__briefing__/status", timeout=2) as answer:
            if json.load(answer)["browsers"] >= browsers:
                return
        if time.monotonic() > deadline:
            raise AssertionError(f"no live-reload connection from {browsers} page(s) after {timeout} s")
        time.sleep(0.05)
