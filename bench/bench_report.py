"""The archive benchmark's figures and tables: medians with their spread (min–max over the counted rounds),
ratios computed round by round (tools are interleaved in every round, so each round's ratio compares runs
made under the same conditions), and the machine/method/noise lines. Pure functions: no clock, no process.
"""

from __future__ import annotations

import json
import os
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from bench_measure import Sample


@dataclass
class SizeResults:
    """Everything measured at one corpus size N (articles per language)."""

    n: int
    runs: dict[str, list[Sample]] = field(default_factory=dict)  # "scenario/tool" → one Sample per round
    self_reported_ms: dict[str, list[float]] = field(default_factory=dict)  # server → its own rebuild times
    server_peak_mb: dict[str, list[float]] = field(default_factory=dict)  # server → peak PSS per session
    article_pages: dict[str, int] = field(default_factory=dict)  # tool → article pages counted in its output

    def add(self, key: str, sample: Sample) -> None:
        self.runs.setdefault(key, []).append(sample)


def load_raw(path: Path) -> list[SizeResults]:
    """SizeResults saved as JSON by the bench (``dataclasses.asdict``), read back."""
    out = []
    for raw in json.loads(path.read_text(encoding="utf-8")):
        res = SizeResults(raw["n"], self_reported_ms=raw["self_reported_ms"], server_peak_mb=raw["server_peak_mb"])
        res.article_pages = raw["article_pages"]
        res.runs = {k: [Sample(**s) for s in v] for k, v in raw["runs"].items()}
        out.append(res)
    return out


def spread(values: list[float]) -> tuple[float, float, float]:
    """(median, min, max)."""
    return statistics.median(values), min(values), max(values)


def round_ratios(project: list[Sample], peer: list[Sample], attr: str = "wall") -> list[float]:
    """Project ÷ peer speed in each round: the peer's time over the project's (> 1 = project faster)."""
    return [getattr(b, attr) / getattr(a, attr) for a, b in zip(project, peer, strict=True)]


def fmt_seconds(s: float) -> str:
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"


def fmt_ratio(ratios: list[float]) -> str:
    med, lo, hi = spread(ratios)
    return f"{med:.2f}× ({lo:.2f}–{hi:.2f})"


def comparison_cell(res: SizeResults, project_key: str, peer_key: str, cpu: bool = True) -> str:
    """'2.20× (1.90–2.50), CPU 1.20×; 5.10 s vs 11.2 s': wall-time ratio per round, median and spread, the
    CPU-seconds ratio, and the two medians."""
    a, b = res.runs[project_key], res.runs[peer_key]
    cell = fmt_ratio(round_ratios(a, b))
    if cpu:
        cell += f", CPU {statistics.median(round_ratios(a, b, 'cpu')):.2f}×"
    wa, wb = statistics.median(s.wall for s in a), statistics.median(s.wall for s in b)
    return f"{cell}; {fmt_seconds(wa)} vs {fmt_seconds(wb)}"


COMPARISONS = [
    ("cold build vs Pelican cold (its cache off)", "cold/project", "cold/pelican", True),
    ("cold build vs Hugo cold", "cold/project", "cold/hugo", True),
    ("warm build (cache kept) vs Pelican with its cache kept", "warm/project", "warm/pelican", True),
    ("one-article edit, command line, vs Pelican (its cache kept)", "edit/project", "edit/pelican", True),
    ("one-article edit, command line, vs Hugo", "edit/project", "edit/hugo", True),
    ("no change, command line, vs Pelican (its cache kept)", "nochange/project", "nochange/pelican", True),
    ("no change, command line, vs Hugo", "nochange/project", "nochange/hugo", True),
    (
        "deploy after a one-article edit (fresh checkout, build cache restored), with search index, vs Hugo + Pagefind",
        "deploy/project",
        "deploy/hugo",
        True,
    ),
    ("save → rebuilt: `serve` vs `hugo server` (fast render)", "serve/project", "serve/hugo-fast", False),
    ("save → rebuilt: `serve` vs `hugo server --disableFastRender`", "serve/project", "serve/hugo-full", False),
]
SERVERS = {"project": "`serve`", "hugo-fast": "hugo fast render", "hugo-full": "hugo all pages"}


def pages_per_second(res: SizeResults, key: str) -> str:
    """Article pages/s by wall time and per CPU-second, medians."""
    samples = res.runs[key]
    pages = 2 * res.n
    wall = statistics.median(pages / s.wall for s in samples)
    cpu = statistics.median(pages / s.cpu for s in samples)
    return f"{wall:,.0f} ({cpu:,.0f}/CPU-s)"


def median_ms(values: list[float]) -> str:
    return f"{statistics.median(values):,.0f} ms" if values else "n/a"


def absolute_rows(res: SizeResults) -> list[tuple[str, str]]:
    peak = {k: max(s.peak_mb for s in v) for k, v in res.runs.items()}
    serve_peak = {k: max(v) for k, v in res.server_peak_mb.items()}
    own = " / ".join(f"{median_ms(res.self_reported_ms.get(k, []))}" for k in SERVERS)
    return [
        ("rebuild time each server prints: `serve` / hugo fast render / hugo all pages", own),
        (
            "article pages/s, cold: project / Pelican / Hugo",
            " / ".join(pages_per_second(res, f"cold/{t}") for t in ("project", "pelican", "hugo")),
        ),
        (
            "article pages/s, warm: project / Pelican",
            " / ".join(pages_per_second(res, f"warm/{t}") for t in ("project", "pelican")),
        ),
        (
            "peak memory (PSS, process tree), cold build: project / Pelican / Hugo",
            " / ".join(f"{peak[f'cold/{t}']:,.0f} MB" for t in ("project", "pelican", "hugo")),
        ),
        (
            "peak memory (PSS, process tree), server session: `serve` / `hugo server` (fast, all pages)",
            " / ".join(f"{serve_peak.get(k, 0):,.0f} MB" for k in SERVERS),
        ),
        ("runs contaminated by other processes (at first) / still after the repeats", contamination(res)),
    ]


def contamination(res: SizeResults) -> str:
    samples = [s for v in res.runs.values() for s in v]
    first = sum(1 for s in samples if s.contaminated_attempts > 0)
    kept = sum(1 for s in samples if s.contaminated_attempts == s.attempts)
    return f"{first} of {len(samples)} / {kept}"


def format_table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table (pastes into the README as it is)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def comparison_table(results: list[SizeResults]) -> str:
    header = ["comparison (project ÷ peer speed; > 1 = project faster)"] + [f"N={r.n:,}" for r in results]
    rows = [
        [label] + [comparison_cell(r, a, b, cpu) for r in results]
        for label, a, b, cpu in COMPARISONS
        if all(a in r.runs and b in r.runs for r in results)  # a run without that scenario: no row
    ]
    labels = [label for label, _ in absolute_rows(results[0])]
    cells = [dict(absolute_rows(r)) for r in results]
    rows += [[label] + [c[label] for c in cells] for label in labels]
    return format_table(header, rows)


def detail_table(res: SizeResults) -> str:
    """Every measured series at one size: wall and CPU medians with spread, peak memory, noise."""
    header = ["run", "wall median (min–max)", "CPU-s median", "peak PSS MB", "others' CPU, cores median (max)"]
    rows = []
    for key, samples in res.runs.items():
        wall, lo, hi = spread([s.wall for s in samples])
        others = [s.others_cores for s in samples]
        rows.append(
            [
                key,
                f"{fmt_seconds(wall)} ({fmt_seconds(lo)}–{fmt_seconds(hi)})",
                f"{statistics.median(s.cpu for s in samples):.2f}",
                f"{max(s.peak_mb for s in samples):,.0f}" if any(s.peak_mb for s in samples) else "",
                f"{statistics.median(others):.2f} ({max(others):.2f})",
            ]
        )
    return format_table(header, rows)


def cpu_model(cpuinfo: str) -> str:
    for line in cpuinfo.splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown CPU"


def machine_line(scratch: str, tmpfs: bool) -> str:
    with open("/proc/cpuinfo") as f:
        model = cpu_model(f.read())
    where = f"on tmpfs ({scratch})" if tmpfs else f"on disk ({scratch}): this machine has no tmpfs at /dev/shm"
    return f"machine: {os.cpu_count()} cores, {model}; sites and outputs {where}"


def method_line(rounds: int, threshold: float, repeats: int = 3) -> str:
    return (
        f"method: {rounds} counted rounds after 1 warm-up round, the tools interleaved in every round (their "
        "order rotated each round); medians, spread min–max over the rounds, ratios computed round by round; "
        "unit: article pages (2·N per tool); CPU = CPU-seconds of the tool's process tree; a run during which "
        f"other processes used more than {threshold:.2f} of a core is repeated, at most {repeats} time(s)"
    )


def noise_line(results: list[SizeResults]) -> str:
    samples = [s for r in results for v in r.runs.values() for s in v]
    others = [s.others_cores for s in samples]
    first = sum(1 for s in samples if s.contaminated_attempts > 0)
    repeats = sum(s.attempts - 1 for s in samples)
    kept = sum(1 for s in samples if s.contaminated_attempts == s.attempts)
    return (
        f"noise: other processes used {statistics.median(others):.2f} cores median, {max(others):.2f} at most, "
        f"during the {len(samples)} counted runs; {first} contaminated at first, {repeats} repeats, "
        f"{kept} still contaminated after them"
    )
