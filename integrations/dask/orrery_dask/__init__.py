"""Record a dask.distributed run as an Orrery scenario and an Orrery trace.

    from orrery_dask import record
    with record(client, "runs/shuffle"):
        client.compute(collection).result()

then `orrery run runs/shuffle/scenario.yaml`, `orrery report runs/shuffle` and
`orrery compare runs/shuffle/scenario.yaml --sim-vs-dask runs/shuffle`.
"""

from .recorder import record
from .recording import Recording

__all__ = ["record", "Recording"]
