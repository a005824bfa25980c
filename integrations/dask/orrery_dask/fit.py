"""Fitting the network a recorded scenario says, from recorded runs.

`python -m orrery_dask fit FOLDER...` reads each recording's `recording.json` and prints the
`network:` entry that matches what dask took on them:

- `client_latency`: from the start of the recording to the scheduler's first transition (the
  client packing the graph and sending it, the scheduler unpacking it), median over the runs;
- `first_task_delay`: each worker's warm-up (a fresh worker importing the task's code before
  any of its threads starts) as `warm_ups` measures it, median over the workers of the runs;
- `handoff`: a lognormal distribution (the mean and deviation of the logarithms, in
  seconds) through the gaps from a task's end to the start of the next task on the same worker, where that task was already there waiting for a thread (the worker's event loop
  taking the result and starting the next); both times are read on the worker's clock. Most
  gaps are near 1 ms, a few several times that (the event loop busy with something else),
  which is enough to tip which worker reports first;
- `start_gap`: a lognormal distribution through the gaps between a worker's first starts,
  where each task started was there before the one started before it (a worker hands its
  ready tasks to its threads one at a time): the logarithm of the median gap, and the spread
  of the middle half of the logarithms (a normal's interquartile range is 1.349 deviations),
  so the rare gap of several milliseconds (the event loop busy with something else) does not
  widen the whole distribution;
- `worker_latency`: half of what remains, after the median handoff, of the time from a task's end to
  the start of a dependent on the same worker whose only input it was (the finish going to the
  scheduler, the compute coming back), median over such pairs; pairs more than 50 ms apart
  waited for a thread and are left out;
- `latency` and `bandwidth` between workers: a least-squares line through the duration of
  each gather but a worker's first from a peer, against its bytes (the keys of one gather
  share worker, peer and start);
- `connect_latency`: how much longer than that line the first gather between two workers
  took (opening the connection), median over the pairs.

`DEFAULT_NETWORK`, `DEFAULT_FIRST_TASK_DELAY` and `DEFAULT_HANDOFF` are this fit on the eight
shipped graphs, six runs each, on two local workers of two threads; `DEFAULT_START_GAP` on 25
runs each (the README says where).
"""

from __future__ import annotations

import math
import statistics
from bisect import bisect_right
from collections import defaultdict

from .recording import Recording

#: The network a recorded scenario says unless the recorder is given another: the fit above.
DEFAULT_NETWORK = {
    "client_latency": "12600us",
    "worker_latency": "1300us",
    "latency": "1700us",
    "connect_latency": "1900us",
    "bandwidth": "400MB/s",
}

#: The warm-up a recorded scenario gives a worker that ran nothing in the recording: the fit.
DEFAULT_FIRST_TASK_DELAY = "18700us"

#: The handoff a recorded scenario gives each worker unless told another: the fit.
DEFAULT_HANDOFF = "{lognormal: {mu: -6.9, sigma: 0.48}}"

#: The start gap a recorded scenario gives each worker unless told another: the fit.
DEFAULT_START_GAP = "{lognormal: {mu: -7.73, sigma: 0.51}}"


def fit(recordings: list[Recording]) -> dict[str, float]:
    """The fitted figures: latencies in seconds, bandwidth in bytes a second. A figure the
    recordings say nothing about is left out."""
    figures: dict[str, float] = {}
    handoffs = [gap for r in recordings for gap in _handoffs(r)]
    if handoffs:
        figures["handoff"] = statistics.median(handoffs)
    logarithms = [math.log(gap) for gap in handoffs if gap > 0]
    if len(logarithms) > 1:
        figures["handoff_mu"] = statistics.fmean(logarithms)
        figures["handoff_sigma"] = statistics.stdev(logarithms)
    starts = sorted(gap for r in recordings for gap in _start_gaps(r) if gap > 0)
    if len(starts) >= 4:
        logarithms = [math.log(gap) for gap in starts]
        figures["start_gap_mu"] = math.log(statistics.median(starts))
        quartiles = statistics.quantiles(logarithms, n=4)
        figures["start_gap_sigma"] = (quartiles[2] - quartiles[0]) / 1.349
    handovers = [gap for r in recordings for gap in _handovers(r)]
    if handovers:
        figures["worker_latency"] = max(
            statistics.median(handovers) - figures.get("handoff", 0.0), 0.0) / 2
    firsts = [min(t.time for t in r.transitions) - r.start for r in recordings if r.transitions]
    if firsts:
        figures["client_latency"] = statistics.median(firsts)
    warm = [delay for r in recordings
            for delay in warm_ups(r, figures.get("worker_latency", 0.0)).values()]
    if warm:
        figures["first_task_delay"] = statistics.median(warm)
    gathers = [g for r in recordings for g in _gathers(r)]
    line = _gather_line([(size, duration) for size, duration, first in gathers if not first])
    if line:
        latency, bandwidth = figures["latency"], figures["bandwidth"] = line
        openings = [duration - latency - size / bandwidth for size, duration, first in gathers
                    if first]
        if openings:
            figures["connect_latency"] = max(statistics.median(openings), 0)
    return figures


def network_text(figures: dict[str, float]) -> str:
    """The figures as a scenario's `network:` entry, and the workers' first-task delay."""
    parts = []
    for name in ("client_latency", "worker_latency", "latency", "connect_latency"):
        if name in figures:
            parts.append(f"{name}: {round(figures[name] * 1e6)}us")
    if "bandwidth" in figures:
        parts.append(f"bandwidth: {round(figures['bandwidth'] / 1e6)}MB/s")
    text = "network: {" + ", ".join(parts) + "}"
    workers = [f"first_task_delay: {round(figures['first_task_delay'] * 1e6)}us"
               ] if "first_task_delay" in figures else []
    if "handoff_mu" in figures:
        workers.append(f"handoff: {{lognormal: {{mu: {figures['handoff_mu']:.2f}, "
                       f"sigma: {figures['handoff_sigma']:.2f}}}}}")
    elif "handoff" in figures:
        workers.append(f"handoff: {round(figures['handoff'] * 1e6)}us")
    if "start_gap_mu" in figures:
        workers.append(f"start_gap: {{lognormal: {{mu: {figures['start_gap_mu']:.2f}, "
                       f"sigma: {figures['start_gap_sigma']:.2f}}}}}")
    if workers:
        text += "\nworkers: {" + ", ".join(workers) + "}"
    return text


def _handovers(recording: Recording) -> list[float]:
    ends = {}
    for task in recording.tasks:
        for execution in task.executions:
            if execution.ok:
                ends[task.key] = execution
    fetched = {(t.worker, t.key) for t in recording.transfers}
    gaps = []
    for task in recording.tasks:
        if len(task.dependencies) != 1 or task.key not in ends:
            continue
        before = ends.get(task.dependencies[0])
        after = ends[task.key]
        if before is None or before.worker != after.worker:
            continue
        if (after.worker, task.dependencies[0]) in fetched:
            continue
        gap = after.start - before.stop
        if 0 <= gap < 0.05:
            gaps.append(gap)
    return gaps


def _handoffs(recording: Recording) -> list[float]:
    """Each gap from a task's end to the next start on its worker, where the task started next
    was sent to the worker at least 10 ms before that end and does not depend on the one that
    ended (so it waited for a thread, not for data), and the gap is under 10 ms."""
    sent = _sent(recording)
    dependencies = {task.key: set(task.dependencies) for task in recording.tasks}
    gaps = []
    for executions in _executions_by_worker(recording).values():
        ends = sorted((stop, key) for _, stop, key in executions)
        stops = [stop for stop, _ in ends]
        for start, _, key in executions:
            # The last end at or before this start that is not this task's own.
            index = bisect_right(stops, start) - 1
            while index >= 0 and ends[index][1] == key:
                index -= 1
            if index < 0:
                continue
            stop, ended = ends[index]
            if (start - stop < 0.01 and ended not in dependencies[key]
                    and sent.get(key, start) < stop - 0.01):
                gaps.append(start - stop)
    return gaps


def _start_gaps(recording: Recording) -> list[float]:
    """The gaps between consecutive starts among each worker's first (as many as it has
    threads), where the later task was sent to the worker before the earlier one started
    (so both waited for the worker's event loop, not for a thread or for data)."""
    sent = _sent(recording)
    threads = {worker.name: worker.threads for worker in recording.workers}
    gaps = []
    for worker, executions in _executions_by_worker(recording).items():
        first = sorted(executions)[:threads.get(worker, 1)]
        for (before, _, _), (after, _, key) in zip(first, first[1:]):
            if sent.get(key, after) < before:
                gaps.append(after - before)
    return gaps


def _sent(recording: Recording) -> dict[str, float]:
    """When the scheduler last sent each task to a worker."""
    return {step.key: step.time for step in recording.transitions if step.finish == "processing"}


def _executions_by_worker(recording: Recording) -> dict[str, list[tuple[float, float, str]]]:
    """Each worker's executions: start, stop and key."""
    runs: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    for task in recording.tasks:
        for execution in task.executions:
            runs[execution.worker].append((execution.start, execution.stop, task.key))
    return runs


def warm_ups(recording: Recording, worker_latency: float) -> dict[str, float]:
    """Each worker's warm-up, in seconds, as the scheduler saw it: the first result a worker
    reported, less that task's duration and one `worker_latency`, is when its first tasks
    started; less the first task sent to it and another `worker_latency`, what it did before
    starting anything. Only the scheduler's clock is read: dask's estimate of a worker clock's
    offset is a few milliseconds off, as much as two workers' warm-ups differ, and which
    worker is ahead decides where a queue's last tasks go."""
    durations = {task.key: execution.stop - execution.start
                 for task in recording.tasks for execution in task.executions if execution.ok}
    sent: dict[str, float] = {}
    started: dict[str, float] = {}
    for step in recording.transitions:
        if step.worker is None:
            continue
        if step.finish == "processing":
            sent.setdefault(step.worker, step.time)
        elif step.start == "processing" and step.finish == "memory" and step.key in durations:
            start = step.time - durations[step.key] - worker_latency
            started[step.worker] = min(started.get(step.worker, start), start)
    return {worker: max(started[worker] - sent[worker] - worker_latency, 0.0)
            for worker in sorted(sent) if worker in started}


def _gathers(recording: Recording) -> list[tuple[int, float, bool]]:
    """Each gather's bytes, its duration, and whether it was its worker's first from its
    peer."""
    gathers: dict[tuple, list] = defaultdict(lambda: [0, 0.0])
    for transfer in recording.transfers:
        gather = gathers[(transfer.worker, transfer.source, transfer.start)]
        gather[0] += transfer.nbytes
        gather[1] = transfer.stop - transfer.start
    seen = set()
    result = []
    for (worker, source, _), (size, duration) in sorted(gathers.items(), key=lambda g: g[0][2]):
        result.append((size, duration, (worker, source) not in seen))
        seen.add((worker, source))
    return result


def _gather_line(gathers: list[tuple[int, float]]) -> tuple[float, float] | None:
    """Latency and bandwidth from duration = latency + bytes / bandwidth, by least squares;
    `None` without gathers of at least two sizes or with a line that does not slope up."""
    if len({size for size, _ in gathers}) < 2:
        return None
    mean_x = statistics.fmean(size for size, _ in gathers)
    mean_y = statistics.fmean(duration for _, duration in gathers)
    sxx = sum((size - mean_x) ** 2 for size, _ in gathers)
    sxy = sum((size - mean_x) * (duration - mean_y) for size, duration in gathers)
    slope = sxy / sxx
    if slope <= 0:
        return None
    return max(mean_y - slope * mean_x, 0.0), 1 / slope
