"""Save → browser reloaded, in a real browser: the editor's wait in ``serve``.

    python bench/preview_latency.py [--n 5000] [--edits 15] [--project DIR]

Generates a project of N articles per language (``bench/generate_corpus.py``; or uses ``--project``), starts
``build.py serve`` on a loopback port, opens one article's English page in Debian's Chromium (Playwright), then
``--edits`` times appends a sentence to that article's English source and times from the write to the moment the
page in the browser shows the sentence (after live reload). Prints each edit (with when the browser began the
reload and when it had the page's HTML: the server's share, then the browser's), the median, min and max, and the
machine's load, which shares the figure.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_connected(base: str, timeout: float = 30) -> None:
    """Until ``serve`` counts a page with its live-reload connection up (a save before that reaches no page)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with urllib.request.urlopen(base + "__briefing__/status", timeout=5) as answer:
            if json.load(answer)["browsers"] > 0:
                return
        time.sleep(0.02)
    raise SystemExit("no live-reload connection from the browser")


def _wait_up(url: str, proc: subprocess.Popen, timeout: float = 1800) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("serve did not start") from None
            time.sleep(0.5)


def _project(args: argparse.Namespace, scratch: Path) -> Path:
    if args.project:
        return args.project
    project = scratch / "project"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate_corpus.py"), str(project), "--n", str(args.n)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return project


# When the reloaded document started loading, its HTML arrived and it was ready, by the browser's own clock (epoch
# ms): not when the harness noticed it
_TIMES = (
    "() => { const n = performance.getEntriesByType('navigation')[0], t = performance.timeOrigin;"
    " return [t, t + n.responseEnd, t + n.domContentLoadedEventEnd]; }"
)


def _measure(page, source: Path, k: int) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """From the write to the reloaded page's navigation start, its HTML received and its DOMContentLoaded (the
    browser's clock), the sentence in it."""
    marker = f"Preview edit {k} {time.time_ns()}"
    text = source.read_text(encoding="utf-8")
    start = time.time() * 1000
    source.write_text(text + f"\n{marker}.\n", encoding="utf-8")
    page.wait_for_function("m => document.body && document.body.innerText.includes(m)", arg=marker, timeout=60000)
    started, received, ready = page.evaluate(_TIMES)
    return started - start, received - start, ready - start


def main() -> None:
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--edits", type=int, default=15)
    ap.add_argument("--project", type=Path)
    args = ap.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="preview-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None))
    project = _project(args, scratch)
    source = sorted((project / "content" / "en").glob("*.md"))[
        len(list((project / "content" / "en").glob("*.md"))) // 2
    ]
    port = _free_port()
    log = open(scratch / "serve.log", "w")
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--root", str(project), "serve", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/en/articles/{source.stem}/"
    try:
        started = time.perf_counter()
        _wait_up(url, proc)
        print(
            f"serve up after {time.perf_counter() - started:.1f} s ({args.n if not args.project else '?'} "
            "articles per language)"
        )
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(url)
            waits, starts, received = [], [], []
            for k in range(args.edits):
                _wait_connected(f"http://127.0.0.1:{port}/")  # the (reloaded) page's live-reload socket is up
                began, got, ready = _measure(page, source, k)
                waits.append(ready)
                starts.append(began)
                received.append(got)
                print(f"edit {k + 1}: {ready:.0f} ms (reload began at {began:.0f}, page received at {got:.0f})")
            browser.close()
        rebuilt = [float(m) for m in re.findall(r"rebuilt in (\d+) ms", (scratch / "serve.log").read_text())][1:]
        if rebuilt:  # the first is the start's full build
            print(f"of which the rebuild, as serve reports it: median {statistics.median(rebuilt):.0f} ms")
        print(
            f"the browser began the reload at {statistics.median(starts):.0f} ms (median), had the page at "
            f"{statistics.median(received):.0f} ms"
        )
        print(
            f"save → browser reloaded: median {statistics.median(waits):.0f} ms, min {min(waits):.0f}, "
            f"max {max(waits):.0f} (n={len(waits)}); load average {os.getloadavg()[0]:.1f} on "
            f"{os.cpu_count()} cores"
        )
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
