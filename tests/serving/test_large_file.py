"""A large file is streamed: serving it does not hold it in memory."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SIZE = 200 * 1024 * 1024
MAX_GROWTH = 64 * 1024 * 1024

# Runs in a fresh interpreter so that no other test's allocations count.
SCRIPT = textwrap.dedent(
    """
    import json, os, resource, sys

    import django
    from django.conf import settings

    root, size = sys.argv[1], int(sys.argv[2])
    settings.configure(
        SECRET_KEY="x",
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF="tests.urls",
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "djpyfs"],
        DATABASES={},
        DJFS={"type": "osfs", "directory_root": root},
    )
    django.setup()
    from django.test import Client

    from djpyfs import get_filesystem

    fs = get_filesystem("big")
    with fs.openbin("200mib.bin", "w") as handle:
        block = os.urandom(1024 * 1024)
        for _ in range(size // len(block)):
            handle.write(block)
    url = fs.get_url("200mib.bin")
    client = Client()
    client.get(url, headers={"Range": "bytes=0-0"})  # warm up imports

    def peak():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    before = peak()
    response = client.get(url)
    sent = sum(len(chunk) for chunk in response.streaming_content)
    response.close()
    print(json.dumps({"sent": sent, "length": int(response["Content-Length"]),
                      "growth": peak() - before}))
    """
)


@pytest.mark.slow
def test_200_mib_file_is_served_with_bounded_memory(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path), str(SIZE)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
        timeout=300,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])

    assert figures["sent"] == figures["length"] == SIZE
    assert figures["growth"] < MAX_GROWTH, figures
