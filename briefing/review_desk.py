"""What the review page shows and does, over the translation desk (``translate/desk.py``): the queue, one
article's segment pairs, and an approval. The page's HTTP side is ``review_http.py``; this module turns the
desk's records into the plain values the templates print, and checks that a slug names an English file
inside ``content/en/`` before the desk reads or writes anything.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .config import Config
from .confine import resolves_inside
from .frontmatter import parse_front_matter
from .pages import url_for
from .review_http import NotFound
from .translate import flags as review_flags
from .write import project_lock


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

    def queue(self) -> dict[str, Any]:
        raise NotImplementedError

    def article(self, slug: str) -> dict[str, Any]:
        raise NotImplementedError

    def approve(self, slug: str, index: int, english: str) -> None:
        raise NotImplementedError

    def _title(self, path: Path) -> str:
        meta, _ = parse_front_matter(path.read_text(encoding="utf-8"), path)
        return str(meta.get("title") or path.stem)

    def _preview_url(self, slug: str) -> str:
        return self.cfg.base_path + url_for("en", "article", slug)


def flag_text(flags: dict[str, int]) -> str:
    return review_flags.summary(flags)


_ = project_lock
