"""The recorder against a real local dask cluster (workers in this process, real threads).

Run from integrations/dask: `python -m unittest discover -s tests`. With ORRERY set to an
`orrery` binary, the recordings are also loaded, simulated and compared by it.
"""

from __future__ import annotations

import json
import logging
import math
import re
import os
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

from distributed import Client, LocalCluster

from orrery_dask import Recording, record
from orrery_dask.fidelity import Run, dask_spread, loads_apart, paired_error, table
from orrery_dask.fit import DEFAULT_HANDOFF, DEFAULT_START_GAP, fit, network_text, warm_ups
from orrery_dask.recorder import recorded_scenario
from orrery_dask.scenario import dispatch_order, seconds
from orrery_dask.graphs import work
from orrery_dask.recording import Execution, KeyNames, Task, Transfer, Transition, Worker


def read_trace(folder: Path) -> tuple[dict, list[dict]]:
    lines = (folder / "trace.jsonl").read_text().splitlines()
    return json.loads(lines[0]), [json.loads(line) for line in lines[1:]]


def scenario_tasks(folder: Path) -> list[str]:
    """The task lines of a recorded scenario, in order."""
    text = (folder / "scenario.yaml").read_text()
    return [line for line in text.splitlines() if line.startswith("  - {key: ")]


class RecorderTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        logging.getLogger("distributed").setLevel(logging.CRITICAL)
        cls.cluster = LocalCluster(
            n_workers=2, threads_per_worker=2, processes=False, dashboard_address=None)
        cls.client = Client(cls.cluster)
        cls.client.wait_for_workers(2)
        cls.workers = sorted(cls.client.scheduler_info()["workers"])

    @classmethod
    def tearDownClass(cls) -> None:
        cls.client.close()
        cls.cluster.close()

    def setUp(self) -> None:
        self.scratch = tempfile.TemporaryDirectory()
        self.folder = Path(self.scratch.name) / "run"

    def tearDown(self) -> None:
        self.scratch.cleanup()

    def record(self, graph: dict, **options) -> Path:
        with record(self.client, self.folder, **options):
            self.client.get(graph, list(graph))
        return self.folder

    def test_a_fan_in_records_workers_tasks_executions_and_transfers(self) -> None:
        here, there = self.workers
        with record(self.client, self.folder, name="fan-in"):
            loads = [
                self.client.submit(work, 0.03, 1000, key=f"load-{i}",
                                   workers=[here if i < 2 else there])
                for i in range(4)
            ]
            self.client.submit(work, 0.02, 10, *loads, key="sum", workers=[here]).result()
        scenario = (self.folder / "scenario.yaml").read_text()
        self.assertIn('name: "fan-in"', scenario)
        self.assertIn("scheduler: {policy: work-stealing}", scenario)
        self.assertIn("network: {client_latency: ", scenario)
        # Both workers ran tasks: each gets the warm-up measured in this run.
        overheads = re.findall(r"first_task_delay: [0-9]+us, handoff: (.*), start_gap: (.*)\}$",
                               scenario, re.MULTILINE)
        self.assertEqual(overheads, [(DEFAULT_HANDOFF, DEFAULT_START_GAP)] * 2)
        recording = Recording.from_json((self.folder / "recording.json").read_text())
        self.assertEqual(sorted(t.key for t in recording.tasks),
                         ["load-0", "load-1", "load-2", "load-3", "sum"])
        self.assertEqual(scenario.count("threads: 2"), 2)
        tasks = scenario_tasks(self.folder)
        self.assertEqual(len(tasks), 5)
        self.assertIn('deps: ["load-0", "load-1", "load-2", "load-3"]', tasks[-1])
        for line in tasks[:-1]:
            microseconds = int(line.split("duration: ")[1].split("us")[0])
            self.assertGreaterEqual(microseconds, 30_000)
            self.assertIn("output: 1000", line)

        header, events = read_trace(self.folder)
        self.assertEqual(header["mode"], "dask")
        self.assertTrue(header["passed"])
        self.assertEqual(set(header["final_states"].values()), {"finished"})
        self.assertEqual([w["threads"] for w in header["workers"]], [2, 2])
        self.assertEqual(header["events"], len(events))
        times = [event["t"] for event in events]
        self.assertEqual(times, sorted(times))
        ran = {e["task"]: e["worker"] for e in events if e["kind"] == "execute"}
        ended = [e["task"] for e in events if e["kind"] == "executed" and e["from"] == "ok"]
        self.assertEqual(sorted(ran), ["load-0", "load-1", "load-2", "load-3", "sum"])
        self.assertCountEqual(ended, ran)
        names = {w: f"w{i}" for i, w in enumerate(self.workers)}
        self.assertEqual(ran["sum"], names[here])
        self.assertEqual(ran["load-2"], names[there])
        fetches = [e for e in events if e["kind"] == "fetch"]
        self.assertEqual(sorted(e["task"] for e in fetches), ["load-2", "load-3"])
        for event in fetches:
            self.assertEqual((event["worker"], event["to"], event["detail"]),
                             (names[here], names[there], 1000))
        fetched = [e for e in events if e["kind"] == "fetched"]
        self.assertEqual(sorted(e["task"] for e in fetched), ["load-2", "load-3"])

    def test_tasks_are_listed_in_dask_priority_order(self) -> None:
        graph = {("wide", i): (work, 0.01, 10) for i in range(6)}
        graph[("deep", 0)] = (work, 0.01, 10)
        for i in range(1, 4):
            graph[("deep", i)] = (work, 0.01, 10, ("deep", i - 1))
        with record(self.client, self.folder) as recorder:
            self.client.get(graph, list(graph))
        keys = [line.split('"')[1] for line in scenario_tasks(self.folder)]
        self.assertCountEqual(keys, [f"wide-{i}" for i in range(6)] + [f"deep-{i}" for i in range(4)])
        priorities = {task.key: task.priority for task in recorder.recording.tasks}
        self.assertTrue(all(priorities.values()))
        self.assertEqual(keys, sorted(keys, key=lambda key: priorities[key]))
        self.assertEqual(len(set(priorities.values())), len(keys))

    def test_priority_order_follows_the_recorded_priorities(self) -> None:
        from orrery_dask.recording import Recording

        snapshot = {
            "workers": {"tcp://a": {"name": 0, "threads": 1, "memory": 0, "resources": {},
                                    "joined": 0.0}},
            "tasks": {
                "late": _info(priority=(0, 1, 5)),
                "early": _info(priority=(0, 1, 2)),
                "urgent": _info(priority=(-3, 1, 9)),
            },
            "transitions": [],
        }
        recording = Recording.from_snapshot(snapshot, {}, 0.0, 1.0)
        self.assertEqual([t.key for t in recording.tasks], ["urgent", "early", "late"])
        self.assertEqual(recording.tasks[0].user_priority, 3)
        self.assertEqual(recording.workers[0].name, "w0")

    def test_restrictions_priorities_and_retries_reach_the_scenario(self) -> None:
        target = self.workers[1]
        with record(self.client, self.folder):
            future = self.client.submit(work, 0.01, 10, key="pinned-2", workers=[target],
                                        allow_other_workers=True, priority=4, retries=2)
            future.result()
        line = scenario_tasks(self.folder)[0]
        names = {w: f"w{i}" for i, w in enumerate(self.workers)}
        for part in ('key: "pinned-2"', "priority: 4", "retries: 2",
                     f'workers: ["{names[target]}"]', "allow_other_workers: true"):
            self.assertIn(part, line)

    def test_an_existing_recording_is_kept_unless_forced(self) -> None:
        graph = {"one": (work, 0.0, 1)}
        self.record(graph)
        before = (self.folder / "trace.jsonl").read_text()
        with self.assertRaises(FileExistsError):
            self.record(graph)
        self.assertEqual((self.folder / "trace.jsonl").read_text(), before)
        time.sleep(0.01)
        self.record(graph, force=True)
        self.assertNotEqual((self.folder / "trace.jsonl").read_text(), before)

    def test_a_failing_block_writes_nothing(self) -> None:
        with self.assertRaises(RuntimeError):
            with record(self.client, self.folder):
                raise RuntimeError("the computation failed")
        self.assertFalse((self.folder / "trace.jsonl").exists())

    @unittest.skipUnless(os.environ.get("ORRERY"), "set ORRERY to an orrery binary")
    def test_orrery_reads_what_the_recorder_wrote(self) -> None:
        graph = {("load", i): (work, 0.02, 5000) for i in range(6)}
        graph["sum"] = (work, 0.02, 10, *[("load", i) for i in range(6)])
        folder = self.record(graph)
        orrery = os.environ["ORRERY"]
        subprocess.run([orrery, "validate", str(folder / "scenario.yaml")], check=True,
                       capture_output=True)
        output = Path(self.scratch.name) / "comparison"
        shown = subprocess.run(
            [orrery, "compare", str(folder / "scenario.yaml"), "--sim-vs-dask", str(folder),
             "--output", str(output), "--format", "json"],
            check=True, capture_output=True, text=True).stdout
        comparison = json.loads(shown)
        self.assertEqual(comparison["b"]["mode"], "dask")
        self.assertEqual(comparison["start_difference"]["count"], 7)
        subprocess.run([orrery, "report", str(folder)], check=True, capture_output=True)
        self.assertTrue((folder / "gantt.svg").exists())


class FitTests(unittest.TestCase):
    """The fit on a made-up recording whose figures are known."""

    def test_the_fit_recovers_the_figures_it_was_made_with(self) -> None:
        # Gathers take 2 ms + bytes / 100 MB/s, the first from a peer 5 ms more; a
        # dependent starts 3 ms after its input ends (a 1 ms handoff and 1 ms each way); an
        # independent task waiting for the thread starts 1 ms after the one before ends;
        # the graph reaches the scheduler at 12 ms, which sends the first task at 15 ms; it
        # starts at 40 ms, and its end reaches the scheduler 1.5 ms after it.
        def task(key, deps, start, stop, worker="w0"):
            return Task(key, deps, (0, 1, 0), [], False, {}, 0,
                        [Execution(worker, start, stop, True)])
        tasks = [task("a", [], 0.040, 0.100), task("b", ["a"], 0.103, 0.200),
                 task("c", ["b"], 0.203, 0.300), task("d", [], 0.301, 0.400)]
        transfers = [
            Transfer("x", "w0", "w1", 1.0, 1.0 + 0.002 + 0.005 + 1e6 / 1e8, 1_000_000),
            Transfer("y", "w0", "w1", 2.0, 2.0 + 0.002 + 2e6 / 1e8, 2_000_000),
            Transfer("z", "w0", "w1", 3.0, 3.0 + 0.002 + 4e6 / 1e8, 4_000_000),
        ]
        recording = Recording(
            start=0.0, stop=4.0, workers=[Worker("w0", 1, None, {}, 0.0)], tasks=tasks,
            transitions=[Transition(0.012, "a", "released", "waiting", None),
                         Transition(0.015, "a", "waiting", "processing", "w0"),
                         Transition(0.015, "d", "waiting", "processing", "w0"),
                         Transition(0.1015, "a", "processing", "memory", "w0")],
            transfers=transfers, truncated_logs=[])
        figures = fit([Recording.from_json(recording.to_json())])
        self.assertAlmostEqual(figures["handoff"], 0.001)
        self.assertAlmostEqual(figures["worker_latency"], 0.001)
        self.assertAlmostEqual(figures["client_latency"], 0.012)
        self.assertAlmostEqual(figures["first_task_delay"], 0.0245)
        self.assertAlmostEqual(figures["latency"], 0.002)
        self.assertAlmostEqual(figures["bandwidth"], 1e8, delta=1)
        self.assertAlmostEqual(figures["connect_latency"], 0.005)
        self.assertEqual(
            network_text(figures),
            "network: {client_latency: 12000us, worker_latency: 1000us, latency: 2000us, "
            "connect_latency: 5000us, bandwidth: 100MB/s}\n"
            "workers: {first_task_delay: 24500us, handoff: 1000us}")


class HandoffFitTests(unittest.TestCase):
    def test_handoffs_are_fitted_as_a_lognormal(self) -> None:
        # Three independent tasks, all sent at once, back to back on one thread: the second
        # starts e^-7 s after the first ends, the third e^-6 s after the second.
        first, second = math.exp(-7), math.exp(-6)
        def task(key, start, stop):
            return Task(key, [], (0, 1, 0), [], False, {}, 0,
                        [Execution("w0", start, stop, True)])
        tasks = [task("a", 0.0, 0.1), task("b", 0.1 + first, 0.2),
                 task("c", 0.2 + second, 0.3)]
        recording = Recording(
            start=0.0, stop=1.0, workers=[Worker("w0", 1, None, {}, 0.0)], tasks=tasks,
            transitions=[Transition(0.0, key, "waiting", "processing", "w0")
                         for key in ("a", "b", "c")],
            transfers=[], truncated_logs=[])
        figures = fit([recording])
        self.assertAlmostEqual(figures["handoff_mu"], -6.5)
        self.assertAlmostEqual(figures["handoff_sigma"], math.sqrt(0.5))
        self.assertIn("handoff: {lognormal: {mu: -6.50, sigma: 0.71}}", network_text(figures))


class StartGapFitTests(unittest.TestCase):
    def recording(self, gaps: list[float], late: bool = False) -> Recording:
        # On each of len(gaps) workers of two threads, two tasks sent at 0 s; the first starts
        # at 10 ms, the second the gap after it (or, when `late`, it was sent only then).
        tasks, transitions, workers = [], [], []
        for index, gap in enumerate(gaps):
            worker = f"w{index}"
            workers.append(Worker(worker, 2, None, {}, 0.0))
            for key, start in ((f"a{index}", 0.010), (f"b{index}", 0.010 + gap)):
                tasks.append(Task(key, [], (0, 1, 0), [], False, {}, 0,
                                  [Execution(worker, start, start + 0.1, True)]))
                sent = 0.010 + gap / 2 if late and key.startswith("b") else 0.0
                transitions.append(Transition(sent, key, "waiting", "processing", worker))
        return Recording(start=0.0, stop=1.0, workers=workers, tasks=tasks,
                         transitions=transitions, transfers=[], truncated_logs=[])

    def test_the_median_gap_and_the_middle_halfs_spread_are_fitted(self) -> None:
        # Logarithms -8, -7.5, -7, -6.5 and one far out at -3: the median stays at -7; the
        # quartiles of the logarithms (Python's default method: -7.75 and -4.75) set the
        # spread.
        logarithms = [-8.0, -7.5, -7.0, -6.5, -3.0]
        figures = fit([self.recording([math.exp(x) for x in logarithms])])
        self.assertAlmostEqual(figures["start_gap_mu"], -7.0)
        quartiles = [-7.75, -4.75]
        self.assertAlmostEqual(figures["start_gap_sigma"], (quartiles[1] - quartiles[0]) / 1.349)
        self.assertIn("start_gap: {lognormal: {mu: -7.00, sigma: 2.22}}", network_text(figures))

    def test_a_task_sent_after_the_start_before_it_is_no_gap(self) -> None:
        figures = fit([self.recording([0.0005] * 4, late=True)])
        self.assertNotIn("start_gap_mu", figures)

    def test_recorded_scenarios_carry_the_default(self) -> None:
        text = recorded_scenario(self.recording([0.0005] * 2), "x", {"worker_latency": "1ms"})
        self.assertEqual(text.count(f"start_gap: {DEFAULT_START_GAP}"), 2)


class WarmUpTests(unittest.TestCase):
    """Each worker's warm-up, as the scheduler saw it, goes into the recorded scenario."""

    def recording(self) -> Recording:
        # Messages take 2 ms. w0 is sent `a` at 10 ms and `b` at 11 ms, warms up for 28 ms
        # from `a`'s arrival and starts both at 40 ms; `a` (48 ms) ends first and is
        # reported at 90 ms. w1 is sent `c` at 12 ms, warms up for 16 ms, starts it at 30 ms
        # and reports it at 80 ms. w2 runs nothing. The workers' clocks run 5 ms ahead of the
        # scheduler's, which must not matter.
        def task(key, worker, start, stop):
            return Task(key, [], (0, 1, 0), [], False, {}, 0,
                        [Execution(worker, start + 0.005, stop + 0.005, True)])
        return Recording(
            start=0.0, stop=1.0,
            workers=[Worker(name, 1, None, {}, 0.0) for name in ("w0", "w1", "w2")],
            tasks=[task("a", "w0", 0.040, 0.088), task("b", "w0", 0.040, 0.093),
                   task("c", "w1", 0.030, 0.078)],
            transitions=[Transition(0.010, "a", "waiting", "processing", "w0"),
                         Transition(0.011, "b", "waiting", "processing", "w0"),
                         Transition(0.012, "c", "waiting", "processing", "w1"),
                         Transition(0.090, "a", "processing", "memory", "w0"),
                         Transition(0.095, "b", "processing", "memory", "w0"),
                         Transition(0.080, "c", "processing", "memory", "w1")],
            transfers=[], truncated_logs=[])

    def test_each_worker_that_ran_something_has_its_own(self) -> None:
        measured = warm_ups(self.recording(), worker_latency=0.002)
        self.assertEqual(sorted(measured), ["w0", "w1"])
        self.assertAlmostEqual(measured["w0"], 0.028)
        self.assertAlmostEqual(measured["w1"], 0.016)

    def test_the_scenario_carries_them_unless_one_is_given_for_all(self) -> None:
        network = {"worker_latency": "2ms"}
        lines = [line for line in recorded_scenario(self.recording(), "x", network).splitlines()
                 if "first_task_delay" in line]
        self.assertEqual(len(lines), 3)
        self.assertIn("first_task_delay: 28000us", lines[0])
        self.assertIn("first_task_delay: 16000us", lines[1])
        self.assertIn("first_task_delay: 18700us", lines[2])
        self.assertTrue(all(f"handoff: {DEFAULT_HANDOFF}" in line for line in lines))
        given = recorded_scenario(self.recording(), "x", network, first_task_delay="5ms",
                                  handoff="2ms")
        self.assertEqual(given.count("first_task_delay: 5ms, handoff: 2ms"), 3)

    def test_workers_are_listed_in_the_order_dask_first_sent_them_work(self) -> None:
        recording = self.recording()
        self.assertEqual([w.name for w in dispatch_order(recording)], ["w0", "w1", "w2"])
        # w1 is sent `c` before w0 is sent anything: it comes first; w2 ran nothing.
        recording.transitions[2] = Transition(0.009, "c", "waiting", "processing", "w1")
        self.assertEqual([w.name for w in dispatch_order(recording)], ["w1", "w0", "w2"])
        workers = [line.split('"')[1] for line in
                   recorded_scenario(recording, "x", {}).splitlines() if "{name: " in line]
        self.assertEqual(workers, ["w1", "w0", "w2"])

    def test_durations_read_as_scenarios_write_them(self) -> None:
        self.assertAlmostEqual(seconds("1800us"), 0.0018)
        self.assertAlmostEqual(seconds("2ms"), 0.002)
        self.assertAlmostEqual(seconds("0.5s"), 0.5)
        self.assertAlmostEqual(seconds("250ns"), 2.5e-7)
        self.assertAlmostEqual(seconds("2m"), 120.0)
        with self.assertRaises(ValueError):
            seconds("2 parsecs")

    def test_a_latency_it_cannot_read_is_refused_before_the_run(self) -> None:
        with self.assertRaises(ValueError):
            record(None, "unused", network={"worker_latency": "{uniform: [1ms, 2ms]}"})


class FidelityTableTests(unittest.TestCase):
    def test_loads_are_compared_by_rank_against_the_reference(self) -> None:
        self.assertAlmostEqual(loads_apart([22, 28], [25, 25]), 3 / 25)
        self.assertEqual(loads_apart([24, 26], [24, 26]), 0)

    def test_dask_spread_is_the_widest_pair_of_runs(self) -> None:
        def run(loads):
            return Run(1.0, 1.0, 0.0, 0.0, 1.0, 0.0, loads)
        self.assertAlmostEqual(dask_spread([run([25, 25]), run([24, 26]), run([21, 29])]),
                               4 / 21)
        self.assertEqual(dask_spread([run([25, 25])]), 0.0)

    def test_a_simulation_is_paired_with_its_own_recording(self) -> None:
        # dask falls on either side of an extra wave, two runs to one; each simulation takes
        # its own recording's side except the third, which takes the other.
        runs = [Run(0.44, 0.43, 0.0, 0.0, 1.0, 0.0, [12, 13]),
                Run(0.44, 0.43, 0.0, 0.0, 1.0, 0.0, [12, 13]),
                Run(0.39, 0.43, 0.0, 0.0, 1.0, 0.0, [12, 13])]
        self.assertAlmostEqual(paired_error(runs), -0.01 / 0.44)
        # The medians part only when the minority's simulation changes side.
        runs[2] = Run(0.39, 0.38, 0.0, 0.0, 1.0, 0.0, [12, 13])
        runs[0] = Run(0.44, 0.38, 0.0, 0.0, 1.0, 0.0, [12, 13])
        self.assertAlmostEqual(paired_error(runs), -0.01 / 0.39)
        shown = table({"shuffle": runs})
        self.assertIn("| 0.440 s (0.390–0.440) | 0.380 s | -13.6% | -2.6% |", shown)
        self.assertIn("paired: mean |error| 2.6%, worst 2.6%", shown)

    def test_the_table_gives_the_median_and_the_worst_run_of_loads(self) -> None:
        runs = [Run(1.0, 1.0, 0.0, 0.0, 1.0, share, [20, 30]) for share in (0.0, 0.04, 0.2)]
        self.assertIn("| 4% (20%) |", table({"montage-slice": runs}))


class KeyNameTests(unittest.TestCase):
    def test_tuple_keys_join_with_dashes(self) -> None:
        names = KeyNames({("sum-3f1c", 2, 0): None, "plain": None, b"raw": None})
        self.assertEqual(names[("sum-3f1c", 2, 0)], "sum-3f1c-2-0")
        self.assertEqual(names["plain"], "plain")
        self.assertEqual(names[b"raw"], "raw")

    def test_keys_that_read_alike_are_refused(self) -> None:
        with self.assertRaises(ValueError):
            KeyNames({("x", 1): None, "x-1": None})


def _info(priority: tuple) -> dict:
    return {"dependencies": [], "priority": priority, "workers": [], "loose": False,
            "resources": {}, "retries": 0}


if __name__ == "__main__":
    unittest.main()
