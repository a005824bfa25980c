"""The scheduler side of a recording: a plugin that notes every task transition."""

from __future__ import annotations

import time
from typing import Any

from distributed.diagnostics.plugin import SchedulerPlugin

PLUGIN_NAME = "orrery-recorder"


class RecorderPlugin(SchedulerPlugin):
    """Notes, on the scheduler, what a recording needs and only the scheduler knows.

    For each task a client submits while it is registered: its dependencies, the priority dask
    gave it, restrictions, resources and retries. For each of those tasks' transitions (other
    tasks' are not the recording's): when, from and to which state,
    on which worker, and for a finished or erred execution the worker's start/stop records
    and the result's size. Workers are noted as they join, so a worker that leaves keeps its
    name. Everything is kept as plain values, so `snapshot()` travels to the client.
    """

    name = PLUGIN_NAME

    def __init__(self) -> None:
        self.scheduler = None
        self.tasks: dict[Any, dict[str, Any]] = {}
        self.transitions: list[dict[str, Any]] = []
        self.workers: dict[str, dict[str, Any]] = {}

    async def start(self, scheduler) -> None:
        self.scheduler = scheduler
        for address in scheduler.workers:
            self.add_worker(scheduler, address)

    def add_worker(self, scheduler, worker: str) -> None:
        state = scheduler.workers[worker]
        self.workers.setdefault(
            worker,
            {
                "name": state.name,
                "threads": state.nthreads,
                "memory": state.memory_limit,
                "resources": dict(state.resources),
                "joined": time.time(),
            },
        )

    def update_graph(self, scheduler, *, tasks, **kwargs) -> None:
        for key in tasks:
            task = scheduler.tasks.get(key)
            if task is not None and key not in self.tasks:
                self.tasks[key] = _describe(task)

    def transition(self, key, start, finish, *args, stimulus_id=None, **kwargs) -> None:
        if key not in self.tasks or start == finish:
            return  # another computation's task, or no change of state
        now = time.time()
        task = self.scheduler.tasks.get(key)
        worker = kwargs.get("worker")
        if worker is None and finish == "processing" and task is not None:
            worker = task.processing_on.address if task.processing_on else None
        entry = {"time": now, "key": key, "from": start, "to": finish, "worker": worker}
        if start == "processing" and finish in ("memory", "erred"):
            entry["startstops"] = [dict(s) for s in kwargs.get("startstops") or ()]
            entry["nbytes"] = kwargs.get("nbytes")
        self.transitions.append(entry)

    def snapshot(self) -> dict[str, Any]:
        """Everything noted so far, as plain values."""
        return {
            "tasks": self.tasks,
            "transitions": self.transitions,
            "workers": self.workers,
        }


def _describe(task) -> dict[str, Any]:
    """What a task is: the parts of its scheduler state that a scenario can say."""
    return {
        "dependencies": [dependency.key for dependency in task.dependencies],
        "priority": tuple(task.priority) if task.priority is not None else None,
        "workers": sorted(task.worker_restrictions or ()),
        "loose": bool(task.loose_restrictions),
        "resources": dict(task.resource_restrictions or {}),
        "retries": task.retries or 0,
    }
