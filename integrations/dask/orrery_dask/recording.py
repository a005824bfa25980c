"""A recorded dask run, as Orrery sees it: workers, tasks, executions and transfers."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Worker:
    name: str
    threads: int
    memory: int | None
    resources: dict[str, float]
    joined: float


@dataclass
class Execution:
    worker: str
    start: float
    stop: float
    ok: bool


@dataclass
class Transfer:
    """One key fetched by `worker` from `source`; the keys of one gather share start and stop."""

    key: str
    worker: str
    source: str
    start: float
    stop: float
    nbytes: int


@dataclass
class Task:
    key: str
    dependencies: list[str]
    priority: tuple
    workers: list[str]
    loose: bool
    resources: dict[str, float]
    retries: int
    executions: list[Execution] = field(default_factory=list)
    nbytes: int | None = None

    @property
    def duration(self) -> float:
        """The successful execution's length in seconds (the last one, if it ran again)."""
        finished = [e for e in self.executions if e.ok] or self.executions
        return finished[-1].stop - finished[-1].start if finished else 0.0

    @property
    def user_priority(self) -> int:
        """The priority the user gave (dask keeps it negated first in the tuple)."""
        return int(-self.priority[0]) if self.priority else 0


@dataclass
class Transition:
    time: float
    key: str
    start: str
    finish: str
    worker: str | None


@dataclass
class Recording:
    """A dask run by Orrery's names: keys as text, workers by name, times in seconds."""

    start: float
    stop: float
    workers: list[Worker]
    tasks: list[Task]
    transitions: list[Transition]
    transfers: list[Transfer]
    truncated_logs: list[str]
    #: Whether dask's work stealing ran (the scenario's policy is then `work-stealing`).
    stealing: bool = True

    @staticmethod
    def from_snapshot(
        snapshot: dict[str, Any], transfer_logs: dict[str, dict], start: float, stop: float
    ) -> "Recording":
        """Builds a recording from the plugin's snapshot and each worker's incoming transfers
        (`{"log": [...], "full": bool}` by worker address; see `incoming_transfers`)."""
        names = WorkerNames(snapshot["workers"])
        keys = KeyNames(snapshot["tasks"])
        workers = [
            Worker(
                name=names[address],
                threads=info["threads"],
                memory=info["memory"] or None,
                resources=info["resources"],
                joined=info["joined"],
            )
            for address, info in sorted(
                snapshot["workers"].items(), key=lambda item: names[item[0]]
            )
        ]
        tasks = {
            key: Task(
                key=keys[key],
                dependencies=sorted(
                    keys[d] for d in info["dependencies"] if d in snapshot["tasks"]),
                priority=info["priority"] or (),
                workers=[names[a] for a in info["workers"] if a in names],
                loose=info["loose"],
                resources=info["resources"],
                retries=info["retries"],
            )
            for key, info in snapshot["tasks"].items()
        }
        transitions = []
        for entry in snapshot["transitions"]:
            if entry["key"] not in tasks:
                continue
            worker = names.get(entry["worker"])
            transitions.append(
                Transition(entry["time"], keys[entry["key"]], entry["from"], entry["to"], worker)
            )
            if "startstops" not in entry:
                continue
            task = tasks[entry["key"]]
            if entry.get("nbytes") is not None:
                task.nbytes = entry["nbytes"]
            for part in entry["startstops"]:
                if part.get("action") == "compute" and worker is not None:
                    task.executions.append(
                        Execution(worker, part["start"], part["stop"], entry["to"] == "memory")
                    )
        transfers = []
        truncated = []
        for address, incoming in sorted(transfer_logs.items()):
            if address not in names:
                continue
            if incoming["full"]:
                truncated.append(names[address])
            for item in incoming["log"]:
                for key, nbytes in item["keys"].items():
                    if key not in keys:
                        continue
                    transfers.append(
                        Transfer(
                            key=keys[key],
                            worker=names[address],
                            source=names.get(item["who"]) or str(item["who"]),
                            start=item["start"],
                            stop=item["stop"],
                            nbytes=int(nbytes or 0),
                        )
                    )
        ordered = sorted(tasks.values(), key=lambda task: _priority_order(task.priority))
        return Recording(
            start, stop, workers, ordered, transitions, transfers, truncated_logs=truncated,
            stealing=snapshot.get("stealing", True),
        )


    def to_json(self) -> str:
        """The recording as JSON (`recording.json`), for fitting and for reading back."""
        return json.dumps(asdict(self), indent=1, default=str) + "\n"

    @staticmethod
    def from_json(text: str) -> "Recording":
        data = json.loads(text)
        tasks = []
        for task in data["tasks"]:
            executions = [Execution(**e) for e in task.pop("executions")]
            task["priority"] = tuple(task["priority"])
            tasks.append(Task(**task, executions=executions))
        return Recording(
            start=data["start"], stop=data["stop"],
            workers=[Worker(**w) for w in data["workers"]], tasks=tasks,
            transitions=[Transition(**t) for t in data["transitions"]],
            transfers=[Transfer(**t) for t in data["transfers"]],
            truncated_logs=data["truncated_logs"], stealing=data["stealing"])


def _priority_order(priority: tuple) -> tuple:
    """dask's priority tuples compare element by element; a missing one sorts last."""
    return (0, tuple(priority)) if priority else (1, ())


class WorkerNames:
    """Orrery names for dask workers: their own name when it is a word, else `w` + name."""

    def __init__(self, workers: dict[str, dict[str, Any]]) -> None:
        self._names: dict[str, str] = {}
        taken: set[str] = set()
        for address, info in workers.items():
            raw = str(info["name"])
            name = raw if re.fullmatch(r"[A-Za-z][A-Za-z0-9_.-]*", raw) else f"w{raw}"
            name = re.sub(r"[^A-Za-z0-9_.-]", "-", name)
            while name in taken:
                name += "'"
            taken.add(name)
            self._names[address] = name

    def __getitem__(self, address: str) -> str:
        return self._names[address]

    def __contains__(self, address: str) -> bool:
        return address in self._names

    def get(self, address: str | None) -> str | None:
        return self._names.get(address) if address is not None else None


class KeyNames:
    """Orrery keys for dask keys: a text key as it is, a tuple key joined with `-`.

    `('sum-3f1c…', 2, 0)` becomes `sum-3f1c…-2-0`, which Orrery's prefix rule (like dask's
    `key_split`) puts in the group `sum`. Two keys that would become the same text are an
    error rather than a silent merge.
    """

    def __init__(self, tasks: dict[Any, Any]) -> None:
        self._names: dict[Any, str] = {}
        seen: dict[str, Any] = {}
        for key in tasks:
            text = _key_text(key)
            if text in seen:
                raise ValueError(f"dask keys {seen[text]!r} and {key!r} both read as {text!r}")
            seen[text] = key
            self._names[key] = text

    def __getitem__(self, key: Any) -> str:
        return self._names[key]

    def __contains__(self, key: Any) -> bool:
        return key in self._names


def _key_text(key: Any) -> str:
    if isinstance(key, tuple):
        return "-".join(_key_text(part) for part in key)
    if isinstance(key, bytes):
        return key.decode("utf-8", "replace")
    return str(key)
