#!/usr/bin/env python3
"""Build speed at archive scale, like for like with Pelican and Hugo, on one generated corpus.

N articles per language (bench/generate_corpus.py) become three sites (the project's, Pelican's, Hugo's; see
bench_sites.py), on tmpfs when the machine has one. Then one warm-up round and --rounds counted rounds; in
every round each scenario runs every tool in turn (order rotated per round):
  cold      no output, no cache (the project's .cache/ removed; Pelican's content cache off)
  warm      output removed, cache kept (the project's .cache/; Pelican's content cache on and kept)
  edit      one sentence appended to the same article, then each tool's command-line build, output kept
  new10     ten new articles per language (copies of generated ones, new slugs and titles), then the project's
            command-line build, output kept (project only: the peers' sites are made once, in their formats); the
            new articles are then removed and the site built again, untimed, so the next rows build N articles
  nochange  each tool's command-line build again, nothing changed
  deploy    a one-article edit, then what a deploy runs in a fresh checkout with the build cache restored (no output
            folder, no incremental state): the project's build with its search index against Hugo
            then Pagefind over Hugo's output (project and Hugo only)
  serve     `build.py serve` vs `hugo server` (fast render, and --disableFastRender): save → page rebuilt
The unit is the article page (2·N per tool); each run records wall time, CPU-seconds of the tool's process
tree, peak PSS of the tree, and the CPU other processes used meanwhile: a run during which they used more
than --noise of a core is repeated, up to 3 times (bench_measure.py). The project builds with --no-search
(the peers build no search index) except in the deploy rows. Prints one table of ratios (project ÷ peer speed) per N, the detail per
run, and the machine, method and noise. (Only the deploy rows include a search index.)

Usage: python bench/archive_bench.py [--n 1000] [--rounds 5] [--sizes 1000,5000] [--noise 0.2] [--repeats 3]
           [--scenarios edit,new10] [--tools project] [--project-build OTHER_CHECKOUT/build.py]
       python bench/archive_bench.py --report bench/work/archive-bench-results.json [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from itertools import count
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_measure import Sample, run_command, with_repeats  # noqa: E402
from bench_report import (
    SizeResults,
    comparison_table,
    detail_table,
    load_raw,
    machine_line,
    method_line,
    noise_line,
)  # noqa: E402
from bench_serve import RunningServer, ServerSpec, hugo_server, project_server, save_to_rebuilt  # noqa: E402
from bench_sites import (  # noqa: E402
    PELICAN_NO_CACHE,
    ROOT,
    Site,
    append_edit,
    count_article_pages,
    hugo_site,
    peer_binaries,
    pelican_site,
    project_site,
    scratch_root,
)

TOOLS = ("project", "pelican", "hugo")
RAW = ROOT / "bench" / "work" / "archive-bench-results.json"
ADDED_SUFFIX = "-nouvelle"  # the slugs of the articles new10 adds


@dataclass
class Bench:
    """One corpus size: the three sites, how to build each, and the results so far."""

    sites: dict[str, Site]
    pelican: Path
    hugo: Path
    noise: float
    results: SizeResults
    edits: count[int]
    repeats: int  # at most this many repeats of a contaminated counted run (none in the warm-up round)
    tools: tuple[str, ...] = TOOLS
    project_build: Path = ROOT / "build.py"  # another checkout's, to measure before a change

    def build_cmd(self, tool: str, cache: bool = True) -> list[str]:
        site = self.sites[tool]
        if tool == "project":
            return [sys.executable, str(self.project_build), "--root", str(site.folder), "build", "--no-search"]
        if tool == "pelican":
            cmd = [str(self.pelican), "content", "-o", "output", "-s", "pelicanconf.py"]
            return cmd if cache else cmd + PELICAN_NO_CACHE
        return [str(self.hugo), "--quiet", "--destination", "out", "--source", str(site.folder)]

    def deploy_cmd(self, tool: str) -> list[str]:
        """What a deploy runs: the project's build with its search index; Hugo, then Pagefind over its output (Hugo
        has no search of its own: Pagefind is what its users add)."""
        if tool == "project":
            return [sys.executable, str(self.project_build), "--root", str(self.sites[tool].folder), "build"]
        pagefind = f"{shlex.quote(sys.executable)} -m pagefind --site out --silent"
        return ["sh", "-c", f"{shlex.join(self.build_cmd(tool))} && {pagefind}"]

    def edit_of(self, tool: str) -> Callable[[], None]:
        """The one-article edit for ``tool``'s copy of the article, numbered from the shared counter."""
        return lambda: append_edit(self.sites[tool].edited, next(self.edits))

    def measure(self, key: str, prepare: Callable[[], None], cmd: list[str], tool: str, counted: bool) -> None:
        def attempt() -> Sample:
            prepare()
            return run_command(cmd, cwd=self.sites[tool].folder)

        sample = with_repeats(attempt, self.noise, self.repeats if counted else 0)
        if counted:
            self.results.add(key, sample)


def clear(*paths: Path) -> Callable[[], None]:
    def do() -> None:
        for p in paths:
            shutil.rmtree(p, ignore_errors=True)

    return do


def rotated(items: tuple[str, ...], r: int) -> list[str]:
    k = r % len(items)
    return list(items[k:] + items[:k])


def cold_round(b: Bench, r: int, counted: bool) -> None:
    for tool in rotated(b.tools, r):
        site = b.sites[tool]
        state = site.folder / (".cache" if tool == "project" else "cache")
        paths = (site.output, state) if tool == "project" else (site.output,)  # Pelican: cache off, not read
        b.measure(f"cold/{tool}", clear(*paths), b.build_cmd(tool, cache=False), tool, counted)
        check_article_pages(b, tool)


def warm_round(b: Bench, r: int, counted: bool) -> None:
    for tool in rotated(tuple(t for t in b.tools if t != "hugo"), r):
        b.measure(f"warm/{tool}", clear(b.sites[tool].output), b.build_cmd(tool), tool, counted)


def edit_round(b: Bench, r: int, counted: bool) -> None:
    for tool in rotated(b.tools, r):
        b.measure(f"edit/{tool}", b.edit_of(tool), b.build_cmd(tool), tool, counted)


def new10_round(b: Bench, r: int, counted: bool) -> None:
    """Ten new articles per language, then the project's command-line build (a deploy after a news day). Then,
    untimed, the new articles removed and the site built again: every later row builds N articles."""
    project = b.sites["project"].folder
    b.measure(
        "new10/project", lambda: add_articles(project, next(b.edits), 10), b.build_cmd("project"), "project", counted
    )
    remove_added_articles(project)
    subprocess.run(b.build_cmd("project"), cwd=project, check=True, capture_output=True)


def deploy_round(b: Bench, r: int, counted: bool) -> None:
    """A deploy after a one-article edit, search index included: the project against Hugo + Pagefind. As Netlify
    and GitHub Pages run it: a fresh checkout (no output folder) with only the project's build cache restored
    (``.cache/build.sqlite``, what ``netlify.toml`` and the Pages workflow carry), so no incremental state."""
    for tool in rotated(tuple(t for t in b.tools if t != "pelican"), r):
        b.measure(f"deploy/{tool}", fresh_checkout(b, tool), b.deploy_cmd(tool), tool, counted)


def fresh_checkout(b: Bench, tool: str) -> Callable[[], None]:
    """The edit, then what a deploy's fresh clone lacks: the output folder, and the project's incremental state
    (``buildstate``: the deploy cache holds ``build.sqlite`` alone)."""
    site = b.sites[tool]

    def do() -> None:
        b.edit_of(tool)()
        clear(site.output)()
        for state in (site.folder / ".cache").glob("site-state-*.json"):
            state.unlink()

    return do


def add_articles(project: Path, k: int, count: int) -> None:
    """``count`` new articles per language: copies of the first generated ones under new slugs and titles."""
    sys.path.insert(0, str(ROOT))
    from briefing.frontmatter import dump_front_matter, parse_front_matter

    for lang in ("fr", "en"):
        for i, src in enumerate(sorted((project / "content" / lang).glob("depeche-0*.md"))[:count]):
            meta, body = parse_front_matter(src.read_text(encoding="utf-8"), src)
            meta["title"] = f"Nouveau {k}-{i} {meta['title']}"
            dest = src.parent / f"depeche-9{k:04d}{i:02d}{ADDED_SUFFIX}.md"
            dest.write_text(dump_front_matter(meta, body), encoding="utf-8")


def remove_added_articles(project: Path) -> None:
    """Undo every ``add_articles``: the project holds its N generated articles per language again."""
    for lang in ("fr", "en"):
        for added in (project / "content" / lang).glob(f"depeche-9*{ADDED_SUFFIX}.md"):
            added.unlink()


def nochange_round(b: Bench, r: int, counted: bool) -> None:
    for tool in rotated(b.tools, r):
        b.measure(f"nochange/{tool}", lambda: None, b.build_cmd(tool), tool, counted)


def check_article_pages(b: Bench, tool: str) -> None:
    """The unit must hold: every tool wrote exactly 2·N article pages."""
    pages = count_article_pages(b.sites[tool].output)
    if pages != 2 * b.results.n:
        raise SystemExit(f"{tool}: {pages} article pages in {b.sites[tool].output}, expected {2 * b.results.n}")
    b.results.article_pages[tool] = pages


def server_specs(b: Bench) -> dict[str, ServerSpec]:
    proj, hug = b.sites["project"], b.sites["hugo"]
    slug = proj.edited.stem
    return {
        "project": project_server(proj.folder, slug, proj.edited),
        "hugo-fast": hugo_server(b.hugo, hug.folder, slug, hug.edited, fast=True),
        "hugo-full": hugo_server(b.hugo, hug.folder, slug, hug.edited, fast=False),
    }


def serve_round(b: Bench, r: int, counted: bool, logs: Path) -> None:
    specs = server_specs(b)
    for name in rotated(tuple(specs), r):
        server = RunningServer(specs[name], logs / f"{name}-{r}.log")
        reported: list[float | None] = []

        def attempt(server: RunningServer = server, reported: list[float | None] = reported) -> Sample:
            sample, own = save_to_rebuilt(server, next(b.edits))
            reported.append(own)
            time.sleep(0.5)  # let the tool finish the rest of its rebuild before any next save
            return sample

        try:
            server.wait_ready()
            time.sleep(1.0)  # watchers settle after the first build
            sample = with_repeats(attempt, b.noise, b.repeats if counted else 0)
        finally:
            peak = server.stop()
        if counted:
            b.results.add(f"serve/{name}", sample)
            b.results.server_peak_mb.setdefault(name, []).append(peak)
            if reported[-1] is not None:
                b.results.self_reported_ms.setdefault(name, []).append(reported[-1])


def make_sites(n: int, scratch: Path, tools: tuple[str, ...] = TOOLS, checkout: Path = ROOT) -> dict[str, Site]:
    """The three sites; the project's with the templates, theme and settings of ``checkout`` (the one whose
    build.py is measured: another version's templates may need what only its code provides)."""
    from generate_corpus import generate

    project = scratch / f"project-{n}"
    shutil.rmtree(project, ignore_errors=True)
    generate(project, n)
    if checkout.resolve() != ROOT:
        for folder in ("templates", "theme"):
            shutil.rmtree(project / folder)
            shutil.copytree(checkout / folder, project / folder)
        shutil.copy2(checkout / "site.yaml", project / "site.yaml")
    sites = {"project": project_site(project, n)}
    if "pelican" in tools:
        sites["pelican"] = pelican_site(project, scratch / f"pelican-{n}", n)
    if "hugo" in tools:
        sites["hugo"] = hugo_site(project, scratch / f"hugo-{n}", n)
    return sites


SCENARIOS = {
    "cold": cold_round,
    "warm": warm_round,
    "edit": edit_round,
    "new10": new10_round,
    "nochange": nochange_round,
    "deploy": deploy_round,
}


def bench_size(n: int, args: argparse.Namespace, scratch: Path, peers: tuple[Path, Path]) -> SizeResults:
    print(f"\n== N = {n:,} articles per language: generating the three sites in {scratch} …", flush=True)
    results = SizeResults(n)
    sites = make_sites(n, scratch, args.tools, args.project_build.parent)
    b = Bench(sites, peers[0], peers[1], args.noise, results, count(1), args.repeats, args.tools, args.project_build)
    logs = scratch / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    if "cold" not in args.scenarios:  # the other scenarios start from a built site
        for tool in args.tools:
            run_command(b.build_cmd(tool, cache=False), cwd=sites[tool].folder)
    for r in range(args.rounds + 1):
        counted = r > 0
        t = time.perf_counter()
        for name in args.scenarios:
            if name == "serve":
                serve_round(b, r, counted, logs)
            else:
                SCENARIOS[name](b, r, counted)
        label = f"round {r}" if counted else "warm-up round"
        print(f"  {label} done in {time.perf_counter() - t:.0f} s", flush=True)
        save_raw([results], RAW.with_name(f"archive-bench-{n}.json"))  # the rounds so far, if the run is cut
    print(detail_table(results), flush=True)
    return results


def save_raw(results: list[SizeResults], path: Path) -> None:
    """Every sample as JSON (bench/work is not committed), to re-read the figures behind the tables."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([asdict(r) for r in results], indent=1), encoding="utf-8")


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="articles per language (default 1000)")
    ap.add_argument("--sizes", help="comma-separated N values, one column each (overrides --n)")
    ap.add_argument("--rounds", type=int, default=5, help="counted rounds after the warm-up (default 5)")
    ap.add_argument(
        "--noise", type=float, default=0.2, help="others' CPU, in cores, above which a run is repeated (default 0.2)"
    )
    ap.add_argument(
        "--report",
        metavar="FILE",
        help="print the tables from saved samples (bench/work/*.json); give the run's --noise and --repeats too",
    )
    ap.add_argument("--repeats", type=int, default=3, help="most repeats of a contaminated run (default 3)")
    ap.add_argument(
        "--scenarios", default="cold,warm,edit,new10,nochange,deploy,serve", help="which rows (default all)"
    )
    ap.add_argument("--tools", default=",".join(TOOLS), help="project,pelican,hugo (default all three)")
    ap.add_argument("--project-build", type=Path, default=ROOT / "build.py", help="the project's build.py to run")
    args = ap.parse_args()
    if args.repeats < 0:
        ap.error("--repeats must be ≥ 0")
    if args.rounds < 1 or args.n < 10 or args.noise <= 0:
        ap.error("--rounds must be ≥ 1, --n ≥ 10 and --noise > 0")
    args.sizes = [int(x) for x in args.sizes.split(",")] if args.sizes else [args.n]
    args.scenarios = args.scenarios.split(",")
    args.tools = tuple(t for t in TOOLS if t in args.tools.split(","))
    unknown = set(args.scenarios) - set(SCENARIOS) - {"serve"}
    needs_hugo = {"serve", "deploy"} & set(args.scenarios)
    if unknown or "project" not in args.tools or (needs_hugo and "hugo" not in args.tools):
        ap.error(
            "--scenarios: cold,warm,edit,new10,nochange,deploy,serve (deploy and serve need hugo); "
            "--tools must include project"
        )
    return args


def main() -> int:
    args = parse_args()
    if args.report:
        return report_only(args)
    sys.path.insert(0, str(ROOT / "bench"))
    scratch, tmpfs = scratch_root()
    peers = peer_binaries() if args.tools != ("project",) else (Path("-"), Path("-"))
    print(f"command: python bench/archive_bench.py {' '.join(sys.argv[1:])}", flush=True)
    try:
        results = [bench_size(n, args, scratch, peers) for n in args.sizes]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    save_raw(results, RAW)
    print_report(results, machine_line(str(scratch), tmpfs), args)
    return 0


def print_report(results: list[SizeResults], machine: str, args: argparse.Namespace, raw: Path = RAW) -> None:
    print()
    if set(TOOLS) <= {k.split("/")[1] for r in results for k in r.runs} and all(
        "serve/project" in r.runs for r in results
    ):
        print(comparison_table(results))
    else:  # a partial run (some tools or scenarios): the measured series only
        for res in results:
            print(f"N = {res.n:,}\n{detail_table(res)}")
    print()
    for line in (machine, method_line(args.rounds, args.noise, args.repeats), noise_line(results)):
        print(line)
    print(f"raw samples: {raw}")


def report_only(args: argparse.Namespace) -> int:
    """--report FILE: the tables again from saved samples (e.g. the rounds done before a run was cut)."""
    results = load_raw(Path(args.report))
    for res in results:
        print(f"\n== N = {res.n:,}: {len(next(iter(res.runs.values())))} counted rounds\n{detail_table(res)}")
    args.rounds = min(len(v) for r in results for v in r.runs.values())
    scratch, tmpfs = scratch_root()
    print_report(results, machine_line(str(scratch), tmpfs), args, Path(args.report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
