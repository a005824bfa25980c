"""Workloads to record: plain dask graphs of tasks that sleep and return bytes.

Each graph maps tuple keys (`("load", 3)`) to `(work, seconds, nbytes, *dependencies)`. The
recorded scenario names them `load-3`, in the group `load`. Random choices come from a seeded
generator, so a graph is the same every time it is built.
"""

from __future__ import annotations

import random
import time
from typing import Callable


def work(seconds: float, nbytes: int, *inputs) -> bytes:
    """A task: sleeps, then returns a result of `nbytes` bytes."""
    time.sleep(seconds)
    return b"x" * nbytes


Graph = dict


def _task(seconds: float, nbytes: int, *dependencies) -> tuple:
    return (work, seconds, nbytes, *dependencies)


def chain(length: int = 60, seconds: float = 0.05) -> Graph:
    graph = {("link", 0): _task(seconds, 1000)}
    for i in range(1, length):
        graph[("link", i)] = _task(seconds, 1000, ("link", i - 1))
    return graph


def fan_out_fan_in(width: int = 48, seconds: float = 0.1) -> Graph:
    graph = {("source", 0): _task(seconds, 100_000)}
    for i in range(width):
        graph[("part", i)] = _task(seconds, 100_000, ("source", 0))
    graph[("total", 0)] = _task(seconds, 1000, *[("part", i) for i in range(width)])
    return graph


def tree_reduction(leaves: int = 64, seconds: float = 0.05) -> Graph:
    graph = {("leaf", i): _task(seconds, 10_000) for i in range(leaves)}
    level, names = 0, [("leaf", i) for i in range(leaves)]
    while len(names) > 1:
        level += 1
        merged = []
        for i in range(0, len(names), 2):
            key = (f"combine{level}", i // 2)
            graph[key] = _task(seconds, 10_000, *names[i:i + 2])
            merged.append(key)
        names = merged
    return graph


def shuffle(parts: int = 12, seconds: float = 0.05) -> Graph:
    graph = {("split", i): _task(seconds, 200_000) for i in range(parts)}
    for i in range(parts):
        graph[("join", i)] = _task(seconds, 200_000, *[("split", j) for j in range(parts)])
    graph[("collect", 0)] = _task(0.02, 1000, *[("join", i) for i in range(parts)])
    return graph


def map_reduce(maps: int = 40, reducers: int = 4, seconds: float = 0.08) -> Graph:
    rng = random.Random(7)
    graph = {("map", i): _task(rng.uniform(0.5, 1.5) * seconds, 50_000) for i in range(maps)}
    for r in range(reducers):
        inputs = [("map", i) for i in range(r, maps, reducers)]
        graph[("reduce", r)] = _task(seconds, 10_000, *inputs)
    graph[("final", 0)] = _task(0.02, 1000, *[("reduce", r) for r in range(reducers)])
    return graph


def random_dag(tasks: int = 120, seconds: float = 0.06) -> Graph:
    rng = random.Random(11)
    graph = {}
    for i in range(tasks):
        parents = rng.sample(range(i), k=min(i, rng.randint(0, 3))) if i else []
        graph[("node", i)] = _task(
            rng.uniform(0.3, 1.7) * seconds, rng.choice([1000, 50_000, 500_000]),
            *[("node", p) for p in sorted(parents)])
    return graph


def montage_slice(images: int = 16, seconds: float = 0.05) -> Graph:
    """Montage's shape: project each image, diff overlapping pairs, fit, model, correct, add."""
    graph = {("project", i): _task(2 * seconds, 400_000) for i in range(images)}
    for i in range(images - 1):
        graph[("diff", i)] = _task(seconds, 20_000, ("project", i), ("project", i + 1))
    graph[("concat", 0)] = _task(seconds, 5000, *[("diff", i) for i in range(images - 1)])
    graph[("model", 0)] = _task(2 * seconds, 5000, ("concat", 0))
    for i in range(images):
        graph[("background", i)] = _task(seconds, 400_000, ("project", i), ("model", 0))
    graph[("add", 0)] = _task(3 * seconds, 800_000, *[("background", i) for i in range(images)])
    return graph


def unbalanced_fan_out(width: int = 8, seconds: float = 1.0) -> Graph:
    """One input, `width` long tasks on it: dask balances them by stealing."""
    graph = {("input", 0): _task(0.02, 1000)}
    for i in range(width):
        graph[("long", i)] = _task(seconds, 1000, ("input", 0))
    return graph


GRAPHS: dict[str, Callable[[], Graph]] = {
    "chain": chain,
    "fan-out-fan-in": fan_out_fan_in,
    "tree-reduction": tree_reduction,
    "shuffle": shuffle,
    "map-reduce": map_reduce,
    "random-dag": random_dag,
    "montage-slice": montage_slice,
    "unbalanced-fan-out": unbalanced_fan_out,
}
