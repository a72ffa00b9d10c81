"""The example site run as a subprocess, and headless Chromium to drive it.

Chromium is Debian's ``chromium`` package (``scripts/services.sh`` installs
it); Playwright drives it and never downloads a browser of its own.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "example"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

#: Lifetime of the example's charts in these tests: long enough to load the
#: page, short enough to wait out.
CHART_SECONDS = 3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the example site exited with {server.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise TimeoutError(f"the example site did not answer at {url}")


def _s3_environment(request) -> dict[str, str]:
    """What README tells a user to set to run the example on S3 (here: moto)."""
    import boto3

    endpoint = request.getfixturevalue("moto_endpoint")
    bucket = "djpyfs-example-site"
    boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket=bucket)
    return {
        "DJPYFS_EXAMPLE_S3_BUCKET": bucket,
        "DJPYFS_EXAMPLE_S3_ENDPOINT_URL": endpoint,
    }


@pytest.fixture(scope="session", params=["local", "s3"])
def example_site(request, tmp_path_factory) -> Iterator[str]:
    """The example site on a free port with its own SQLite and files.

    Yields its base URL.  The site is the one ``./example/run`` starts, run
    with this interpreter (which has djpyfs and Pillow) instead of its venv;
    the ``s3`` variant only adds the environment variables that switch DJFS.
    """
    var = tmp_path_factory.mktemp("example-var")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
        "DJPYFS_EXAMPLE_VAR": str(var),
        "DJPYFS_EXAMPLE_CHART_SECONDS": str(CHART_SECONDS),
        "DJANGO_SETTINGS_MODULE": "example_site.settings",
    }
    env.pop("DJPYFS_EXAMPLE_S3_BUCKET", None)
    if request.param == "s3":
        env.update(_s3_environment(request))
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "migrate", "--noinput", "-v0"], cwd=EXAMPLE, env=env, check=True
    )
    port = _free_port()
    log = (var / "server.log").open("wb")
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=EXAMPLE,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base + "/expiry/", server)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: run scripts/services.sh (apt-get install chromium)"
        )
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
