"""Where a test's golden file lives: ``<fixtures dir>/<test file without .py>/<test>.golden.json``.

Segments are sanitised to portable file names; a segment that had to change, or is longer than
100 characters, gets a short hash of the original, so two test ids never share a file.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path, PurePosixPath

GOLDEN_SUFFIX = ".golden.json"

_SAFE = re.compile(r"[^A-Za-z0-9_.\-\[\]]")
_MAX_SEGMENT = 100
_HASH_LEN = 8
_HASHED = re.compile(r"-[0-9a-f]{8}$")


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:_HASH_LEN]


def sanitise_segment(text: str) -> str:
    """A file-name-safe form of one path segment; changed or long names get a hash suffix."""
    clean = _SAFE.sub("_", text)
    if clean.startswith("."):
        clean = "_" + clean[1:]
    if not clean:
        clean = "_"
    if clean != text or len(clean) > _MAX_SEGMENT:
        clean = f"{clean[: _MAX_SEGMENT - _HASH_LEN - 1]}-{_short_hash(text)}"
    return clean


@lru_cache(maxsize=4096)
def file_key(test_path: Path, rootpath: Path) -> str:
    """The directory (posix, relative to the fixtures dir) holding a test file's goldens."""
    try:
        rel = test_path.resolve().relative_to(rootpath.resolve())
        parts = list(rel.parts)
    except ValueError:
        parts = ["_outside_rootdir", f"{test_path.stem}-{_short_hash(str(test_path))}"]
    if parts and parts[-1].endswith(".py"):
        parts[-1] = parts[-1][: -len(".py")]
    return str(PurePosixPath(*(sanitise_segment(p) for p in parts)))


def name_in_file(nodeid: str) -> str:
    """The test's name in its file: ``Class.test_x[p]`` for ``file::Class::test_x[p]``."""
    _, _, name = nodeid.partition("::")
    return name.replace("::", ".") if name else nodeid


def golden_relpath(test_path: Path, rootpath: Path, nodeid: str) -> str:
    """Path of a test's golden, posix, relative to the fixtures dir."""
    name = sanitise_segment(name_in_file(nodeid))
    return f"{file_key(test_path, rootpath)}/{name}{GOLDEN_SUFFIX}"


def key_is_reversible(key: str) -> bool:
    """True when no segment of a test-file key was hashed (the key names the file exactly)."""
    return not any(_HASHED.search(part) for part in key.split("/"))


__all__ = [
    "GOLDEN_SUFFIX",
    "file_key",
    "golden_relpath",
    "key_is_reversible",
    "name_in_file",
    "sanitise_segment",
]
