"""``build.py serve``: build, serve ``output/`` on loopback with live reload, rebuild on every change.

Uses the ``livereload`` package: it watches the project's inputs, debounces bursts of saves, serves
the site and injects its reload script into HTML *responses* only, so the deployable files never
carry it. A failed rebuild never replaces the last good site (``publish`` swaps only on success);
the error is printed with its file and line, and the next good build reloads the page.
"""

from __future__ import annotations

import errno
import socket
import sys
import time

from .build import build
from .config import Config
from .errors import BriefingError
from .write import PublishReport, project_lock


def _static_handler():  # type: ignore[no-untyped-def]
    """livereload's static handler, but anything outside ``output/`` is a plain 404 (tornado says 403,
    which tells a prober the file exists somewhere), and a missing page shows the site's own 404 page."""
    from livereload.handlers import StaticFileHandler
    from tornado import web

    class SiteFileHandler(StaticFileHandler):
        async def get(self, path, include_body=True):  # type: ignore[no-untyped-def]
            try:
                await super().get(path, include_body)
            except web.HTTPError as exc:
                if exc.status_code == 403:
                    raise web.HTTPError(404) from None
                raise

        def write_error(self, status_code, **kwargs):  # type: ignore[no-untyped-def]
            page = None
            if status_code == 404:
                lang = "en" if self.request.path.startswith("/en/") else "fr"
                for candidate in (f"{lang}/404.html", "404.html"):
                    try:
                        with open(f"{self.root}/{candidate}", "rb") as fh:
                            page = fh.read()
                        break
                    except OSError:
                        continue
            if page is None:
                return super().write_error(status_code, **kwargs)
            self.set_header("Content-Type", "text/html; charset=UTF-8")
            self.finish(page)

    return SiteFileHandler


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def rebuild(cfg: Config) -> PublishReport | None:
    """One build for the server; prints the outcome, never raises. ``None`` when it failed."""
    started = time.strftime("%H:%M:%S")
    try:
        with project_lock(cfg.root, "serve rebuild"):
            result = build(cfg)
    except BriefingError as exc:
        print(f"[{started}] build failed, still serving the last good site:\n  {exc}", file=sys.stderr, flush=True)
        return None
    if result.errors:
        for e in result.errors:
            print(f"[{started}] error: {e}", file=sys.stderr, flush=True)
        print(f"[{started}] build failed, still serving the last good site", file=sys.stderr, flush=True)
        return None
    p = result.publish
    print(f"[{started}] rebuilt in {result.seconds:.2f}s: {len(p.written)} file(s) changed", file=sys.stderr, flush=True)
    return p


def serve(cfg: Config, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False) -> int:
    from livereload import Server

    if not _port_free(host, port):
        raise BriefingError(f"port {port} on {host} is already in use: stop the other server or pick another "
                            f"with --port")
    from livereload.handlers import LiveReloadHandler

    cfg = cfg.for_serve(f"http://{host}:{port}/")
    rebuild(cfg)
    server = Server()
    server.SFH = _static_handler()

    def trigger() -> None:
        report = rebuild(cfg)
        if report is None or not report.written:
            return
        # tell the browsers ourselves: livereload's own poll drops any change that comes within
        # ~3 s of the previous reload, which would leave an editor looking at a stale page
        css = sorted(p for p in report.written if p.endswith(".css"))
        LiveReloadHandler.reload_waiters(css[0] if css and len(css) == len(report.written) else "*")

    for path in (cfg.content_dir, cfg.templates_dir, cfg.theme_dir, cfg.root / "site.yaml"):
        server.watch(str(path), trigger, delay=0.2)
    print(f"serving {cfg.output_dir} at http://{host}:{port}/  (Ctrl-C to stop)", file=sys.stderr, flush=True)
    try:
        server.serve(host=host, port=port, root=str(cfg.output_dir), open_url_delay=1 if open_browser else None,
                     restart_delay=0, live_css=True)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise BriefingError(f"port {port} on {host} is already in use") from exc
        raise
    except KeyboardInterrupt:
        print("\nstopped", file=sys.stderr)
    return 0
