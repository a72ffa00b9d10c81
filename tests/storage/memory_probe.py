"""Save and read back a large file through PyFSStorage; report peak memory growth.

Run in its own process so that no other test's allocations count::

    DJPYFS_PROBE_DJFS='{"type": "osfs", ...}' python -m tests.storage.memory_probe 1024

``DJPYFS_PROBE_OPTIONS`` (JSON, optional) gives PyFSStorage's options, such
as ``{"allow_overwrite": true}``.

Prints one JSON object: ``growth_mib`` (peak RSS growth while saving and
reading), ``seconds`` and ``bytes_read``.
"""

from __future__ import annotations

import io
import json
import os
import resource
import sys
import time

BLOCK = bytes(range(256)) * 4096  # 1 MiB, so corruption shows in the check


class PatternFile(io.RawIOBase):
    """A seekable file of ``size`` bytes repeating :data:`BLOCK`, never in memory."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}
        self._position = max(0, base[whence] + offset)
        return self._position

    def readinto(self, buffer) -> int:
        count = min(len(buffer), self._size - self._position)
        view = memoryview(buffer)
        done = 0
        while done < count:
            start = (self._position + done) % len(BLOCK)
            piece = min(count - done, len(BLOCK) - start)
            view[done : done + piece] = BLOCK[start : start + piece]
            done += piece
        self._position += count
        return count


def _status_mib(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise LookupError(field)


def reset_peak_rss() -> float:
    """Reset the peak resident size to the current one; return it in MiB.

    The peak (``ru_maxrss``, ``VmHWM``) is inherited from the parent at
    fork, so a large test process would hide this one's growth; writing 5
    to ``clear_refs`` (Linux) starts the peak afresh.
    """
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        return _status_mib("VmRSS")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_rss_mib() -> float:
    try:
        return _status_mib("VmHWM")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(size_mib: int) -> dict:
    import django
    from django.conf import settings

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    django.setup()
    settings.DJFS = json.loads(os.environ["DJPYFS_PROBE_DJFS"])

    from django.core.files.base import ContentFile, File

    from djpyfs.storage import PyFSStorage

    options = json.loads(os.environ.get("DJPYFS_PROBE_OPTIONS") or "{}")
    storage = PyFSStorage(namespace="probe", **options)
    # Warm up: imports, clients and connections are not what is measured.
    warm = storage.save("warm.bin", ContentFile(b"x" * 1024))
    with storage.open(warm) as f:
        f.read()

    size = size_mib * 1024 * 1024
    baseline = reset_peak_rss()
    started = time.monotonic()
    name = storage.save("big.bin", File(PatternFile(size), name="big.bin"))
    bytes_read = 0
    expected = PatternFile(size)
    with storage.open(name, "rb") as f:
        for chunk in f.chunks(chunk_size=1024 * 1024):
            if chunk != expected.read(len(chunk)):
                raise AssertionError(f"content differs near byte {bytes_read}")
            bytes_read += len(chunk)
    return {
        "growth_mib": peak_rss_mib() - baseline,
        "seconds": time.monotonic() - started,
        "bytes_read": bytes_read,
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]))))
