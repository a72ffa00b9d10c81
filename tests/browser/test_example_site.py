"""The example site in headless Chromium: charts, uploads, expiry and sweep."""

from __future__ import annotations

import time
import uuid
from urllib.parse import urljoin

import pytest

from tests.browser.conftest import CHART_SECONDS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

UPLOADED = b"uploaded through the form\n"


def wait_for(check, timeout: float, interval: float = 0.3):
    """Call ``check`` until it returns something true; return that."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(interval)


def test_chart_page_shows_the_rendered_png(page, example_site):
    page.goto(example_site + "/")

    width = page.wait_for_function(
        "() => { const img = document.querySelector('#chart');"
        " return img.complete && img.naturalWidth; }"
    ).json_value()

    assert width == 480


def test_chart_url_stops_working_when_its_lifetime_ends(page, example_site):
    page.goto(example_site + "/")
    url = urljoin(example_site, page.locator("#chart").get_attribute("src"))
    if not url.startswith(example_site):
        pytest.skip("moto, standing in for S3, does not expire presigned URLs")
    first = page.request.get(url)

    expired = wait_for(
        lambda: page.request.get(url).status == 403, timeout=CHART_SECONDS + 5
    )

    assert first.status == 200
    assert first.headers["content-type"] == "image/png"
    assert expired


def test_uploaded_file_is_served_until_its_expiry_is_swept(page, example_site):
    title = f"upload {uuid.uuid4().hex[:8]}"
    page.goto(example_site + "/uploads/")
    page.fill("input[name=title]", title)
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "hello.txt", "mimeType": "text/plain", "buffer": UPLOADED}],
    )
    page.fill("input[name=lifetime]", "1")
    page.click("button[type=submit]")
    row = page.locator("#uploads tr", has_text=title)
    url = urljoin(example_site, row.locator("a.file-link").get_attribute("href"))
    before = page.request.get(url)
    file_name = row.locator("td").nth(1).inner_text()

    def shown_as_expired() -> bool:
        page.goto(example_site + "/expiry/")
        expiry_row = page.locator("#expirations tr", has_text=file_name)
        return expiry_row.locator("td.expired").inner_text() == "yes"

    assert wait_for(shown_as_expired, timeout=10)
    page.click("#sweep")
    page.wait_for_selector(".messages")
    after = page.request.get(url)
    page.goto(example_site + "/uploads/")

    assert before.status == 200
    assert before.body() == UPLOADED
    assert after.status == 404
    assert page.locator("#uploads tr", has_text=title).locator(".removed").count() == 1
