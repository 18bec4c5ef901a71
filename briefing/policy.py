"""The site's Content-Security-Policy, stated once. Three carriers: Netlify's header (``netlify.toml``, checked
against ``header_policy`` by the tests), a ``<meta>`` in every page for hosts that set no headers (GitHub
Pages), and ``serve``'s header, which names its live-reload websocket. A browser enforces the header and the
page's ``<meta>`` both, so the websocket must pass the ``<meta>`` too: it does, as CSP Level 3's ``'self'`` covers
``ws:`` on the page's own host and port (Chromium, Firefox, Safari 15.4+). Pagefind's search needs WebAssembly
(``'wasm-unsafe-eval'``); nothing needs inline code or styles."""

from __future__ import annotations

# (directive, allowed in a <meta> policy): browsers ignore frame-ancestors there, and say so in the console
_DIRECTIVES = (
    ("default-src 'self'", True),
    ("script-src 'self' 'wasm-unsafe-eval'", True),
    ("style-src 'self'", True),
    ("img-src 'self' data:", True),
    ("object-src 'none'", True),
    ("base-uri 'self'", True),
    ("frame-ancestors 'none'", False),
    ("form-action 'self'", True),
)


def header_policy() -> str:
    return "; ".join(d for d, _ in _DIRECTIVES)


def meta_policy() -> str:
    return "; ".join(d for d, in_meta in _DIRECTIVES if in_meta)


def preview_policy(host: str) -> str:
    """``serve``'s: the published header with this server's live-reload websocket named."""
    directives = [d for d, _ in _DIRECTIVES]
    directives.insert(4, f"connect-src 'self' ws://{host}")  # after img-src
    return "; ".join(directives)
