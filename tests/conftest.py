"""Fixtures shared by the whole suite: moto's S3 server and DJFS back-ends."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

# The default credential chain must find something for the moto server; real
# credentials on a developer's machine must never be used by the tests.
for _name, _value in {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}.items():
    os.environ[_name] = _value
os.environ.pop("AWS_PROFILE", None)

BACKENDS = ["osfs", "mem", "s3fs"]


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """Moto's S3 server over HTTP on 127.0.0.1; yields its endpoint URL."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="session")
def s3_client(moto_endpoint: str):
    """A client of its own for preparing buckets (built once: that takes 0.1 s)."""
    import boto3

    return boto3.session.Session().client(
        "s3", endpoint_url=moto_endpoint, region_name="us-east-1"
    )


@pytest.fixture
def s3_bucket(s3_client) -> str:
    """A new, empty bucket on the moto server."""
    name = f"djpyfs-{uuid.uuid4().hex[:16]}"
    s3_client.create_bucket(Bucket=name)
    return name


@pytest.fixture
def namespace() -> str:
    """A namespace no other test uses (the mem back-end lives for the process)."""
    return f"tests/{uuid.uuid4().hex[:12]}"


def djfs_for(backend: str, tmp_path, request) -> dict:
    if backend == "osfs":
        return {
            "type": "osfs",
            "directory_root": str(tmp_path / "djfs"),
            "url_root": "/osfs-files/",
        }
    if backend == "mem":
        return {"type": "mem"}
    if backend == "s3fs":
        endpoint = request.getfixturevalue("moto_endpoint")
        bucket = request.getfixturevalue("s3_bucket")
        return {
            "type": "s3fs",
            "bucket": bucket,
            "prefix": "pyfs",
            "endpoint_url": endpoint,
            "region": "us-east-1",
            "aws_access_key_id": "testing",
            "aws_secret_access_key": "testing",
        }
    raise ValueError(backend)


@pytest.fixture(params=BACKENDS)
def djfs(request, settings, tmp_path) -> dict:
    """Each DJFS back-end in turn, applied with override_settings."""
    settings.DJFS = djfs_for(request.param, tmp_path, request)
    return settings.DJFS


@pytest.fixture
def fetch(request):
    """GET a URL made by djpyfs over real HTTP and return the response.

    Relative URLs (djpyfs's view, osfs's url_root) go to the live server.
    """
    import requests

    def get(url: str, **kwargs):
        if not url.startswith(("http://", "https://")):
            url = request.getfixturevalue("live_server").url + url
        return requests.get(url, timeout=30, **kwargs)

    return get
