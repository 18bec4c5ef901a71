"""``serve``'s HTTP side: the site from ``output/`` with its two dev scripts, a CSP those pages satisfy, and the
live-reload endpoints open to this server's own pages only.

* HTML responses get ``reload.js`` (which loads ``livereload.js``) and ``overlay.js`` as *files*: no inline
  script, so a Content-Security-Policy as strict as the published one (plus the websocket) holds in the preview.
  The tags are added in ``get_content`` and ``get_content_size`` alike, so HEAD and GET agree on Content-Length.
* Every request must name this server in ``Host`` (an IP literal or ``localhost`` on our port: a DNS-rebinding
  page has a domain name there), and the websocket and ``/forcereload`` refuse another ``Origin``.
* Outside ``output/``, or a NUL in the path: 404. No site yet (the first build failed): a small page that
  carries the overlay, so the error shows from the very first build.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable
from importlib import resources
from typing import Any

from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler, StaticFileHandler
from tornado import web

from .policy import preview_policy

DEV_SCRIPTS = (
    b'<script src="/__briefing__/reload.js" defer></script><script src="/__briefing__/overlay.js" defer></script>'
)
NO_SITE_YET = (
    b'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>No site yet</title></head>'
    b"<body><p>The first build failed: there is no site to show yet. Fix the file named below and save.</p>"
    b"</body></html>\n"
)


def host_allowed(host_header: str, port: int) -> bool:
    """``Host`` names this server: an IP literal or ``localhost``, with our port."""
    if host_header.startswith("["):
        name, _, rest = host_header[1:].partition("]")
        given = rest[1:] if rest.startswith(":") else "80" if not rest else ""
    else:
        name, sep, given = host_header.partition(":")
        given = given if sep else "80"
    if given != str(port):
        return False
    if name.lower() == "localhost":
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def with_dev_scripts(html: bytes) -> bytes:
    return html.replace(b"</head>", DEV_SCRIPTS + b"</head>", 1)


def handlers(root: str, port: int, status: Callable[[], dict[str, Any]]) -> list[tuple[Any, ...]]:
    """The routes of the preview server."""
    scripts = {
        name: resources.files("briefing").joinpath(f"static/{name}").read_bytes()
        for name in ("overlay.js", "reload.js")
    }

    class Guarded(web.RequestHandler):
        def prepare(self) -> None:
            if not host_allowed(self.request.host, port):
                raise web.HTTPError(403)

    class StatusHandler(Guarded):
        def get(self) -> None:
            self.set_header("Content-Type", "application/json")
            self.set_header("Cache-Control", "no-store")
            self.finish(json.dumps(status()))

    class ScriptHandler(Guarded):
        def get(self, name: str) -> None:
            self.set_header("Content-Type", "text/javascript; charset=utf-8")
            self.finish(scripts[name])

    def same_origin(handler: web.RequestHandler, origin: str | None) -> bool:
        return host_allowed(handler.request.host, port) and (
            origin is None or origin.lower() == f"http://{handler.request.host}".lower()
        )

    class ReloadSocket(LiveReloadHandler):
        async def get(self, *args: Any, **kwargs: Any) -> None:
            if not host_allowed(self.request.host, port):
                raise web.HTTPError(403)
            await super().get(*args, **kwargs)

        def check_origin(self, origin: str) -> bool:
            return same_origin(self, origin)

    class ForceReload(ForceReloadHandler):
        def get(self) -> None:
            if not same_origin(self, self.request.headers.get("Origin")):
                raise web.HTTPError(403)
            super().get()

    SiteFiles = _site_files(root, port)

    return [
        (r"/livereload", ReloadSocket),
        (r"/forcereload", ForceReload),
        (r"/livereload.js", LiveReloadJSHandler),
        (r"/__briefing__/status", StatusHandler),
        (r"/__briefing__/(overlay\.js|reload\.js)", ScriptHandler),
        (r"/(.*)", SiteFiles, {"path": root, "default_filename": "index.html"}),
    ]


def _site_files(root: str, port: int) -> type[StaticFileHandler]:
    """The site's files, with the dev scripts in HTML responses, a CSP, and the site's own 404 page."""

    class SiteFiles(StaticFileHandler):
        def set_default_headers(self) -> None:
            self.set_header("Content-Security-Policy", preview_policy(self.request.host))
            self.set_header("X-Content-Type-Options", "nosniff")

        async def get(self, path: str, include_body: bool = True) -> None:
            if not host_allowed(self.request.host, port):
                raise web.HTTPError(403)
            if "\x00" in path:
                raise web.HTTPError(404)
            try:
                await super().get(path, include_body)
            except web.HTTPError as exc:
                if exc.status_code == 403:  # tornado's "outside the root": it tells a prober the file exists
                    raise web.HTTPError(404) from None
                raise

        @classmethod
        def get_content(cls, abspath: str, start: int | None = None, end: int | None = None) -> Any:
            if abspath.endswith(".html"):
                with open(abspath, "rb") as fh:
                    return with_dev_scripts(fh.read())[start:end]
            return super().get_content(abspath, start, end)

        def get_content_size(self) -> int:
            assert self.absolute_path is not None
            if self.absolute_path.endswith(".html"):
                with open(self.absolute_path, "rb") as fh:
                    return len(with_dev_scripts(fh.read()))
            return super().get_content_size()

        def write_error(self, status_code: int, **kwargs: Any) -> None:
            if status_code != 404:
                return super().write_error(status_code, **kwargs)
            lang = "en" if self.request.path.startswith("/en/") else "fr"
            page = NO_SITE_YET
            for candidate in (f"{lang}/404.html", "404.html"):
                try:
                    with open(f"{root}/{candidate}", "rb") as fh:
                        page = fh.read()
                    break
                except OSError:
                    continue
            self.set_header("Content-Type", "text/html; charset=UTF-8")
            self.finish(with_dev_scripts(page))

    return SiteFiles
