"""`python -m orrery_dask record GRAPH FOLDER`: run one of the shipped graphs on a local dask
cluster and record it."""

from __future__ import annotations

import argparse
import sys

from .graphs import GRAPHS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orrery_dask")
    commands = parser.add_subparsers(dest="command", required=True)
    recording = commands.add_parser(
        "record", help="run a shipped graph on a local dask cluster and record it")
    recording.add_argument("graph", choices=sorted(GRAPHS))
    recording.add_argument("folder", help="where scenario.yaml and trace.jsonl go")
    recording.add_argument("--workers", type=int, default=2)
    recording.add_argument("--threads", type=int, default=2, help="threads per worker")
    recording.add_argument("--force", action="store_true", help="replace an earlier recording")
    arguments = parser.parse_args(argv)
    if arguments.workers < 1 or arguments.threads < 1:
        parser.error("--workers and --threads must be at least 1")

    from distributed import Client, LocalCluster

    from .recorder import record

    graph = GRAPHS[arguments.graph]()
    with LocalCluster(
        n_workers=arguments.workers, threads_per_worker=arguments.threads,
        dashboard_address=None,
    ) as cluster, Client(cluster) as client:
        client.wait_for_workers(arguments.workers)
        try:
            with record(client, arguments.folder, name=arguments.graph, force=arguments.force):
                client.get(graph, list(graph))
        except FileExistsError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    print(f"recorded {arguments.graph} in {arguments.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
