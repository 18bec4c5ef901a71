"""Live preview, measured the same way for every server: the project's ``serve`` and ``hugo server`` (fast
render, and ``--disableFastRender``) each run as a process of their own, with their output on disk. The
edited article's page is first requested over HTTP (as an open browser tab does; Hugo's fast render
re-renders the pages visited), then one sentence is appended to its source and the clock runs from that
write to the moment the page on disk contains the sentence (polled every 5 ms): save → rebuilt.
The rebuild time each tool prints about itself ("rebuilt in …", "Total in …") is recorded beside it.
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench_measure import PeakMemory, Sample, machine_busy, others_cpu, own_cpu, tree_cpu
from bench_sites import ROOT, append_edit, edit_marker

POLL_SECONDS = 0.005
READY_TIMEOUT = 1800.0
REBUILD_TIMEOUT = 120.0
SELF_REPORT = re.compile(r"(?:rebuilt|Total) in ([\d.]+) (ms|s)\b")


@dataclass(frozen=True)
class ServerSpec:
    """How to start one live-preview server and where to see its work."""

    name: str
    cmd: list[str]
    cwd: Path
    page: Path  # the edited article's page on disk
    url: str  # the same page over HTTP
    source: Path  # the edited article's source


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def project_server(project: Path, slug: str, source: Path) -> ServerSpec:
    port = free_port()
    cmd = [sys.executable, str(ROOT / "build.py"), "--root", str(project), "serve", "--port", str(port)]
    page = project / "output" / "fr" / "articles" / slug / "index.html"
    return ServerSpec("project serve", cmd, project, page, f"http://127.0.0.1:{port}/fr/articles/{slug}/", source)


def hugo_server(hugo: Path, site: Path, slug: str, source: Path, fast: bool) -> ServerSpec:
    port = free_port()
    cmd = [str(hugo), "server", "--source", str(site), "--destination", "out-serve", "--port", str(port)]
    cmd += ["--bind", "127.0.0.1"] + ([] if fast else ["--disableFastRender"])
    page = site / "out-serve" / "fr" / "articles" / slug / "index.html"
    name = "hugo server (fast render)" if fast else "hugo server --disableFastRender"
    return ServerSpec(name, cmd, site, page, f"http://127.0.0.1:{port}/fr/articles/{slug}/", source)


def last_self_report_ms(log_text: str) -> float | None:
    """The last rebuild time a server printed about itself, in ms."""
    found = SELF_REPORT.findall(log_text)
    if not found:
        return None
    value, unit = found[-1]
    return float(value) * (1000 if unit == "s" else 1)


class RunningServer:
    """A server process, its log file and a sampler of its tree's memory; ``stop`` ends it (SIGINT)."""

    def __init__(self, spec: ServerSpec, log: Path) -> None:
        self.spec = spec
        self.log = log
        self._log_file = log.open("wb")
        self.proc = subprocess.Popen(spec.cmd, cwd=spec.cwd, stdout=self._log_file, stderr=subprocess.STDOUT)
        self.memory = PeakMemory(self.proc.pid)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_ready(self) -> None:
        """Until the edited page answers over HTTP (the first build is done); that request is the visit."""
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"{self.spec.name} exited:\n{self.log_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.spec.url, timeout=5) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"{self.spec.name}: not ready after {READY_TIMEOUT:.0f} s")

    def stop(self) -> float:
        """End the server; returns its peak PSS (MB) over the session."""
        peak = self.memory.stop()
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._log_file.close()
        return peak


def _page_has(page: Path, marker: str) -> bool:
    try:
        return marker in page.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def save_to_rebuilt(server: RunningServer, k: int) -> tuple[Sample, float | None]:
    """One edit: (save → page on disk rebuilt, as a Sample; the tool's own rebuild time in ms, or None)."""
    marker, pid = edit_marker(k), server.proc.pid
    reports_before = len(SELF_REPORT.findall(server.log_text()))
    machine0, own0, tree0 = machine_busy(), own_cpu(), tree_cpu(pid)
    t0 = time.perf_counter()
    append_edit(server.spec.source, k)
    while not _page_has(server.spec.page, marker):
        if time.perf_counter() - t0 > REBUILD_TIMEOUT:
            raise SystemExit(f"{server.spec.name}: page not rebuilt {REBUILD_TIMEOUT:.0f} s after the save")
        time.sleep(POLL_SECONDS)
    wall = time.perf_counter() - t0
    cpu = tree_cpu(pid) - tree0
    machine, own = machine_busy() - machine0, own_cpu() - own0
    reported = _wait_self_report(server, reports_before)
    return Sample(wall=wall, cpu=cpu, others=others_cpu(machine, cpu, own)), reported


def _wait_self_report(server: RunningServer, before: int, timeout: float = 10.0) -> float | None:
    """The tool's own report of this rebuild, once it has printed it (it may finish writing after our page)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = server.log_text()
        if len(SELF_REPORT.findall(text)) > before:
            return last_self_report_ms(text)
        time.sleep(0.02)
    return None
