"""The boto3 client of S3 namespaces: one per configuration, shared by threads."""

from __future__ import annotations

import dataclasses
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

from djpyfs.s3.filesystem import S3NamespaceFS

THREADS = 8


def test_threads_opening_namespaces_at_once_share_one_client(s3_config):
    # Credentials no other test uses, so the client is built by these threads.
    config = dataclasses.replace(s3_config, aws_access_key_id=uuid.uuid4().hex)
    start = threading.Barrier(THREADS)

    def open_and_write(index: int):
        start.wait()
        s3fs = S3NamespaceFS(config, "pyfs/ns")
        s3fs.writebytes(f"file{index}.txt", b"x")
        return s3fs.client

    with ThreadPoolExecutor(THREADS) as pool:
        clients = list(pool.map(open_and_write, range(THREADS)))

    assert all(client is clients[0] for client in clients)
    assert len(S3NamespaceFS(config, "pyfs/ns").listdir("/")) == THREADS
