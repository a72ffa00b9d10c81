"""``./example/run``, the README's one command, on a machine without its venv."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import urllib.request
from urllib.parse import urljoin

import pytest

from tests.browser.conftest import EXAMPLE, _free_port, _wait_until_up

pytestmark = pytest.mark.slow


@pytest.fixture
def started_by_run_script(tmp_path):
    """The site as ``example/run ADDRESS`` starts it, with a venv of its own.

    Yields the base URL.  The script ends by exec'ing Django's autoreloading
    development server, which runs the site in a child process: the whole
    process group is stopped afterwards.
    """
    port = _free_port()
    env = {
        **os.environ,
        "DJPYFS_EXAMPLE_VENV": str(tmp_path / "venv"),
        "DJPYFS_EXAMPLE_VAR": str(tmp_path / "var"),
    }
    # pytest-django's settings module is not the example's.
    for name in ("DJPYFS_EXAMPLE_S3_BUCKET", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    log = (tmp_path / "run.log").open("wb")
    script = subprocess.Popen(
        [str(EXAMPLE / "run"), f"127.0.0.1:{port}"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        # Making the venv and installing djpyfs with its S3 extra takes a while.
        _wait_until_up(base + "/expiry/", script, timeout=600)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):  # it may have failed
            os.killpg(script.pid, signal.SIGTERM)
        script.wait(timeout=30)
        log.close()


def test_run_script_serves_the_chart_page_and_its_image(started_by_run_script):
    with urllib.request.urlopen(started_by_run_script + "/", timeout=30) as page:
        html = page.read().decode()
    image_url = re.search(r'<img[^>]*id="chart"[^>]*src="([^"]+)"', html)
    assert image_url, html

    src = urljoin(started_by_run_script + "/", image_url.group(1).replace("&amp;", "&"))
    with urllib.request.urlopen(src, timeout=30) as image:
        assert image.headers["Content-Type"] == "image/png"
        assert image.read(8) == b"\x89PNG\r\n\x1a\n"
