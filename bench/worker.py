"""Runs one benchmark operation through the ``djpyfs.djpyfs`` API; prints JSON.

The same script serves both sides: run by ``.venv-bench``'s Python it
imports this checkout's djpyfs, run by ``.venv-bench-pred``'s Python it
imports openedx-django-pyfs 4.0.0 (both packages are named ``djpyfs`` and
both offer ``from djpyfs import djpyfs; djpyfs.get_filesystem(...)``,
``fs.get_url``, ``fs.expire`` and ``djpyfs.expire_objects()``).  So both sides
run exactly the same code, each in a fresh process with its own SQLite file.

Usage: ``python -P bench/worker.py '<json spec>'`` (``-P``: do not put
``bench/`` itself on ``sys.path``).  The spec names the operation (``op``),
the ``DJFS`` setting, the SQLite file, sizes and the number of runs; see
:func:`main`.  The result, on stdout, holds one figure per run: ``seconds``
and, on S3, ``requests`` as counted by the benchmark's moto server.

This file imports nothing from ``bench``: the predecessor's virtualenv has
only the predecessor and its dependencies.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

CONTENT = b"x" * 100


def configure_django(spec: dict[str, Any]) -> None:
    import django
    from django.conf import settings
    from django.core.management import call_command

    settings.configure(
        SECRET_KEY="djpyfs-bench",
        USE_TZ=True,
        INSTALLED_APPS=["djpyfs"],
        DATABASES={
            "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": spec["db"]}
        },
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        DJFS=spec["djfs"],
        MEDIA_ROOT=spec["workdir"],
    )
    django.setup()
    # djpyfs has migrations, openedx-django-pyfs has none: syncdb covers both.
    call_command("migrate", run_syncdb=True, verbosity=0)


def request_count(endpoint: str | None) -> int:
    if not endpoint:
        return 0
    with urllib.request.urlopen(endpoint + "/__bench__/requests") as response:
        return int(response.read())


class Files:
    """Creates and lists the files of one namespace directly, not through djpyfs.

    Setting up 20,000 files through the predecessor would take minutes; the
    setup is not what is measured, so it goes straight to disk or to S3.
    """

    def __init__(self, spec: dict[str, Any], namespace: str) -> None:
        self.djfs = spec["djfs"]
        self.namespace = namespace
        if self.djfs["type"] == "s3fs":
            import boto3

            self.client = boto3.session.Session().client(
                "s3",
                endpoint_url=self.djfs["endpoint_url"],
                region_name=self.djfs["region"],
                aws_access_key_id=self.djfs["aws_access_key_id"],
                aws_secret_access_key=self.djfs["aws_secret_access_key"],
            )
            self.prefix = f"{self.djfs['prefix']}/{namespace}/"
        else:
            self.directory = os.path.join(self.djfs["directory_root"], namespace)
            os.makedirs(self.directory, exist_ok=True)

    def create(self, names: list[str]) -> None:
        if self.djfs["type"] == "s3fs":
            bucket = self.djfs["bucket"]
            with ThreadPoolExecutor(8) as pool:
                for _ in pool.map(
                    lambda name: self.client.put_object(
                        Bucket=bucket, Key=self.prefix + name, Body=CONTENT
                    ),
                    names,
                ):
                    pass
        else:
            for name in names:
                with open(os.path.join(self.directory, name), "wb") as file:
                    file.write(CONTENT)

    def names(self) -> set[str]:
        if self.djfs["type"] != "s3fs":
            return set(os.listdir(self.directory))
        found = set()
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.djfs["bucket"], Prefix=self.prefix):
            found.update(
                item["Key"][len(self.prefix) :] for item in page.get("Contents", [])
            )
        return found


def expire(spec: dict[str, Any]) -> dict[str, Any]:
    """Time ``expire_objects()`` removing ``n`` expired files among ``n_live``."""
    from django.utils import timezone

    from djpyfs import djpyfs as api
    from djpyfs.models import FSExpirations

    namespace = "bench/expire"
    files = Files(spec, namespace)
    n, n_live = spec["n"], spec["n_live"]
    live = [f"live-{index:05d}.png" for index in range(n_live)]
    files.create(live)
    FSExpirations.objects.bulk_create(
        FSExpirations(
            module=namespace,
            filename=name,
            expires=True,
            expiration=timezone.now() + timedelta(days=1),
        )
        for name in live
    )

    result: dict[str, Any] = {"seconds": [], "requests": [], "errors": []}
    for run in range(spec["runs"]):
        expired = [f"old-{run}-{index:05d}.png" for index in range(n)]
        files.create(expired)
        FSExpirations.objects.bulk_create(
            FSExpirations(
                module=namespace,
                filename=name,
                expires=True,
                expiration=timezone.now() - timedelta(hours=1),
            )
            for name in expired
        )

        before = request_count(spec.get("endpoint"))
        start = time.perf_counter()
        api.expire_objects()
        result["seconds"].append(time.perf_counter() - start)
        result["requests"].append(request_count(spec.get("endpoint")) - before)

        remaining = files.names()
        if remaining != set(live):
            result["errors"].append(
                f"run {run}: {len(remaining & set(expired))} expired files left, "
                f"{len(set(live) - remaining)} live files gone"
            )
        rows = FSExpirations.objects.count()
        if rows != n_live:
            result["errors"].append(f"run {run}: {rows} rows left, {n_live} expected")
    return result


def get_url(spec: dict[str, Any]) -> dict[str, Any]:
    """Time ``n`` calls of ``fs.get_url(name, timeout=60)`` (CPU time).

    With ``with_boto3``, also time the floor: a bare boto3
    ``generate_presigned_url`` loop over the same keys.
    """
    from djpyfs import djpyfs as api

    fs = api.get_filesystem("bench/urls")
    names = [f"chart-{index:05d}.png" for index in range(spec["n"])]
    signers = {"api": lambda name: fs.get_url(name, timeout=60)}
    if spec.get("with_boto3"):
        signers["boto3"] = bare_boto3_signer(spec["djfs"], "bench/urls")

    result: dict[str, Any] = {"seconds": {}, "sample": {}}
    for label, sign in signers.items():
        for name in names[:100]:  # warm up: clients, caches
            sign(name)
        result["sample"][label] = sign(names[0])
        result["seconds"][label] = []
    # Presigning uses the CPU only, so it is timed in this process's CPU time,
    # which other processes on a busy machine disturb far less than wall time.
    # Each run alternates between the signers every few hundred calls, first
    # one then the other leading, so that both see the same conditions.
    batches = [names[start : start + 250] for start in range(0, len(names), 250)]
    for _ in range(spec["runs"]):
        totals = dict.fromkeys(signers, 0.0)
        for index, batch in enumerate(batches):
            order = list(signers) if index % 2 == 0 else list(reversed(signers))
            for label in order:
                sign = signers[label]
                start = time.process_time()
                for name in batch:
                    sign(name)
                totals[label] += time.process_time() - start
        for label, total in totals.items():
            result["seconds"][label].append(total)
    return result


def bare_boto3_signer(djfs: dict[str, Any], namespace: str) -> Any:
    """A function presigning GETs of a namespace's files with boto3 alone."""
    import boto3
    from botocore.config import Config

    client = boto3.session.Session().client(
        "s3",
        endpoint_url=djfs["endpoint_url"],
        region_name=djfs["region"],
        aws_access_key_id=djfs["aws_access_key_id"],
        aws_secret_access_key=djfs["aws_secret_access_key"],
        config=Config(signature_version="s3v4"),
    )
    bucket, prefix = djfs["bucket"], f"{djfs['prefix']}/{namespace}/"

    def sign(name: str) -> str:
        return client.generate_presigned_url(
            "get_object", Params={"Bucket": bucket, "Key": prefix + name}, ExpiresIn=60
        )

    return sign


def write_read(spec: dict[str, Any]) -> dict[str, Any]:
    """Time writing then reading ``n`` small files with ``writebytes``/``readbytes``."""
    from djpyfs import djpyfs as api

    endpoint = spec.get("endpoint")
    content = b"y" * spec.get("size", 1024)
    result: dict[str, Any] = {
        key: [] for key in ("write_s", "write_req", "read_s", "read_req")
    }
    result["errors"] = []
    for run in range(spec["runs"]):
        fs = api.get_filesystem(f"bench/rw/run{run}")
        names = [f"note-{index:05d}.txt" for index in range(spec["n"])]

        before, start = request_count(endpoint), time.perf_counter()
        for name in names:
            fs.writebytes(name, content)
        result["write_s"].append(time.perf_counter() - start)
        result["write_req"].append(request_count(endpoint) - before)

        before, start = request_count(endpoint), time.perf_counter()
        bad = sum(fs.readbytes(name) != content for name in names)
        result["read_s"].append(time.perf_counter() - start)
        result["read_req"].append(request_count(endpoint) - before)
        if bad:
            result["errors"].append(f"run {run}: {bad} files read back wrong")
    return result


OPERATIONS = {
    "expire": expire,
    "get_url": get_url,
    "write_read": write_read,
}


def main() -> None:
    spec = json.loads(sys.argv[1])
    spec.setdefault("workdir", tempfile.mkdtemp(prefix="djpyfs-bench-"))
    spec.setdefault("db", os.path.join(spec["workdir"], "db.sqlite3"))
    configure_django(spec)
    import djpyfs

    result = OPERATIONS[spec["op"]](spec)
    result["implementation"] = os.path.dirname(djpyfs.__file__)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
