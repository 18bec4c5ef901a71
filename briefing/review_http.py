"""``serve``'s review page, ``/_review/``: the queue, each article's French and English segment by segment, and
the one write the preview server accepts, approving an edited English segment.

Served by ``serve`` only (never written to ``output/``). What guards it, on top of ``serve_http``'s ``Host`` check:

* only loopback clients: a request from another machine gets 403 even when ``--host 0.0.0.0`` shares the preview;
* every write (POST) carries this session's random token (``X-Review-Token`` header or ``token`` form field),
  compared in constant time, and an ``Origin`` naming this server (a browser always sends one with a POST);
  a missing or wrong one is 403 before anything is read or written;
* a slug must be a safe article slug (``schema.slug_problem``) with an English file under ``content/en/``:
  anything else (``..``, ``%2f``, a NUL) is 404; the write itself is ``ReviewDesk.approve``'s, inside
  ``content/en/`` and atomic;
* the pages have no inline script or style: ``review.js`` and ``review.css`` are files, under the preview's CSP.

Without JavaScript each segment's form posts and comes back to the page (303); with it, ``review.js`` posts
the same form with ``fetch`` and shows the outcome in the segment's status line.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any, Protocol
from urllib.parse import quote

import jinja2
from tornado import web

from .errors import BriefingError, LockError
from .policy import preview_policy
from .schema import slug_problem
from .serve_http import host_allowed

MAX_SEGMENT = 5000  # characters of one English segment: far more than any sentence
ASSETS = {"review.js": "text/javascript; charset=utf-8", "review.css": "text/css; charset=utf-8"}


class NotFound(BriefingError):
    """No such article (or no English for it) to review."""


class ReviewDesk(Protocol):
    """What the page reads and writes; ``review_desk.ProjectDesk`` over the translation desk in serve."""

    def queue(self) -> dict[str, Any]: ...

    def article(self, slug: str) -> dict[str, Any]: ...

    def approve(self, slug: str, index: int, english: str) -> dict[str, Any]: ...


def loopback_client(ip: str) -> bool:
    """The request comes from this machine (IPv4, IPv6 or IPv4-mapped loopback)."""
    try:
        addr = ipaddress.ip_address(ip.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(addr, "ipv4_mapped", None)
    return bool(addr.is_loopback or (mapped is not None and mapped.is_loopback))


def token_matches(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode("utf-8", "replace"), token.encode("utf-8"))


def clean_segment(text: str) -> str:
    """One segment's English as it goes into the Markdown: one line, single spaces. ``ValueError`` if unusable."""
    english = " ".join(text.split())
    if not english:
        raise ValueError("the English segment is empty")
    if len(english) > MAX_SEGMENT:
        raise ValueError(f"the English segment is longer than {MAX_SEGMENT} characters")
    return english


@dataclass(frozen=True)
class Review:
    """What every review handler is given: the desk, this session's token, the port, the rebuild trigger."""

    desk: ReviewDesk
    token: str
    port: int
    changed: Callable[[], None]
    env: jinja2.Environment
    assets: dict[str, bytes]


def review_handlers(desk: ReviewDesk, token: str, port: int, changed: Callable[[], None]) -> list[tuple[Any, ...]]:
    """The review routes; they go before the site's catch-all route."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("briefing", "review_templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    assets = {name: resources.files("briefing").joinpath(f"static/{name}").read_bytes() for name in ASSETS}
    review = {"review": Review(desk, token, port, changed, env, assets)}
    return [
        (r"/__briefing__/(review\.js|review\.css)", _Assets, review),
        (r"/_review", web.RedirectHandler, {"url": "/_review/"}),
        (r"/_review/", _Queue, review),
        (r"/_review/([^/]*)/", _Article, review),
        (r"/_review/([^/]*)/approve", _Approve, review),
        (r"/_review/.*", _Guarded, review),  # anything else under /_review/: 404, never a file from output/
    ]


class _Guarded(web.RequestHandler):
    def initialize(self, review: Review) -> None:
        self.review = review

    def set_default_headers(self) -> None:
        self.set_header("Content-Security-Policy", preview_policy(self.request.host))
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Cache-Control", "no-store")
        self.set_header("Referrer-Policy", "no-referrer")

    def prepare(self) -> None:
        if not host_allowed(self.request.host, self.review.port) or not loopback_client(self.request.remote_ip or ""):
            raise web.HTTPError(403)

    def get(self, *args: str) -> None:
        raise web.HTTPError(404)

    def page(self, template: str, **context: Any) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(self.review.env.get_template(template).render(token=self.review.token, **context))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"{status_code} {self._reason}\n")


class _Assets(_Guarded):
    def get(self, *args: str) -> None:
        self.set_header("Content-Type", ASSETS[args[0]])
        self.finish(self.review.assets[args[0]])


class _Queue(_Guarded):
    def get(self, *args: str) -> None:
        self.page("queue.html", **self.review.desk.queue())


class _Article(_Guarded):
    def get(self, *args: str) -> None:
        try:
            view = self.review.desk.article(_checked_slug(args[0]))
        except NotFound:
            raise web.HTTPError(404) from None
        except BriefingError as exc:  # a file that does not parse: its one-line error, no traceback
            self.set_status(500)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(f"{exc}\n")
            return
        self.page("article.html", **view)


class _Approve(_Guarded):
    def post(self, slug: str) -> None:
        self._authorise()
        slug = _checked_slug(slug)
        try:
            index = int(self.get_body_argument("index", ""))
            if index < 0:
                raise ValueError("negative")
            english = clean_segment(self.get_body_argument("english", ""))
        except ValueError as exc:
            return self._answer(400, slug, None, str(exc) if "segment" in str(exc) else "no segment number")
        try:
            now = self.review.desk.approve(slug, index, english)
        except NotFound:
            raise web.HTTPError(404) from None
        except LockError as exc:
            return self._answer(409, slug, index, str(exc))
        except BriefingError as exc:
            return self._answer(400, slug, index, str(exc))
        self.review.changed()
        self._answer(200, slug, index, "approved", {"english": english, **now})

    def _authorise(self) -> None:
        origin = self.request.headers.get("Origin")
        if origin is None or origin.lower() != f"http://{self.request.host}".lower():
            raise web.HTTPError(403, reason="Forbidden: foreign or missing Origin")
        given = self.request.headers.get("X-Review-Token") or self.get_body_argument("token", None)
        if not token_matches(given, self.review.token):
            raise web.HTTPError(403, reason="Forbidden: missing or wrong review token")

    def _answer(
        self, status: int, slug: str, index: int | None, message: str, done: dict[str, Any] | None = None
    ) -> None:
        if "application/json" in self.request.headers.get("Accept", ""):
            self.set_status(status)
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps({"ok": status == 200, "message": message, **(done or {})}))
        elif status != 200:
            self.set_status(status)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(message + "\n")
        else:
            self.redirect(f"/_review/{quote(slug)}/#seg-{index}", status=303)


def _checked_slug(slug: str) -> str:
    if slug_problem(slug) is not None:
        raise web.HTTPError(404)
    return slug
