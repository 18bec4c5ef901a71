"""``build.py serve``: build, serve ``output/`` on loopback with live reload, rebuild on every change.

* One ``BuildSession`` (``session.py``): the first build is full, later ones re-parse changed files and
  re-render only the pages whose inputs changed, writing each changed file atomically in place.
* Saves are coalesced: a burst of events gives one rebuild; changes during a rebuild give exactly one more.
* A failed rebuild never replaces the last good site; the error (message, file, line) is printed and
  shown over the open page by a small overlay script, which goes away with the next good build.
* A save made while another command holds the project lock is built as soon as the lock is free; a
  failure anywhere in a rebuild (even a plain Python error) is shown in the overlay, and the next save
  rebuilds as usual.
* ``watch.py`` hears saves from the kernel (inotify, through ``watchfiles``) with the paths that changed, so
  only those are stat'ed again. The ``livereload`` package does the browser protocol; ``serve_http`` serves the site
  with the dev scripts in HTML *responses* only, so the deployable files never carry them. CSS edits are
  swapped in place.
"""

from __future__ import annotations

import errno
import secrets
import socket
import stat
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import Config, load_config
from .errors import BriefingError, LockError, SourceError
from .session import BuildSession
from .write import PublishReport, output_lock, project_lock

BUSY_RETRY_SECONDS = 0.5


@dataclass
class ServeState:
    build: int = 0
    error: dict[str, Any] | None = None
    pending: bool = False
    busy: bool = False  # the last rebuild found the project or output folder locked: retry it
    rebuilds: int = 0


def _error_info(exc: BaseException) -> dict[str, Any]:
    if isinstance(exc, SourceError):
        return {"file": str(exc.path), "line": exc.line, "col": exc.col, "message": exc.message, "excerpt": exc.excerpt}
    message = str(exc) if isinstance(exc, BriefingError) else f"internal error: {type(exc).__name__}: {exc}"
    return {"file": None, "line": None, "col": None, "message": message, "excerpt": ""}


def rebuild(builder: BuildSession, state: ServeState, changed: set[Path] | None = None) -> PublishReport | None:
    """One build for the server (``changed``: the files the watcher reported, None for any); prints the outcome
    and records it for the overlay. Never raises."""
    started = time.strftime("%H:%M:%S")
    state.build += 1
    state.rebuilds += 1
    state.busy = False
    try:
        with project_lock(builder.cfg.root, "serve rebuild"), output_lock(builder.cfg.output_dir, "serve rebuild"):
            result = builder.build(changed=changed)
    except LockError as exc:
        state.busy = True
        print(f"[{started}] {exc}; building as soon as it is free", file=sys.stderr, flush=True)
        return None
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
    p = result.publish
    print(
        f"[{started}] rebuilt in {result.seconds * 1000:.0f} ms: {result.rendered} page(s) rendered, "
        f"{len(p.written)} file(s) written",
        file=sys.stderr,
        flush=True,
    )
    return p


def listen_address(host: str, port: int) -> tuple[str, str]:
    """(the address to listen on, the URL host part) for ``--host``; ``BriefingError`` (exit 2 from the command
    line's own check) for a name that does not resolve, ``LockError`` (exit 4) when the port is taken."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise BriefingError(f"serve: unknown host {host!r}: give an address of this machine, e.g. 127.0.0.1") from None
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise LockError(
                    f"port {port} on {host} is already in use: stop the other server or pick another with --port"
                ) from None
            raise BriefingError(f"serve: cannot listen on {host} port {port}: {exc.strerror}") from None
    ip = str(address[0])
    return ip, f"[{ip}]" if family == socket.AF_INET6 else ip


def _auto_translate(cfg: Config, slugs: set[str]) -> dict[str, Any] | None:
    """``serve --translate``: machine-translate the French articles just saved (memory first). Returns the
    problem for the overlay (a failed translation must not stop the rebuild that shows the French edit)."""
    from .sources import load_content, load_project_taxonomy
    from .translate.pipeline import translate_articles
    from .translate.setup import translation_session

    try:
        tax = load_project_taxonomy(cfg)
        content = load_content(cfg.content_dir, tax)
        french = [a for s, a in content.articles["fr"].items() if s in slugs]
        if not french:
            return None
        warn = lambda message: print(f"warning: {message}", file=sys.stderr, flush=True)  # noqa: E731
        with project_lock(cfg.root, "serve translate"), translation_session(cfg, tax, warn=warn) as tr:
            report = translate_articles(french, content.articles["en"], cfg.content_dir / "en", tr, tax=tax)
    except Exception as exc:  # any failure, ours or a library's: reported, and the session goes on
        info = _error_info(exc)
        info["message"] = f"auto-translate failed: {info['message']}"
        print(info["message"], file=sys.stderr, flush=True)
        return info
    print(
        f"translated {len(report.written)} article(s): {report.memory_hits} segment(s) from memory, "
        f"{report.engine_segments} by the engine",
        file=sys.stderr,
        flush=True,
    )
    return None


def _snapshot(cfg: Config) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every input file a rebuild reads: content, templates, theme, site.yaml. (Not folders: a
    folder changes with its files, which are here.)"""
    snap: dict[str, tuple[int, int]] = {}
    for folder in (cfg.content_dir, cfg.templates_dir, cfg.theme_dir):
        for p in folder.rglob("*"):
            try:
                st = p.stat()
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                snap[str(p)] = (st.st_mtime_ns, st.st_size)
    try:
        st = (cfg.root / "site.yaml").stat()
        snap["site.yaml"] = (st.st_mtime_ns, st.st_size)
    except OSError:
        pass
    return snap


def _restat(snap: dict[str, tuple[int, int]], cfg: Config, changed: set[Path]) -> dict[str, tuple[int, int]]:
    """``snap`` with the ``changed`` paths the watcher reported stat'ed again, rather than every input; a changed
    folder (made, moved in or out) is read whole again."""
    if any(p.is_dir() for p in changed):
        return _snapshot(cfg)
    now = dict(snap)
    for path in changed:
        key = "site.yaml" if path == cfg.root / "site.yaml" else str(path)
        try:
            st = path.stat()
        except OSError:
            now.pop(key, None)
            continue
        now[key] = (st.st_mtime_ns, st.st_size)
    return now


class Session:
    """What a live preview remembers between saves: the builder, the inputs the last build saw, the state the
    overlay shows. ``run`` is the one callback the watcher triggers; it never raises."""

    def __init__(self, cfg: Config, translate: bool) -> None:
        self.cfg = cfg
        self.translate = translate
        self.builder = BuildSession(cfg)
        self.state = ServeState()
        self.seen = _snapshot(cfg)

    def run(self, changed: set[Path] | None = None) -> PublishReport | None:
        """Rebuild if the inputs differ from what the last build saw: ``changed``, the paths the watcher reported
        (None: look at every input)."""
        self.state.pending = False
        before = self.seen
        try:
            report = self._run(changed)
        except Exception as exc:  # a bug or a library's error: shown in the overlay; the next save tries again
            self.state.build += 1
            self.state.error = _error_info(exc)
            print(f"rebuild failed: {self.state.error['message']}", file=sys.stderr, flush=True)
            return None
        if self.state.busy:
            self.seen = before  # not built: the same change is still to do
        return report

    def _run(self, changed: set[Path] | None) -> PublishReport | None:
        # A save can raise several events, and a file saved unchanged raises one too: rebuild only when the inputs
        # really differ from what the last build saw.
        now = _snapshot(self.cfg) if changed is None else _restat(self.seen, self.cfg, changed)
        if now == self.seen and not self.state.busy:
            return None
        differ = {k for k in set(now) | set(self.seen) if now.get(k) != self.seen.get(k)}
        fr_dir, en_dir = (str(self.cfg.content_dir / lang) + "/" for lang in ("fr", "en"))
        changed_fr = {Path(k).stem for k in differ if k.startswith(fr_dir) and k.endswith(".md")}
        saved_en = {Path(k).stem for k in differ & set(now) if k.startswith(en_dir) and k.endswith(".md")}
        config_changed = "site.yaml" in differ
        self.seen = now
        problem = None
        if saved_en:
            _learn_saved(self.builder.cfg, saved_en)
        if self.translate and changed_fr:
            problem = _auto_translate(self.builder.cfg, changed_fr)
            self.seen = _snapshot(self.cfg)  # the English files just written are ours, not a new change
        if config_changed:
            try:
                self.builder = BuildSession(load_config(self.cfg.root).for_serve(self.builder.cfg.base_url))
            except BriefingError as exc:
                self.state.build += 1
                self.state.error = _error_info(exc)
                print(f"site.yaml: {exc}", file=sys.stderr, flush=True)
                return None
        # the build looks only at the files that differ, unless files changed that the watcher did not report
        # (the English that translation just wrote) or the session is new (site.yaml)
        known = changed is not None and not (self.translate and changed_fr) and not config_changed
        report = rebuild(self.builder, self.state, {Path(k) for k in differ} if known else None)
        if problem is not None and self.state.error is None:
            self.state.error = problem
        return report


def _learn_saved(cfg: Config, slugs: set[str]) -> None:
    """A reviewed English file saved in the editor teaches the memory at once (the desk's English for those
    French sentences wherever they come back), as ``translate`` would on its next run. Never stops a rebuild."""
    from .translate.desk import learn_reviewed, open_memory

    try:
        with project_lock(cfg.root, "serve learn"), open_memory(cfg) as memory:
            learnt = learn_reviewed(cfg, sorted(slugs), memory)
    except Exception as exc:  # the memory locked or unreadable: said, and the preview goes on
        print(f"warning: the memory did not learn from {', '.join(sorted(slugs))}: {exc}", file=sys.stderr, flush=True)
        return
    for item in learnt:
        notes = f" ({'; '.join(item.notes)})" if item.notes else ""
        print(f"memory: {item.stored} segment(s) learnt from {item.slug}{notes}", file=sys.stderr, flush=True)


class _Rebuilds:
    """When ``serve`` rebuilds: the watcher's events coalesced into one rebuild just after them (events during a
    rebuild give exactly one more), a busy project retried, then the open browsers told to reload."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.changed: set[Path] = set()

    def trigger(self, paths: set[Path]) -> None:
        from tornado import ioloop

        self.changed.update(paths)
        if not self.session.state.pending:
            self.session.state.pending = True
            ioloop.IOLoop.current().call_later(0.01, self.run)

    def run(self) -> None:
        from livereload.handlers import LiveReloadHandler
        from tornado import ioloop

        state = self.session.state
        report = self.session.run(set(self.changed) if self.changed and not state.busy else None)
        self.changed.clear()
        if state.busy:
            state.pending = True
            ioloop.IOLoop.current().call_later(BUSY_RETRY_SECONDS, self.run)
            return
        if report is None or not report.written:
            return
        # tell the browsers ourselves: livereload's own poll drops any change that comes within
        # ~3 s of the previous reload, which would leave an editor looking at a stale page
        css = sorted(p for p in report.written if p.endswith(".css"))
        LiveReloadHandler.reload_waiters(css[0] if css and len(css) == len(report.written) else "*")


def _status(state: ServeState) -> dict[str, Any]:
    """What ``/__briefing__/status`` answers: the build count, the last build's error, and how many pages hold a
    live-reload connection (a page whose connection is not up yet hears of no rebuild)."""
    from livereload.handlers import LiveReloadHandler

    return {"build": state.build, "error": state.error, "browsers": len(LiveReloadHandler.waiters)}


def _portal_server(cfg: Config, state: ServeState, review_token: str, rebuilds: _Rebuilds) -> Any:
    """livereload's server with the portal's routes: the review page, then the site (dev scripts in responses)."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher
    from tornado import web

    class KernelWatched(Watcher):
        """``watch.py`` does the watching (inotify): livereload's own watcher would walk the working folder every
        0.8 s (output/ included: ~40 % of a core at 5,000 articles per language, idle) and reload every open
        page once after the start and whenever a file there changes."""

        def start(self, callback: Any) -> bool:
            return True  # "started": livereload schedules no poll

        def examine(self) -> tuple[None, None]:
            return None, None

    from .review_desk import ProjectDesk
    from .review_http import review_handlers
    from .serve_http import handlers

    class PortalServer(Server):
        def application(self, port, host, liveport=None, debug=None, live_css=True):
            LiveReloadHandler.watcher = self.watcher
            LiveReloadHandler.live_css = live_css
            review = review_handlers(ProjectDesk(cfg), review_token, port, lambda: rebuilds.trigger(set()))
            routes = review + handlers(str(cfg.output_dir), port, lambda: _status(state))
            web.Application(handlers=routes).listen(port, address=host)

    return PortalServer(watcher=KernelWatched())


def serve(
    cfg: Config, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False, translate: bool = False
) -> int:
    from tornado import ioloop

    from .watch import Watch

    address, url_host = listen_address(host, port)
    cfg = cfg.for_serve(f"http://{url_host}:{port}/")
    review_token = secrets.token_urlsafe(32)  # this session's: every write on /_review/ must carry it
    session = Session(cfg, translate)
    rebuilds = _Rebuilds(session)
    rebuild(session.builder, session.state)
    if session.state.busy:  # another command holds the project: build as soon as it is free
        session.state.pending = True
        ioloop.IOLoop.current().call_later(BUSY_RETRY_SECONDS, rebuilds.run)
    server = _portal_server(cfg, session.state, review_token, rebuilds)
    loop = ioloop.IOLoop.current()
    watch = Watch(
        [cfg.content_dir, cfg.templates_dir, cfg.theme_dir],
        cfg.root / "site.yaml",
        lambda paths: loop.add_callback(rebuilds.trigger, paths),
    )
    print(f"serving {cfg.output_dir} at http://{url_host}:{port}/  (Ctrl-C to stop)", file=sys.stderr, flush=True)
    print(f"review page: http://{url_host}:{port}/_review/  (answers this machine only)", file=sys.stderr, flush=True)
    try:
        _serve_until_stopped(server, cfg, address, port, open_browser)
    finally:
        watch.stop()
    print("stopped", file=sys.stderr, flush=True)
    return 0


def _serve_until_stopped(server: Any, cfg: Config, address: str, port: int, open_browser: bool) -> None:
    """Run the server; Ctrl-C or SIGTERM stop the loop between callbacks, never in the middle of a rebuild."""
    import signal

    from tornado import ioloop

    def stop(signum: int, frame: Any) -> None:
        loop = ioloop.IOLoop.current()
        loop.add_callback_from_signal(loop.stop)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve(
            host=address,
            port=port,
            root=str(cfg.output_dir),
            open_url_delay=1 if open_browser else None,
            restart_delay=0,
            live_css=True,
        )
    except KeyboardInterrupt:
        pass  # livereload usually handles Ctrl-C itself and returns
