"""The archive benchmark's pure parts (bench/bench_*.py): the contamination rule and its repeats, the CPU
arithmetic, article-page counting, ratios and the tables. No timing is asserted here."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from archive_bench import add_articles, remove_added_articles, rotated, save_raw  # noqa: E402
from bench_measure import TICK, Sample, busy_seconds, is_contaminated, others_cpu, with_repeats  # noqa: E402
from bench_report import (  # noqa: E402
    SizeResults,
    comparison_cell,
    comparison_table,
    contamination,
    cpu_model,
    format_table,
    load_raw,
    round_ratios,
    spread,
)
from bench_serve import last_self_report_ms  # noqa: E402
from bench_sites import article_page, count_article_pages  # noqa: E402


def sample(wall: float, cpu: float = 1.0, others: float = 0.0, peak: float = 0.0) -> Sample:
    return Sample(wall=wall, cpu=cpu, others=others, peak_mb=peak)


def test_contaminated_when_others_use_more_than_the_threshold_of_a_core() -> None:
    assert not is_contaminated(sample(10.0, others=2.0), 0.2)  # 0.2 cores: at the threshold, kept
    assert is_contaminated(sample(10.0, others=2.1), 0.2)
    assert is_contaminated(sample(1.0, others=0.5), 0.2)
    assert not is_contaminated(sample(1.0, others=0.5), 0.6)


def test_a_contaminated_run_is_repeated_until_clean() -> None:
    noisy = iter([sample(1.0, others=0.9), sample(1.0, others=0.8), sample(2.0, others=0.0)])
    got = with_repeats(lambda: next(noisy), 0.2, repeats=3)
    assert (got.wall, got.attempts, got.contaminated_attempts) == (2.0, 3, 2)


def test_repeats_stop_after_the_limit_and_keep_the_last_attempt() -> None:
    calls = []

    def always_noisy() -> Sample:
        calls.append(1)
        return sample(float(len(calls)), others=float(len(calls)))

    got = with_repeats(always_noisy, 0.2, repeats=3)
    assert len(calls) == 4  # the run and 3 repeats
    assert (got.wall, got.attempts, got.contaminated_attempts) == (4.0, 4, 4)
    assert with_repeats(always_noisy, 0.2, repeats=0).attempts == 1
    assert len(calls) == 5


def test_busy_seconds_counts_every_state_but_idle_and_iowait() -> None:
    line = f"cpu  {TICK * 3} {TICK} {TICK * 2} {TICK * 100} {TICK * 50} 0 {TICK} 0 0 0"
    assert busy_seconds(line) == pytest.approx(7.0)


def test_others_cpu_is_the_machine_minus_the_tree_and_the_bench_never_negative() -> None:
    assert others_cpu(machine=10.0, tree=7.5, own=0.5) == pytest.approx(2.0)
    assert others_cpu(machine=1.0, tree=1.2, own=0.1) == 0.0


def test_article_pages_are_counted_by_their_paths_only(tmp_path: Path) -> None:
    for lang in ("fr", "en"):
        for slug in ("a", "b", "c"):
            page = article_page(tmp_path, lang, slug)
            page.parent.mkdir(parents=True)
            page.write_text("<html></html>")
    for other in ("fr/index.html", "fr/ministers/x/index.html", "en/articles/index.html", "fr/articles/a/feed.xml"):
        (tmp_path / other).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / other).write_text("x")
    assert count_article_pages(tmp_path) == 6


def test_ratios_are_taken_round_by_round_peer_over_project() -> None:
    project = [sample(2.0, cpu=4.0), sample(4.0, cpu=4.0)]
    peer = [sample(6.0, cpu=4.0), sample(4.0, cpu=8.0)]
    assert round_ratios(project, peer) == [3.0, 1.0]
    assert round_ratios(project, peer, "cpu") == [1.0, 2.0]
    assert spread([3.0, 1.0, 2.0]) == (2.0, 1.0, 3.0)


def test_comparison_cell_shows_median_spread_cpu_and_the_two_times() -> None:
    res = SizeResults(1000)
    for a, b in ((2.0, 6.0), (4.0, 4.0), (2.0, 5.0)):
        res.add("cold/project", sample(a, cpu=a))
        res.add("cold/pelican", sample(b, cpu=b))
    assert comparison_cell(res, "cold/project", "cold/pelican") == "2.50× (1.00–3.00), CPU 2.50×; 2.00 s vs 5.00 s"
    assert comparison_cell(res, "cold/project", "cold/pelican", cpu=False).startswith("2.50× (1.00–3.00); ")


def test_format_table_is_markdown() -> None:
    table = format_table(["a", "b"], [["1", "2"], ["3", "4"]])
    assert table.splitlines() == ["| a | b |", "| --- | --- |", "| 1 | 2 |", "| 3 | 4 |"]


def _full_results(n: int) -> SizeResults:
    res = SizeResults(n)
    for scenario, tools in (
        ("cold", ("project", "pelican", "hugo")),
        ("warm", ("project", "pelican")),
        ("edit", ("project", "pelican", "hugo")),
        ("nochange", ("project", "pelican", "hugo")),
        ("serve", ("project", "hugo-fast", "hugo-full")),
    ):
        for tool in tools:
            res.add(f"{scenario}/{tool}", sample(1.0, peak=100.0))
    still_noisy = res.runs["cold/project"][0]
    still_noisy.others, still_noisy.attempts, still_noisy.contaminated_attempts = 5.0, 4, 4
    for name in ("project", "hugo-fast", "hugo-full"):
        res.server_peak_mb[name] = [300.0]
        res.self_reported_ms[name] = [40.0, 60.0]
    return res


def test_comparison_table_has_one_column_per_size_and_every_row() -> None:
    table = comparison_table([_full_results(1000), _full_results(5000)])
    lines = table.splitlines()
    assert lines[0].endswith("| N=1,000 | N=5,000 |")
    assert any(line.startswith("| cold build vs Pelican cold (its cache off) | 1.00×") for line in lines)
    assert any("save → rebuilt: `serve` vs `hugo server --disableFastRender`" in line for line in lines)
    assert any("50 ms / 50 ms / 50 ms" in line for line in lines)  # the servers' own reports, medians
    assert any("2,000 (2,000/CPU-s)" in line for line in lines)  # article pages/s: 2·N per second
    assert any("300 MB / 300 MB / 300 MB" in line for line in lines)
    assert any(line.endswith("| 1 of 14 / 1 | 1 of 14 / 1 |") for line in lines)
    assert len(lines) == 2 + 9 + 6


def test_contamination_counts_first_attempts_and_the_runs_left_contaminated() -> None:
    res = SizeResults(10)
    clean, repeated, kept = sample(1.0), sample(1.0), sample(1.0)
    repeated.attempts, repeated.contaminated_attempts = 2, 1
    kept.attempts, kept.contaminated_attempts = 4, 4
    for s in (clean, repeated, kept):
        res.add("cold/project", s)
    assert contamination(res) == "2 of 3 / 1"


def test_self_reported_rebuild_times_are_read_from_either_tool() -> None:
    assert last_self_report_ms("[12:00:01] rebuilt in 39 ms: 2 page(s)\n[12:00:05] rebuilt in 41 ms: 2") == 41.0
    assert last_self_report_ms("Change detected\nTotal in 6 ms\n") == 6.0
    assert last_self_report_ms("Total in 1.5 s\n") == 1500.0
    assert last_self_report_ms("serving output at http://127.0.0.1:8000/") is None


def test_cpu_model_and_rotation() -> None:
    assert cpu_model("processor\t: 0\nmodel name\t: Intel(R) Xeon(R)\n") == "Intel(R) Xeon(R)"
    assert cpu_model("") == "unknown CPU"
    assert [rotated(("a", "b", "c"), r) for r in range(4)] == [
        ["a", "b", "c"],
        ["b", "c", "a"],
        ["c", "a", "b"],
        ["a", "b", "c"],
    ]


def test_saved_samples_read_back_into_the_same_tables(tmp_path: Path) -> None:
    results = [_full_results(1000)]
    save_raw(results, tmp_path / "raw.json")
    again = load_raw(tmp_path / "raw.json")
    assert again[0].runs == results[0].runs
    assert comparison_table(again) == comparison_table(results)


def test_ten_new_articles_are_new_valid_pairs_each_round(tmp_path: Path) -> None:
    from generate_corpus import generate

    from briefing.sources import load_content

    project = tmp_path / "p"
    generate(project, 12, seed=3)
    add_articles(project, 1, 10)
    add_articles(project, 2, 10)
    content = load_content(project / "content", None)
    assert not content.errors
    for lang in ("fr", "en"):
        new = [a for a in content.articles[lang].values() if a.slug.endswith("-nouvelle")]
        assert len(new) == 20 and len(content.articles[lang]) == 32
        assert sorted(a.title.split(" ", 2)[1] for a in new) == sorted(f"{k}-{i}" for k in (1, 2) for i in range(10))


def test_the_added_articles_are_removed_after_their_round_and_nothing_else_is(tmp_path: Path) -> None:
    # The cold row after a round of new10 counts 2·N article pages: the added ones must go, the generated stay.
    from generate_corpus import generate

    project = tmp_path / "p"
    generate(project, 12, seed=3)
    before = sorted(p.relative_to(project) for p in (project / "content").rglob("*.md"))
    add_articles(project, 1, 10)
    remove_added_articles(project)
    assert sorted(p.relative_to(project) for p in (project / "content").rglob("*.md")) == before


def test_the_deploy_row_appears_when_the_deploy_scenario_ran() -> None:
    res = _full_results(1000)
    assert not any("deploy after" in line for line in comparison_table([res]).splitlines())  # not run: no row
    res.add("deploy/project", sample(2.0, peak=100.0))
    res.add("deploy/hugo", sample(4.0, peak=100.0))
    lines = comparison_table([res]).splitlines()
    row = next(
        line
        for line in lines
        if "deploy after a one-article edit (fresh checkout, build cache restored), with search index" in line
    )
    assert "| 2.00× (2.00–2.00)" in row and len(lines) == 2 + 10 + 6


def test_a_deploy_starts_from_a_fresh_checkout_with_only_the_build_cache(tmp_path: Path) -> None:
    """The deploy row runs what Netlify and the Pages workflow run: the edit, no output folder, no incremental
    state, the build cache kept; so the project's build there is a full one from the cache."""
    import itertools
    import subprocess

    from archive_bench import Bench, fresh_checkout
    from bench_sites import Site
    from generate_corpus import generate

    project = tmp_path / "p"
    generate(project, 4, seed=5)
    subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project), "build", "--no-search"], check=True)
    edited = sorted((project / "content" / "fr").glob("*.md"))[0]
    site = Site("project", project, project / "output", edited)
    bench = Bench({"project": site}, Path("pelican"), Path("hugo"), 0.2, _full_results(4), itertools.count(1), 0)
    assert list((project / ".cache").glob("site-state-*.json"))
    before = edited.read_text(encoding="utf-8")
    fresh_checkout(bench, "project")()
    assert edited.read_text(encoding="utf-8") != before
    assert not (project / "output").exists() and not list((project / ".cache").glob("site-state-*.json"))
    assert (project / ".cache" / "build.sqlite").is_file()
    run = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--root", str(project), "build", "--no-search"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "full build: no state of an earlier build" in run.stderr + run.stdout
