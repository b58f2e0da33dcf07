"""Child process of the memory benchmark: load one snapshot file and report the memory it took.

``python -m benchmarks.memory_child FILE {tracemalloc|rss} {snapshot|orjson}`` prints one JSON
object. Everything that is not the measured work (imports, reading the file) happens before
the measurement starts; ``snapshot`` is deserialize_snapshot + load_snapshot, ``orjson`` is
``json``/``orjson`` are ``json.loads``/``orjson.loads`` of the same bytes (the plain Python
objects of the document, and the fastest parser's peak). One-time costs (imports, lazily built
decoders) are paid by a warm-up load of a tiny snapshot before measuring.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import sys
import tracemalloc
from pathlib import Path
from typing import Any


def rss_now() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def reset_peak_rss() -> bool:
    """Reset the kernel's high-water mark of this process (Linux 4.0+)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


def peak_rss() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def main(argv: list[str]) -> dict[str, Any]:
    path, mode, what = Path(argv[0]), argv[1], argv[2]
    import orjson

    from pytest_wfsnap import engine

    tiny = engine.new({"nodes": [{"id": "a", "type": "number", "data": {"value": 1}}]})
    tiny.execute()
    warm_up = engine.serialize_snapshot(engine.save_snapshot(tiny))
    engine.load_snapshot(engine.deserialize_snapshot(warm_up))
    json.loads(warm_up)
    orjson.loads(warm_up)
    data = path.read_bytes()

    def work() -> int:
        if what == "orjson":
            return len(orjson.loads(data)["results"])
        if what == "json":
            return len(json.loads(data)["results"])
        return len(engine.load_snapshot(engine.deserialize_snapshot(data)).results)

    gc.collect()
    out: dict[str, Any] = {"file_bytes": len(data), "mode": mode, "what": what}
    if mode == "tracemalloc":
        tracemalloc.start()
        out["results"] = work()
        out["peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    else:
        before = rss_now()
        out["hwm_reset"] = reset_peak_rss()
        if not out["hwm_reset"]:
            before = max(before, peak_rss())
        out["results"] = work()
        out["peak"] = peak_rss() - before
    return out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
