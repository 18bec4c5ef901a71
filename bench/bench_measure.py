"""What one benchmark run costs, read from the kernel: wall time, CPU-seconds of the process tree, the CPU
other processes used meanwhile (noise), and peak memory as PSS summed over the tree.

* CPU of a command: the ``rusage`` ``os.wait4`` returns for it (its reaped children, e.g. forked render
  workers, included). CPU of a long-running server: ``/proc/<pid>/stat`` user+system (+ reaped children)
  summed over its tree, before and after.
* Others' CPU: busy time of the whole machine from ``/proc/stat`` over the run, minus the tree's CPU and
  minus this benchmark's own CPU (its sampling and polling). Expressed in cores (CPU-seconds per second).
* Memory: ``Pss`` from ``/proc/<pid>/smaps_rollup`` of every process of the tree, summed, sampled every
  50 ms by a thread; shared pages (a fork's copy-on-write memory) count once, split between sharers.
"""

from __future__ import annotations

import os
import resource
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
SAMPLE_SECONDS = 0.05


@dataclass
class Sample:
    """One counted run of one tool."""

    wall: float  # seconds
    cpu: float  # CPU-seconds of the tool's process tree
    others: float  # CPU-seconds used by other processes meanwhile
    peak_mb: float = 0.0  # peak PSS of the tree, MB
    attempts: int = 1  # 1 + repeats caused by contamination
    contaminated_attempts: int = 0

    @property
    def others_cores(self) -> float:
        return self.others / self.wall if self.wall > 0 else 0.0


def is_contaminated(sample: Sample, threshold_cores: float) -> bool:
    """Did other processes use more than ``threshold_cores`` (0.2 = 20 % of one core) during the run?"""
    return sample.others_cores > threshold_cores


def with_repeats(run: Callable[[], Sample], threshold_cores: float, repeats: int = 3) -> Sample:
    """``run`` once; while other processes used more than the threshold, run it again, up to ``repeats`` more
    times. Returns the last attempt (still contaminated if every attempt was), with the counts."""
    attempts = seen = 0
    while True:
        sample = run()
        attempts += 1
        if not is_contaminated(sample, threshold_cores):
            break
        seen += 1
        if attempts > repeats:
            break
    sample.attempts = attempts
    sample.contaminated_attempts = seen
    return sample


def busy_seconds(stat_line: str) -> float:
    """Busy CPU-seconds of the machine from ``/proc/stat``'s first line (every state but idle and iowait;
    guest time is already inside user)."""
    fields = [int(x) for x in stat_line.split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / TICK


def machine_busy() -> float:
    with open("/proc/stat") as f:
        return busy_seconds(f.readline())


def own_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def others_cpu(machine: float, tree: float, own: float) -> float:
    """CPU-seconds used by other processes: the machine's busy time minus the measured tree and this bench."""
    return max(0.0, machine - tree - own)


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (forked render workers, the search indexer)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return out


def _read_field(path: str, prefix: str) -> int:
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(prefix):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def pss_mb(pids: list[int]) -> float:
    return sum(_read_field(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids) / 1024


def tree_cpu(pid: int) -> float:
    """CPU-seconds so far of a live process tree: utime+stime+cutime+cstime of each process."""
    total = 0
    for p in process_tree(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += sum(int(x) for x in fields[11:15])
        except (OSError, IndexError, ValueError):
            pass
    return total / TICK


class PeakMemory:
    """Samples the PSS of a process tree in a thread until stopped; ``peak`` in MB."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, pss_mb(process_tree(self.pid)))
            self._stop.wait(SAMPLE_SECONDS)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


def run_command(cmd: list[str], cwd: Path | None = None) -> Sample:
    """Run ``cmd`` to its end and measure it; ``SystemExit`` with its error output if it fails."""
    with tempfile.TemporaryFile() as log:  # a file, not a pipe: a chatty tool must never block on it
        machine0, own0, t0 = machine_busy(), own_cpu(), time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=log)
        memory = PeakMemory(proc.pid)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        peak = memory.stop()
        machine, own = machine_busy() - machine0, own_cpu() - own0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            log.seek(0)
            err = log.read().decode(errors="replace")
            raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err[-2000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    return Sample(wall=wall, cpu=cpu, others=others_cpu(machine, cpu, own), peak_mb=peak)
