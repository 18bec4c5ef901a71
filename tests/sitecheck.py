"""A small crawler over a built site folder: internal links, anchors, language attributes."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.html_lang: str | None = None
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "script":
            self.scripts.append(a)
        for attr in ("href", "src"):
            if a.get(attr):
                self.links.append((tag, str(a[attr]), a))


def parse(path: Path) -> _Collector:
    c = _Collector()
    c.feed(path.read_text(encoding="utf-8"))
    return c


def resolve(site: Path, base_path: str, page_rel: str, href: str) -> Path | None:
    """The file an internal link points at, or None for external links."""
    url, _ = urldefrag(href)
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return site / page_rel
    if parts.path.startswith("/"):
        assert parts.path.startswith(base_path), f"{href} escapes the base path {base_path}"
        rel = parts.path[len(base_path) :]
    else:
        rel = str(Path(page_rel).parent / parts.path)
    rel = unquote(rel)
    target = site / rel
    if rel.endswith("/") or rel == "" or target.is_dir():
        target = target / "index.html"
    return target


def broken_links(site: Path, base_path: str = "/") -> list[str]:
    problems = []
    pages = sorted(site.rglob("*.html"))
    ids = {p: parse(p).ids for p in pages}
    for page in pages:
        rel = page.relative_to(site).as_posix()
        for tag, href, _ in parse(page).links:
            target = resolve(site, base_path, rel, href)
            if target is None:
                continue
            if not target.exists():
                problems.append(f"{rel}: <{tag}> {href} → missing {target.relative_to(site)}")
                continue
            frag = urldefrag(href)[1]
            if frag and target.suffix == ".html" and frag not in ids.get(target, set()):
                problems.append(f"{rel}: {href} → no #{frag}")
    return problems
