"""What the review page shows and does, over the translation desk (``translate/desk.py``): the queue, one
article's segment pairs, and an approval. The page's HTTP side is ``review_http.py``; this module turns the
desk's records into the plain values the templates print, checks that a slug names an English file inside
``content/en/`` before the desk reads or writes anything, and holds the project lock while the desk writes
(a ``translate`` run at the same moment makes the approval a clear 409, never a mixed file).

The queue is the desk's (``translate/queue.py``, the same as ``translate --queue``): articles with segments
awaiting review, most doubtful first; the page then lists every awaiting segment by the desk's rank (flags,
then the model's doubt), a segment the desk could not align first, since only an edit of the file settles it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .config import Config
from .confine import resolves_inside
from .errors import BriefingError, DeskError
from .frontmatter import parse_front_matter
from .pages import url_for
from .review_http import NotFound
from .translate import desk
from .translate import flags as review
from .translate.queue import article_queue, review_queue
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
        self.english_file(slug)
        try:
            with desk.open_memory(self.cfg) as memory:
                pairs = desk.segment_pairs(self.cfg, slug, memory=memory)
                waiting = article_queue(self.cfg, slug, memory)  # the desk's rule for what awaits review
        except DeskError as exc:
            raise NotFound(str(exc)) from None
        return {
            "slug": slug,
            "title": self._title(slug),
            "state": waiting.state,
            "preview_url": self.cfg.base_path + url_for("en", "article", slug),
            "awaiting": len(waiting.awaiting),
            "segments": [_segment(p) for p in pairs],
        }

    def queue(self) -> dict[str, Any]:
        """The desk's queue (``translate --queue``): articles most doubtful first, then every awaiting segment."""
        en_dir, fr_dir = self.cfg.content_dir / "en", self.cfg.content_dir / "fr"
        slugs = sorted(p.stem for p in en_dir.glob("*.md") if (fr_dir / p.name).is_file())
        try:
            with desk.open_memory(self.cfg) as memory:
                queues = review_queue(self.cfg, slugs, memory)
        except BriefingError as exc:  # a file that does not parse: say so on the page, the rest of serve goes on
            return {"articles": [], "segments": [], "awaiting": 0, "checked": len(slugs), "problem": str(exc)}
        titles = {q.slug: self._title(q.slug) for q in queues}
        articles = [
            {
                "slug": q.slug,
                "title": titles[q.slug],
                "state": q.state,
                "awaiting": len(q.awaiting),
                "total": q.total,
                "flags": review.summary(q.counts),
            }
            for q in queues
        ]
        segments = [{**_segment(p), "slug": q.slug, "title": titles[q.slug]} for q in queues for p in q.awaiting]
        segments.sort(key=lambda s: s["rank"], reverse=True)  # stable: ties keep the desk's article order
        return {
            "articles": articles,
            "segments": segments[:QUEUE_SHOWN],
            "awaiting": len(segments),
            "checked": len(slugs),
            "problem": "",
        }

    def approve(self, slug: str, index: int, english: str) -> dict[str, Any]:
        """Approve one segment; returns where the article now stands (``state``, segments ``awaiting``)."""
        self.english_file(slug)
        with project_lock(self.cfg.root, "review page approval"), desk.open_memory(self.cfg) as memory:
            desk.approve(self.cfg, slug, index, english, memory=memory)
            now = article_queue(self.cfg, slug, memory)
        return {"state": now.state, "awaiting": len(now.awaiting)}

    def _title(self, slug: str) -> str:
        path = self.cfg.content_dir / "en" / f"{slug}.md"
        meta, _ = parse_front_matter(path.read_text(encoding="utf-8"), path)
        return str(meta.get("title") or slug)


def _segment(p: desk.DeskSegment) -> dict[str, Any]:
    unaligned = p.english is None
    flags = review.summary(p.flags) + (f", doubt {p.flags[review.DOUBT]}" if p.flags.get(review.DOUBT) else "")
    return {
        "index": p.index,
        "part": p.unit,
        "french": p.french,
        "english": p.english or "",
        "flags": ("unaligned: edit the file itself; " if unaligned else "") + flags,
        "rank": (1 if unaligned else 0, *review.rank(p.flags)),
        "approved": p.state == desk.APPROVED,
        "editable": not unaligned,
    }
