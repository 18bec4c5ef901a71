"""``build.py serve``: build, serve ``output/`` on loopback with live reload, rebuild on every change.

* One ``Builder`` for the session: the first build is full, later ones re-parse changed files and
  re-render only the pages whose inputs changed, writing each changed file atomically in place.
* Saves are coalesced: a burst of events gives one rebuild; changes during a rebuild give exactly one more.
* A failed rebuild never replaces the last good site; the error (message, file, line) is printed and
  shown over the open page by a small overlay script, which goes away with the next good build.
* The ``livereload`` package does the watching and the browser protocol; it injects its script into
  HTML *responses* only, so the deployable files never carry it. CSS edits are swapped in place.
"""

from __future__ import annotations

import json
import socket
import sys
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .build import Builder
from .config import Config, load_config
from .errors import BriefingError, SourceError
from .write import PublishReport, project_lock

OVERLAY_TAG = b'<script src="/__briefing__/overlay.js" defer></script>'


@dataclass
class ServeState:
    build: int = 0
    error: dict[str, Any] | None = None
    pending: bool = False
    rebuilds: int = 0
    history: list[float] = field(default_factory=list)


def _error_info(exc: BaseException) -> dict[str, Any]:
    if isinstance(exc, SourceError):
        return {"file": str(exc.path), "line": exc.line, "col": exc.col, "message": exc.message, "excerpt": exc.excerpt}
    return {"file": None, "line": None, "col": None, "message": str(exc), "excerpt": ""}


def rebuild(builder: Builder, state: ServeState, incremental: bool) -> PublishReport | None:
    """One build for the server; prints the outcome and records it for the overlay. Never raises."""
    started = time.strftime("%H:%M:%S")
    state.build += 1
    state.rebuilds += 1
    try:
        with project_lock(builder.cfg.root, "serve rebuild"):
            result = builder.build(incremental=incremental)
    except BriefingError as exc:
        state.error = _error_info(exc)
        print(f"[{started}] build failed, still serving the last good site:\n  {exc}", file=sys.stderr, flush=True)
        return None
    if result.errors:
        state.error = _error_info(result.errors[0])
        if len(result.errors) > 1:
            state.error["message"] += f"\n(+{len(result.errors) - 1} more file(s) with errors: see the terminal)"
        for e in result.errors:
            print(f"[{started}] error: {e}", file=sys.stderr, flush=True)
        print(f"[{started}] build failed, still serving the last good site", file=sys.stderr, flush=True)
        return None
    state.error = None
    state.history.append(result.seconds)
    p = result.publish
    print(
        f"[{started}] rebuilt in {result.seconds * 1000:.0f} ms: {result.rendered} page(s) rendered, "
        f"{len(p.written)} file(s) written",
        file=sys.stderr,
        flush=True,
    )
    return p


def _with_overlay(abspath: str) -> bytes:
    with open(abspath, "rb") as fh:
        return fh.read().replace(b"</head>", OVERLAY_TAG + b"</head>", 1)


def _handlers(state: ServeState):  # type: ignore[no-untyped-def]
    from livereload.handlers import StaticFileHandler
    from tornado import web

    overlay_js = resources.files("briefing").joinpath("static/overlay.js").read_bytes()

    class StatusHandler(web.RequestHandler):
        def get(self) -> None:
            self.set_header("Content-Type", "application/json")
            self.set_header("Cache-Control", "no-store")
            self.finish(json.dumps({"build": state.build, "error": state.error}))

    class OverlayHandler(web.RequestHandler):
        def get(self) -> None:
            self.set_header("Content-Type", "text/javascript; charset=utf-8")
            self.finish(overlay_js)

    class SiteFileHandler(StaticFileHandler):
        """Anything outside ``output/`` is a plain 404 (tornado says 403, which tells a prober the file
        exists somewhere); a missing page shows the site's own 404 page; HTML gets the overlay script."""

        async def get(self, path, include_body=True):  # type: ignore[no-untyped-def]
            try:
                await super().get(path, include_body)
            except web.HTTPError as exc:
                if exc.status_code == 403:
                    raise web.HTTPError(404) from None
                raise

        @classmethod
        def get_content(cls, abspath, start=None, end=None):  # type: ignore[no-untyped-def]
            if abspath.endswith(".html"):
                return _with_overlay(abspath)[start:end]
            return super().get_content(abspath, start, end)

        def get_content_size(self):  # type: ignore[no-untyped-def]
            if self.absolute_path.endswith(".html"):
                return len(_with_overlay(self.absolute_path))
            return super().get_content_size()

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
            self.finish(page.replace(b"</head>", OVERLAY_TAG + b"</head>", 1))

    return StatusHandler, OverlayHandler, SiteFileHandler


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def _auto_translate(cfg: Config, slugs: set[str], state: ServeState) -> None:
    """``serve --translate``: machine-translate the French articles just saved (memory first)."""
    from .build import load_project_taxonomy
    from .sources import load_content
    from .translate.pipeline import translate_articles
    from .translate.setup import translation_session

    try:
        tax = load_project_taxonomy(cfg)
        content = load_content(cfg.content_dir, tax)
        french = [a for s, a in content.articles["fr"].items() if s in slugs]
        if not french:
            return
        warn = lambda message: print(f"warning: {message}", file=sys.stderr, flush=True)  # noqa: E731
        with project_lock(cfg.root, "serve translate"), translation_session(cfg, tax, warn=warn) as tr:
            report = translate_articles(french, content.articles["en"], cfg.content_dir / "en", tr, tax=tax)
        print(
            f"translated {len(report.written)} article(s): {report.memory_hits} segment(s) from memory, "
            f"{report.engine_segments} by the engine",
            file=sys.stderr,
            flush=True,
        )
    except BriefingError as exc:
        state.error = _error_info(exc)
        print(f"auto-translate failed: {exc}", file=sys.stderr, flush=True)


def serve(
    cfg: Config, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False, translate: bool = False
) -> int:
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from tornado import ioloop

    if not _port_free(host, port):
        raise BriefingError(
            f"port {port} on {host} is already in use: stop the other server or pick another with --port"
        )
    cfg = cfg.for_serve(f"http://{host}:{port}/")
    builder = Builder(cfg)
    state = ServeState()
    rebuild(builder, state, incremental=False)
    status_h, overlay_h, site_h = _handlers(state)

    class PortalServer(Server):
        def get_web_handlers(self, script):  # type: ignore[no-untyped-def]
            return [
                (r"/__briefing__/status", status_h),
                (r"/__briefing__/overlay.js", overlay_h),
            ] + super().get_web_handlers(script)

    server = PortalServer()
    server.SFH = site_h

    def inputs() -> dict[str, tuple[int, int]]:
        snap: dict[str, tuple[int, int]] = {}
        for folder in (cfg.content_dir, cfg.templates_dir, cfg.theme_dir):
            for p in folder.rglob("*"):
                try:
                    st = p.stat()
                except OSError:
                    continue
                snap[str(p)] = (st.st_mtime_ns, st.st_size)
        try:
            st = (cfg.root / "site.yaml").stat()
            snap["site.yaml"] = (st.st_mtime_ns, st.st_size)
        except OSError:
            pass
        return snap

    last_inputs = inputs()

    def run() -> None:
        nonlocal last_inputs
        state.pending = False
        # livereload's poll reports one changed file per pass; ten saves would look like ten changes.
        # Rebuild only when the inputs really differ from what the last build saw.
        nonlocal builder
        now = inputs()
        if now == last_inputs:
            return
        fr_dir = str(cfg.content_dir / "fr") + "/"
        changed_fr = {
            Path(k).stem
            for k in set(now) | set(last_inputs)
            if k.startswith(fr_dir) and k.endswith(".md") and now.get(k) != last_inputs.get(k)
        }
        config_changed = now.get("site.yaml") != last_inputs.get("site.yaml")
        last_inputs = now
        if translate and changed_fr:
            _auto_translate(builder.cfg, changed_fr, state)
            last_inputs = inputs()  # the English files just written are ours, not a new change
        if config_changed:
            try:
                builder = Builder(load_config(cfg.root).for_serve(builder.cfg.base_url))
            except BriefingError as exc:
                state.build += 1
                state.error = _error_info(exc)
                print(f"site.yaml: {exc}", file=sys.stderr, flush=True)
                return
        report = rebuild(builder, state, incremental=not config_changed)
        if report is None or not report.written:
            return
        # tell the browsers ourselves: livereload's own poll drops any change that comes within
        # ~3 s of the previous reload, which would leave an editor looking at a stale page
        css = sorted(p for p in report.written if p.endswith(".css"))
        LiveReloadHandler.reload_waiters(css[0] if css and len(css) == len(report.written) else "*")

    def trigger() -> None:
        # coalesce: every watched path that changed in one pass calls this; rebuild once, just after
        if not state.pending:
            state.pending = True
            ioloop.IOLoop.current().call_later(0.05, run)

    for path in (cfg.content_dir, cfg.templates_dir, cfg.theme_dir, cfg.root / "site.yaml"):
        server.watch(str(path), trigger, delay=0.2)
    print(f"serving {cfg.output_dir} at http://{host}:{port}/  (Ctrl-C to stop)", file=sys.stderr, flush=True)
    import signal

    def stop(signum, frame):  # type: ignore[no-untyped-def]
        # stop the loop between callbacks rather than raising in the middle of a rebuild
        loop = ioloop.IOLoop.current()
        loop.add_callback_from_signal(loop.stop)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve(
            host=host,
            port=port,
            root=str(cfg.output_dir),
            open_url_delay=1 if open_browser else None,
            restart_delay=0,
            live_css=True,
        )
    except KeyboardInterrupt:
        pass  # livereload usually handles Ctrl-C itself and returns
    print("stopped", file=sys.stderr, flush=True)
    return 0
