"""A recording as an Orrery trace: the `trace.jsonl` every Orrery report reads."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .recording import Recording


def trace_lines(recording: Recording, scenario: str, file: str) -> str:
    """The header line, then one event a line, in time order; keys sorted as Orrery writes them.

    Events: each worker joining, every scheduler transition, each execution's start and end,
    and each key a worker fetched (start and end, its size, the peer it came from). Times are
    nanoseconds from the start of the recording.
    """
    events: list[tuple[int, int, dict[str, Any]]] = []

    def add(time: float, entry: dict[str, Any]) -> None:
        entry["t"] = max(0, round((time - recording.start) * 1e9))
        entry.setdefault("detail", 0)
        events.append((entry["t"], len(events), entry))

    for worker in recording.workers:
        add(max(worker.joined, recording.start),
            {"kind": "joined", "worker": worker.name, "detail": worker.threads})
    for step in recording.transitions:
        entry = {"kind": "scheduler", "task": step.key, "from": step.start, "to": step.finish}
        if step.worker is not None:
            entry["worker"] = step.worker
        add(step.time, entry)
    run = 0
    for task in recording.tasks:
        for execution in task.executions:
            run += 1
            add(execution.start,
                {"kind": "execute", "task": task.key, "worker": execution.worker, "detail": run})
            add(execution.stop, {
                "kind": "executed", "task": task.key, "worker": execution.worker,
                "from": "ok" if execution.ok else "failed",
                "detail": round((execution.stop - execution.start) * 1e9),
            })
    for transfer in recording.transfers:
        add(transfer.start, {"kind": "fetch", "task": transfer.key, "worker": transfer.worker,
                             "to": transfer.source, "detail": transfer.nbytes})
        add(transfer.stop, {"kind": "fetched", "task": transfer.key, "worker": transfer.worker,
                            "from": "ok", "detail": transfer.nbytes})
    events.sort(key=lambda item: (item[0], item[1]))
    body = [_line(entry) for _, _, entry in events]
    states = _final_states(recording)
    header = {
        "scenario": scenario,
        "file": file,
        "seed": 0,
        "mode": "dask",
        "policy": "dask",
        "trace_hash": hashlib.sha256("\n".join(body).encode()).hexdigest()[:16],
        "replay": "",
        "passed": all(state == "finished" for state in states.values()),
        "wall_s": recording.stop - recording.start,
        "events": len(body),
        "workers": [{"name": w.name, "threads": w.threads} for w in recording.workers],
        "expectations": [],
        "invariant_violations": [],
        "hang": [],
        "final_states": states,
    }
    return "\n".join([_line(header)] + body) + "\n"


def _final_states(recording: Recording) -> dict[str, str]:
    """Each task's outcome as a future's status: finished once it reached memory, error once
    it erred, else pending."""
    states = {task.key: "pending" for task in recording.tasks}
    for step in recording.transitions:
        if step.finish == "memory":
            states[step.key] = "finished"
        elif step.finish == "erred":
            states[step.key] = "error"
    return states


def _line(value: dict[str, Any]) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
