"""A recording's workload as an Orrery scenario file."""

from __future__ import annotations

import json
import re

from .recording import Recording, Worker


def scenario_text(
    recording: Recording, name: str, network: dict[str, str], first_task_delay: str | None = None,
    warm_ups: dict[str, float] | None = None, handoff: str | None = None,
    start_gap: str | None = None
) -> str:
    """The scenario: the recorded workers, every task in dask's priority order with its measured
    duration and result size, submitted at once, expected to complete; `work-stealing` when
    dask stole (its default), else `locality`; `network` as given; each worker's
    `first_task_delay` its measured warm-up in `warm_ups` (seconds), else `first_task_delay`;
    each worker's `handoff` and `start_gap` as given.

    Tasks are listed in the order of the priorities dask gave them, so a simulation that runs
    ready tasks in submission order runs them in dask's order. Workers are listed in the order
    dask first sent each one a task (see `dispatch_order`).
    """
    description = (
        f"recorded from dask: {len(recording.tasks)} tasks on {len(recording.workers)} "
        f"workers in {recording.stop - recording.start:.3f} s"
    )
    policy = "work-stealing" if recording.stealing else "locality"
    lines = [
        f"name: {_text(name)}",
        f"description: {_text(description)}",
        f"scheduler: {{policy: {policy}}}",
    ]
    if network:
        lines.append("network: {" + ", ".join(f"{k}: {v}" for k, v in network.items()) + "}")
    lines += [
        "cluster:",
        "  workers:",
    ]
    for worker in dispatch_order(recording):
        fields = [f"name: {_text(worker.name)}", f"threads: {worker.threads}"]
        if worker.memory:
            fields.append(f"memory: {worker.memory}")
        if worker.resources:
            fields.append(f"resources: {_amounts(worker.resources)}")
        warm_up = (warm_ups or {}).get(worker.name)
        if warm_up is not None:
            fields.append(f"first_task_delay: {round(warm_up * 1e6)}us")
        elif first_task_delay:
            fields.append(f"first_task_delay: {first_task_delay}")
        if handoff:
            fields.append(f"handoff: {handoff}")
        if start_gap:
            fields.append(f"start_gap: {start_gap}")
        lines.append("    - {" + ", ".join(fields) + "}")
    lines.append("tasks:")
    for task in recording.tasks:
        fields = [f"key: {_text(task.key)}"]
        if task.dependencies:
            fields.append("deps: [" + ", ".join(_text(d) for d in task.dependencies) + "]")
        fields.append(f"duration: {round(task.duration * 1e6)}us")
        fields.append(f"output: {task.nbytes if task.nbytes is not None else 8}")
        if task.user_priority:
            fields.append(f"priority: {task.user_priority}")
        if task.retries:
            fields.append(f"retries: {task.retries}")
        if task.resources:
            fields.append(f"resources: {_amounts(task.resources)}")
        if task.workers:
            fields.append("workers: [" + ", ".join(_text(w) for w in task.workers) + "]")
            if task.loose:
                fields.append("allow_other_workers: true")
        lines.append("  - {" + ", ".join(fields) + "}")
    lines += ["expect:", "  - {completes: true}"]
    return "\n".join(lines) + "\n"


#: Seconds in each unit a scenario's durations take.
_UNITS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def dispatch_order(recording: Recording) -> list[Worker]:
    """The recorded workers in the order dask's scheduler first sent each one a task, then
    those it sent none, by name.

    Among equally loaded idle workers dask takes them in the order of its own sets, which no
    name shows; the simulated scheduler takes them in the order the scenario lists them. Listed
    this way, the first tie goes as it went on dask, so the simulated run's first tasks land on
    the workers that ran them, with those workers' recorded warm-ups, and the two Gantt charts
    line up row by row.
    """
    first: dict[str, float] = {}
    for transition in recording.transitions:
        if transition.finish == "processing" and transition.worker is not None:
            first[transition.worker] = min(
                transition.time, first.get(transition.worker, transition.time))
    return sorted(recording.workers,
                  key=lambda w: (w.name not in first, first.get(w.name, 0.0), w.name))


def seconds(duration: str) -> float:
    """A fixed duration as scenarios write it (`1800us`, `2ms`, `0.5s`), in seconds."""
    match = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)(ns|us|ms|s|m|h)", duration.strip())
    if not match:
        raise ValueError(f"expected a duration like 1800us, 2ms or 0.5s, got {duration!r}")
    return float(match[1]) * _UNITS[match[2]]


def _text(value: str) -> str:
    """A YAML scalar for any text: JSON's double-quoted strings are YAML's too."""
    return json.dumps(value, ensure_ascii=False)


def _amounts(amounts: dict[str, float]) -> str:
    parts = []
    for name, amount in sorted(amounts.items()):
        number = int(amount) if float(amount).is_integer() else amount
        parts.append(f"{_text(name)}: {number}")
    return "{" + ", ".join(parts) + "}"
