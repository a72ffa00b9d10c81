"""Peak memory of saving or reading one large file through one bridge.

Run in a fresh process per measurement (the runner does), so the peak is this
operation's alone::

    python -m bench.memory --bridge namespacefs --backend local --op save \\
        --size 1073741824 --workdir /tmp/x [--endpoint URL --bucket NAME]

Prints JSON: ``start`` (resident memory just before the operation, bytes)
and ``peak`` (the process's maximum resident memory, bytes).  Bridges:
``namespacefs`` (``get_filesystem``), ``pyfsstorage`` (``PyFSStorage``) and
``storagefs`` (``StorageFS`` over FileSystemStorage or S3Storage).  ``save``
streams from a file on disk; ``read`` reads the saved file back in 1 MiB
chunks.  Exit status 3: the bridge is not available in this checkout.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
from typing import Any

CHUNK = 1 << 20
NAMESPACE = "bench/memory"
NAME = "big.bin"
NOT_AVAILABLE = 3


def current_rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def peak_rss() -> int:
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def configure(args: argparse.Namespace) -> None:
    import django
    from django.conf import settings

    if args.backend == "s3":
        djfs: dict[str, Any] = {
            "type": "s3fs",
            "bucket": args.bucket,
            "prefix": "pyfs",
            "region": "us-east-1",
            "endpoint_url": args.endpoint,
            "aws_access_key_id": "bench",
            "aws_secret_access_key": "bench",
        }
    else:
        djfs = {"type": "osfs", "directory_root": os.path.join(args.workdir, "djfs")}
    settings.configure(
        SECRET_KEY="djpyfs-bench",
        USE_TZ=True,
        INSTALLED_APPS=["djpyfs"],
        DATABASES={
            "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
        },
        DJFS=djfs,
        MEDIA_ROOT=os.path.join(args.workdir, "media"),
        AWS_S3_ENDPOINT_URL=args.endpoint,
        AWS_STORAGE_BUCKET_NAME=args.bucket,
        AWS_S3_REGION_NAME="us-east-1",
        AWS_S3_ACCESS_KEY_ID="bench",
        AWS_S3_SECRET_ACCESS_KEY="bench",
    )
    django.setup()


def django_storage(args: argparse.Namespace) -> Any:
    """The Django storage under StorageFS: on disk or django-storages' S3Storage."""
    if args.backend == "s3":
        from storages.backends.s3 import S3Storage

        return S3Storage(location="storagefs")
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=os.path.join(args.workdir, "storagefs"))


def open_bridge(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    """Return ``(bridge, save, read)`` for the chosen bridge."""
    try:
        if args.bridge == "pyfsstorage":
            from djpyfs.storage import PyFSStorage
        elif args.bridge == "storagefs":
            from djpyfs.pyfs_from_storage import StorageFS
    except ImportError:
        sys.exit(NOT_AVAILABLE)

    if args.bridge == "pyfsstorage":
        from django.core.files import File

        storage = PyFSStorage(namespace=NAMESPACE)

        def save(source: Any) -> None:
            storage.save(NAME, File(source, name=NAME))

        def read() -> None:
            with storage.open(NAME, "rb") as file:
                for _ in file.chunks(CHUNK):
                    pass

        return storage, save, read

    if args.bridge == "storagefs":
        fs = StorageFS(django_storage(args))
    else:
        from djpyfs import get_filesystem

        fs = get_filesystem(NAMESPACE)

    def upload(source: Any) -> None:
        fs.upload(NAME, source, chunk_size=CHUNK)

    def download() -> None:
        with fs.openbin(NAME) as file:
            while file.read(CHUNK):
                pass

    return fs, upload, download


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--bridge", choices=["namespacefs", "pyfsstorage", "storagefs"], required=True
    )
    parser.add_argument("--backend", choices=["local", "s3"], default="local")
    parser.add_argument("--op", choices=["save", "read"], required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--endpoint")
    parser.add_argument("--bucket")
    args = parser.parse_args()
    configure(args)
    _, save, read = open_bridge(args)

    source_path = os.path.join(args.workdir, f"source-{args.size}.bin")
    if not os.path.exists(source_path):
        with open(source_path, "wb") as source:
            source.truncate(args.size)  # sparse: instant, and reads as zeros

    start = current_rss()
    if args.op == "save":
        with open(source_path, "rb") as source:
            save(source)
    else:
        read()
    json.dump({"start": start, "peak": peak_rss()}, sys.stdout)


if __name__ == "__main__":
    main()
