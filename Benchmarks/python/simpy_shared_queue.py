"""SimPy baseline for `make bench`: what a user would write instead of an Orrery scenario.

200,000 tasks of exp(1 s) taken by 100 workers from one shared deque-backed store, no
scheduler and no network. Prints the best of three rates in tasks per wall-clock second.
Usage: python simpy_shared_queue.py [TASKS] [WORKERS]
"""

import collections
import random
import sys
import time

import simpy


class DequeStore(simpy.Store):
    """A store whose items are a deque: `simpy.Store` pops from the front of a list."""

    def __init__(self, env):
        super().__init__(env)
        self.items = collections.deque()

    def _do_get(self, event):
        if self.items:
            event.succeed(self.items.popleft())


def run(tasks, workers):
    env = simpy.Environment()
    store = DequeStore(env)
    rng = random.Random(1)
    store.items.extend(rng.expovariate(1.0) for _ in range(tasks))
    finished = 0

    def worker():
        nonlocal finished
        while True:
            duration = yield store.get()
            yield env.timeout(duration)
            finished += 1

    for _ in range(workers):
        env.process(worker())
    env.run()
    assert finished == tasks, finished


def main():
    tasks = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    best = 0.0
    for _ in range(3):
        start = time.perf_counter()
        run(tasks, workers)
        best = max(best, tasks / (time.perf_counter() - start))
    print(best)


if __name__ == "__main__":
    main()
