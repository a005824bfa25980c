"""The recorder's commands:

- `python -m orrery_dask record GRAPH FOLDER`: run one of the shipped graphs on a local dask
  cluster and record it;
- `python -m orrery_dask fit FOLDER...`: the network that matches recorded runs (`fit.py`);
- `python -m orrery_dask fidelity --orrery BINARY`: the fidelity benchmark (`fidelity.py`).
"""

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
    recording.add_argument("--force", action="store_true", help="replace an earlier recording")
    fitting = commands.add_parser(
        "fit", help="the network entry that matches recorded runs")
    fitting.add_argument("folders", nargs="+", help="recordings (holding recording.json)")
    fidelity = commands.add_parser(
        "fidelity", help="every shipped graph on dask several times and in the simulation")
    fidelity.add_argument("--orrery", required=True, help="the orrery binary")
    fidelity.add_argument("--folder", default="dask-fidelity", help="where the runs go")
    fidelity.add_argument("--runs", type=int, default=3, help="dask runs a graph")
    fidelity.add_argument("--graphs", default=",".join(GRAPHS), help="comma-separated")
    fidelity.add_argument(
        "--reuse", action="store_true",
        help="simulate the recordings already in the folder again (their scenarios rewritten "
             "with the current defaults) instead of running dask")
    for command in (recording, fidelity):
        command.add_argument("--workers", type=int, default=2)
        command.add_argument("--threads", type=int, default=2, help="threads per worker")
    arguments = parser.parse_args(argv)
    if arguments.command == "fit":
        from pathlib import Path

        from .fit import fit, network_text
        from .recording import Recording

        recordings = []
        for folder in arguments.folders:
            path = Path(folder) / "recording.json"
            if not path.exists():
                parser.error(f"{path} does not exist (record the run with orrery-dask first)")
            recordings.append(Recording.from_json(path.read_text()))
        print(network_text(fit(recordings)))
        return 0
    if arguments.workers < 1 or arguments.threads < 1:
        parser.error("--workers and --threads must be at least 1")
    if arguments.command == "fidelity":
        from pathlib import Path

        from .fidelity import run

        graphs = arguments.graphs.split(",")
        unknown = sorted(set(graphs) - set(GRAPHS))
        if unknown or arguments.runs < 1:
            parser.error(f"unknown graphs {unknown}" if unknown else "--runs must be at least 1")
        print(run(arguments.orrery, Path(arguments.folder), arguments.runs, graphs,
                  arguments.workers, arguments.threads, arguments.reuse), end="")
        return 0

    import logging

    from distributed import Client, LocalCluster

    # Closing a cluster logs the connections it cuts; they are not the recording's business.
    logging.getLogger("distributed").setLevel(logging.CRITICAL)

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
    print(f"recorded {arguments.graph} in {arguments.folder}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
