"""Writes the graphs and the orders dask.order gives them, for Orrery's DaskOrder tests.

Run from integrations/dask with the pinned dask:
`python tools/order_cases.py ../../Tests/SchedulingTests/Fixtures/dask-order.json`.
Keys are written as Python's `str(key)`, so the tie-break on keys compares the same text.
dask walks sets of keys in places, whose order follows Python's string hashing, so the order
of many graphs changes with `PYTHONHASHSEED`: each graph gets the distinct orders dask gave it
under ten hash seeds.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

from dask.order import order

sys.path.insert(0, ".")
from orrery_dask.graphs import GRAPHS  # noqa: E402


def f(*args):
    return None


def as_graph(dependencies: dict) -> dict:
    return {key: (f, *deps) for key, deps in dependencies.items()}


def from_shipped(graph: dict) -> dict:
    return {key: [d for d in task[3:]] for key, task in graph.items()}


def random_graph(seed: int, size: int) -> dict:
    rng = random.Random(seed)
    deps = {}
    for i in range(size):
        parents = rng.sample(range(i), k=min(i, rng.choice([0, 1, 1, 2, 3]))) if i else []
        deps[("r", i)] = [("r", p) for p in parents]
    return deps


def cases() -> list[tuple[str, dict]]:
    shipped = [(name, from_shipped(build())) for name, build in GRAPHS.items()]
    tiny = [
        ("diamond", {"a": [], "b": ["a"], "c": ["a"], "d": ["b", "c"]}),
        ("docstring", {"a": [], "b": [], "c": ["a"], "d": ["b", "c"]}),
        ("two-chains", {"a1": [], "a2": ["a1"], "a3": ["a2"], "b1": [], "b2": ["b1"],
                        "c": ["a3", "b2"]}),
        ("independent", {f"x{i}": [] for i in range(12)}),
    ]
    randoms = [(f"random-{seed}", random_graph(seed, 60)) for seed in range(6)]
    return tiny + shipped + randoms


def orders() -> list[list[int]]:
    """dask's order of each case, in this process."""
    result = []
    for _, deps in cases():
        priorities = order(as_graph(deps))
        result.append([priorities[key] for key in deps])
    return result


def main(path: str) -> None:
    runs = []
    for seed in range(10):
        shown = subprocess.run(
            [sys.executable, __file__, "--orders"], check=True, capture_output=True, text=True,
            env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout
        runs.append(json.loads(shown))
    out = []
    for number, (name, deps) in enumerate(cases()):
        keys = list(deps)
        index = {key: i for i, key in enumerate(keys)}
        distinct = []
        for run in runs:
            if run[number] not in distinct:
                distinct.append(run[number])
        out.append({
            "name": name,
            "keys": [str(k) for k in keys],
            "dependencies": [[index[d] for d in deps[k]] for k in keys],
            "orders": distinct,
        })
    with open(path, "w") as file:
        json.dump(out, file, indent=0)
        file.write("\n")


if __name__ == "__main__":
    if sys.argv[1] == "--orders":
        print(json.dumps(orders()))
    else:
        main(sys.argv[1])
