"""pytest-wfsnap's benchmark suite: ``python -m benchmarks.run`` (see docs/benchmarks.md).

Workloads and the bare-loop baseline live in :mod:`benchmarks.workloads`; each row group in its
own module (engine, snapshot, memory, plugin); :mod:`benchmarks.profile` prints hotspots.
"""
