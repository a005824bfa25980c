"""The fidelity benchmark: each shipped graph on real dask several times and in the simulation.

For every graph and run: a fresh local cluster records the run, then `orrery compare
--sim-vs-dask` simulates that run's scenario and compares. The table gives, per graph, dask's
makespan (median and range over the runs), the simulation's (median), the error of the
medians, the paired error (each run's simulation against that run, the median over the runs),
the median and p90 of each task's start error (medians over the runs), how many tasks the
busiest and the idlest worker ran compared with dask (the median and the worst share over the
runs; workers are compared by load, since which of two alike workers dask calls `w0` is
chance), the same for dask's runs against each other (how far dask is from itself), and the
share of tasks run on the same worker.

The paired figures judge the simulation; the error of the medians also holds dask's own spread.
A simulated run replays one recording's durations, so it is compared with that recording: on a
graph whose dask runs fall on either side of a knife edge (the shuffle's extra wave), dask's
runs falling two to one and one simulation of the two landing on the other side part the
medians, though two of the three simulations agreed with their own recordings.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

from .fit import DEFAULT_NETWORK
from .graphs import GRAPHS
from .recorder import recorded_scenario, write_atomically
from .recording import Recording


@dataclass
class Run:
    dask: float
    simulated: float
    start_median: float
    start_p90: float
    same_worker: float
    load_difference: float
    dask_loads: list[int]

    @property
    def error(self) -> float:
        """The simulated makespan's error against this run's, as a share of dask's."""
        return (self.simulated - self.dask) / self.dask


def measure(
    graph: str, folder: Path, orrery: str, workers: int, threads: int, reuse: bool
) -> Run:
    if reuse:
        rewrite(folder, graph)
    else:
        from . import __main__ as command

        status = command.main(["record", graph, str(folder), "--workers", str(workers),
                               "--threads", str(threads), "--force"])
        if status != 0:
            raise RuntimeError(f"recording {graph} failed")
    shown = subprocess.run(
        [orrery, "compare", str(folder / "scenario.yaml"), "--sim-vs-dask", str(folder),
         "--output", str(folder / "comparison"), "--format", "json"],
        check=True, capture_output=True, text=True).stdout
    comparison = json.loads(shown)
    return Run(
        dask=comparison["b"]["makespan_s"],
        simulated=comparison["a"]["makespan_s"],
        start_median=comparison["start_difference"]["median"],
        start_p90=comparison["start_difference"]["p90"],
        same_worker=comparison["worker_agreement"],
        load_difference=load_difference(comparison["tasks_per_worker"]),
        dask_loads=sorted(row["b"] for row in comparison["tasks_per_worker"]),
    )


def rewrite(folder: Path, graph: str) -> None:
    """Writes a recording's scenario again from `recording.json`, as the recorder writes it
    today."""
    recording = Recording.from_json((folder / "recording.json").read_text())
    write_atomically(folder / "scenario.yaml", recorded_scenario(recording, graph, DEFAULT_NETWORK))


def load_difference(rows: list[dict]) -> float:
    """The largest difference between the runs' per-worker task counts, ranked by load, as a
    share of the dask count."""
    return loads_apart(sorted(row["a"] for row in rows), sorted(row["b"] for row in rows))


def loads_apart(loads: list[int], reference: list[int]) -> float:
    """The largest difference between two runs' per-worker task counts, both ranked by load,
    as a share of the reference run's count."""
    return max(abs(a - b) / max(b, 1) for a, b in zip(loads, reference))


def dask_spread(runs: list[Run]) -> float:
    """How far dask's runs of one graph are from each other in tasks per worker, measured as
    the simulation is measured against each: the noise floor of that column."""
    return max((loads_apart(a.dask_loads, b.dask_loads) for a in runs for b in runs
                if a is not b), default=0.0)


def table(results: dict[str, list[Run]]) -> str:
    lines = [
        "| graph | dask makespan (median, range) | sim makespan | error of medians | paired error | start error median, p90 | load vs dask, median (worst) run | dask vs dask | same worker |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    errors, paired_errors = [], []
    for graph, runs in results.items():
        dask = statistics.median(run.dask for run in runs)
        simulated = statistics.median(run.simulated for run in runs)
        error = (simulated - dask) / dask
        paired = paired_error(runs)
        errors.append(abs(error))
        paired_errors.append(abs(paired))
        lines.append(
            f"| {graph} | {dask:.3f} s ({min(r.dask for r in runs):.3f}–"
            f"{max(r.dask for r in runs):.3f}) | {simulated:.3f} s | {error:+.1%} | "
            f"{paired:+.1%} | "
            f"{statistics.median(r.start_median for r in runs) * 1000:.0f} ms, "
            f"{statistics.median(r.start_p90 for r in runs) * 1000:.0f} ms | "
            f"{statistics.median(r.load_difference for r in runs):.0%} "
            f"({max(r.load_difference for r in runs):.0%}) | {dask_spread(runs):.0%} | "
            f"{statistics.median(r.same_worker for r in runs):.0%} |")
    lines.append("")
    lines.append(
        f"error of medians: mean |error| {statistics.mean(errors):.1%}, worst "
        f"{max(errors):.1%}; paired: mean |error| {statistics.mean(paired_errors):.1%}, worst "
        f"{max(paired_errors):.1%}")
    return "\n".join(lines) + "\n"


def paired_error(runs: list[Run]) -> float:
    """The median over the runs of each simulation's error against its own recording."""
    return statistics.median(run.error for run in runs)


def run(orrery: str, folder: Path, runs: int, graphs: list[str], workers: int,
        threads: int, reuse: bool = False) -> str:
    load = os.getloadavg()
    results = {}
    for graph in graphs:
        results[graph] = [
            measure(graph, folder / graph / f"run{index + 1}", orrery, workers, threads, reuse)
            for index in range(runs)
        ]
    report = (
        f"{runs} dask runs a graph on {workers} workers × {threads} threads; load average "
        f"{load[0]:.2f} before, {os.getloadavg()[0]:.2f} after\n\n" + table(results))
    write_atomically(folder / "fidelity.md", report)
    # Each run's figures, to read a batch again without its recordings.
    write_atomically(folder / "fidelity.json", json.dumps(
        {graph: [dict(asdict(run), error=run.error) for run in runs]
         for graph, runs in results.items()}, indent=1) + "\n")
    return report


def graph_names() -> list[str]:
    return list(GRAPHS)
