"""Recording a dask computation: `with record(client, "runs/mine"): ...`."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from .fit import (DEFAULT_FIRST_TASK_DELAY, DEFAULT_HANDOFF, DEFAULT_NETWORK, DEFAULT_START_GAP,
                  warm_ups)
from .plugin import PLUGIN_NAME, RecorderPlugin
from .recording import Recording
from .scenario import scenario_text, seconds
from .trace import trace_lines


FILES = ("scenario.yaml", "trace.jsonl", "recording.json")


class record:
    """Records what a dask cluster does inside the `with` block into `folder`.

    Writes `folder/scenario.yaml` (the workload: workers, tasks in dask's priority order with
    their measured durations and result sizes, dask's policy, `network`, by default
    `DEFAULT_NETWORK`, and each worker's `first_task_delay`: its warm-up as measured in this
    run, or `DEFAULT_FIRST_TASK_DELAY` for a worker that ran nothing, unless
    `first_task_delay` gives one for all, its `handoff`, by default `DEFAULT_HANDOFF`, and its
    `start_gap`, by default `DEFAULT_START_GAP`),
    `folder/trace.jsonl` (the run itself, in the format Orrery's reports read) and
    `folder/recording.json` (everything recorded, for `fit`). Time zero is the start of the
    block, so submit inside it and wait for the results before it ends. Existing files are
    replaced only with `force=True`; each is written to a temporary file and renamed.

    The recording is available afterwards as `.recording`.
    """

    def __init__(self, client, folder: str | os.PathLike, name: str | None = None,
                 force: bool = False, network: dict[str, str] | None = None,
                 first_task_delay: str | None = None, handoff: str | None = None,
                 start_gap: str | None = None) -> None:
        self.client = client
        self.network = DEFAULT_NETWORK if network is None else network
        # Read now, so a latency the warm-ups cannot be measured with fails before the run.
        seconds(self.network.get("worker_latency", "0s"))
        self.first_task_delay = first_task_delay
        self.handoff = DEFAULT_HANDOFF if handoff is None else handoff
        self.start_gap = DEFAULT_START_GAP if start_gap is None else start_gap
        self.folder = Path(folder)
        self.name = name or self.folder.name
        self.force = force
        self.recording: Recording | None = None
        self._start = 0.0

    def __enter__(self) -> "record":
        for file in FILES:
            if (self.folder / file).exists() and not self.force:
                raise FileExistsError(f"{self.folder / file} exists; pass force=True to replace it")
        self.client.register_plugin(RecorderPlugin(), name=PLUGIN_NAME)
        self._start = time.time()
        return self

    def __exit__(self, kind, error, traceback) -> None:
        stop = time.time()
        try:
            if kind is not None:
                return
            snapshot = self.client.run_on_scheduler(_snapshot)
            snapshot["stealing"] = self.client.run_on_scheduler(_steals)
            logs = self.client.run(_incoming_transfers)
            self.recording = Recording.from_snapshot(snapshot, logs, self._start, stop)
        finally:
            self.client.unregister_scheduler_plugin(PLUGIN_NAME)
        self.write(self.recording)

    def write(self, recording: Recording) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomically(self.folder / "scenario.yaml",
                         recorded_scenario(recording, self.name, self.network,
                                           self.first_task_delay, self.handoff,
                                           self.start_gap))
        write_atomically(self.folder / "trace.jsonl",
                         trace_lines(recording, self.name, "scenario.yaml"))
        write_atomically(self.folder / "recording.json", recording.to_json())
        for worker in recording.truncated_logs:
            print(f"orrery-dask: warning: {worker}'s transfer log was full; raise "
                  "distributed.admin.low-level-log-length to keep every transfer")


def recorded_scenario(recording: Recording, name: str, network: dict[str, str],
                      first_task_delay: str | None = None,
                      handoff: str = DEFAULT_HANDOFF,
                      start_gap: str = DEFAULT_START_GAP) -> str:
    """The scenario a recording makes: each worker's warm-up measured from the recording
    (with `network`'s worker latency), unless `first_task_delay` is given for all; each
    worker's `handoff` and `start_gap`."""
    if first_task_delay is not None:
        return scenario_text(recording, name, network, first_task_delay, handoff=handoff,
                             start_gap=start_gap)
    measured = warm_ups(recording, seconds(network.get("worker_latency", "0s")))
    return scenario_text(
        recording, name, network, DEFAULT_FIRST_TASK_DELAY, measured, handoff=handoff,
        start_gap=start_gap)


def _snapshot(dask_scheduler) -> dict:
    return dask_scheduler.plugins[PLUGIN_NAME].snapshot()


def _steals(dask_scheduler) -> bool:
    """Whether dask's work stealing runs on this scheduler."""
    return "stealing" in dask_scheduler.extensions


def _incoming_transfers(dask_worker) -> dict:
    """What a worker fetched, and whether its bounded log may have dropped older entries."""
    log = dask_worker.transfer_incoming_log
    return {"log": [dict(item) for item in log], "full": log.maxlen is not None
            and len(log) >= log.maxlen}


def write_atomically(path: Path, text: str) -> None:
    """Writes `text` to a temporary file beside `path`, then renames it into place."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
        # mkstemp makes the file private; give it the permissions a new file gets.
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
