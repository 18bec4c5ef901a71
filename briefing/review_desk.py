"""What the review page shows and does, over the translation desk (``translate/desk.py``): the queue, one
article's segment pairs, and an approval. The page's HTTP side is ``review_http.py``; this module turns the
desk's records into the plain values the templates print, checks that a slug names an English file inside
``content/en/`` before the desk reads or writes anything, and holds the project lock while the desk writes
(a ``translate`` run at the same moment makes the approval a clear 409, never a mixed file).

The queue: every segment not yet approved, most in doubt first (the sum of its review flags, then the
article and its order); a segment the desk could not align is listed too, as ``unaligned``, since only an
edit of the file itself can settle it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .config import Config
from .confine import resolves_inside
from .errors import DeskError
from .pages import url_for
from .review_http import NotFound
from .sources import Article, parse_article
from .translate import desk
from .translate.flags import summary
from .write import project_lock

QUEUE_SHOWN = 200  # segments listed on the queue page; the counts cover them all


class ProjectDesk:
    """The ``ReviewDesk`` of a project served by ``serve``."""

    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg

    def english_file(self, slug: str) -> Path:
        """``content/en/<slug>.md``, which must exist and stay inside ``content/en/``; ``NotFound`` otherwise."""
        en_dir = self.cfg.content_dir / "en"
        path = en_dir / f"{slug}.md"
        if not path.is_file() or not resolves_inside(path, en_dir):
            raise NotFound(f"no English article {slug!r} in {en_dir}")
        return path

    def article(self, slug: str) -> dict[str, Any]:
        en = self._read(self.english_file(slug), "en")
        try:
            pairs = desk.segment_pairs(self.cfg, slug)
        except DeskError as exc:
            raise NotFound(str(exc)) from None
        segments = [_segment(p) for p in pairs]
        return {
            "slug": slug,
            "title": en.title,
            "state": self._state(slug, en),
            "preview_url": self.cfg.base_path + url_for("en", "article", slug),
            "awaiting": sum(1 for s in segments if not s["approved"]),
            "segments": segments,
        }

    def queue(self) -> dict[str, Any]:
        articles: list[dict[str, Any]] = []
        waiting: list[dict[str, Any]] = []
        with desk.open_memory(self.cfg) as memory:
            for path in sorted((self.cfg.content_dir / "en").glob("*.md")):
                try:
                    en = self._read(path, "en")
                    pairs = desk.segment_pairs(self.cfg, path.stem, memory=memory)
                except (DeskError, OSError):
                    continue  # an English file without its French, or gone meanwhile: nothing to review here
                mine = [{**_segment(p), "slug": path.stem, "title": en.title} for p in pairs]
                open_ = [s for s in mine if not s["approved"]]
                articles.append(self._summary(path.stem, en, pairs, len(open_)))
                waiting += open_
        waiting.sort(key=lambda s: (-s["doubt"], s["slug"], s["index"]))
        return {"articles": articles, "segments": waiting[:QUEUE_SHOWN], "awaiting": len(waiting)}

    def _summary(self, slug: str, en: Article, pairs: list[desk.DeskSegment], awaiting: int) -> dict[str, Any]:
        total: dict[str, int] = {}
        for p in pairs:
            for kind, n in p.flags.items():
                total[kind] = total.get(kind, 0) + n
        return {
            "slug": slug,
            "title": en.title,
            "state": self._state(slug, en),
            "awaiting": awaiting,
            "flags": summary(total),
        }

    def approve(self, slug: str, index: int, english: str) -> None:
        self.english_file(slug)
        with project_lock(self.cfg.root, "review page approval"):
            desk.approve(self.cfg, slug, index, english)

    def _read(self, path: Path, lang: str) -> Article:
        return parse_article(path.read_text(encoding="utf-8"), path, lang)

    def _state(self, slug: str, en: Article) -> str:
        fr_path = self.cfg.content_dir / "fr" / f"{slug}.md"
        fr = self._read(fr_path, "fr") if fr_path.is_file() else None
        return en.translation_state(fr)


def _segment(p: desk.DeskSegment) -> dict[str, Any]:
    unaligned = p.english is None
    flags = summary(p.flags) if p.flags else ("no flags" if not unaligned else "")
    return {
        "index": p.index,
        "part": p.unit,
        "french": p.french,
        "english": p.english or "",
        "flags": ("unaligned: edit the file itself; " if unaligned else "") + flags,
        "doubt": sum(p.flags.values()) + (100 if unaligned else 0),
        "approved": p.state == desk.APPROVED,
        "editable": not unaligned,
    }
