"""moto's S3 server in a process of its own, counting the requests it serves.

Every side of a benchmark (djpyfs, the predecessor in its own virtualenv, bare
boto3, django-storages) talks to the same server over HTTP, and the server
counts what it receives, so request counts are comparable whoever the client
is and need nothing installed in the client.  ``GET /__bench__/requests``
returns the number of S3 requests served so far (not counting itself).

Run ``python -m bench.moto_server``: it prints ``{"endpoint": ...}`` on one
line once it listens, then serves until terminated.
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Callable, Iterable
from typing import Any

COUNT_PATH = "/__bench__/requests"


class RequestCounter:
    """WSGI middleware counting the requests passed on to the wrapped app."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self._lock = threading.Lock()
        self._served = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Any:
        if environ.get("PATH_INFO") == COUNT_PATH:
            body = str(self._served).encode()
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [body]
        with self._lock:
            self._served += 1
        return self.app(environ, start_response)


def serve(port: int) -> None:
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    # One log line per request would drown the benchmark's output.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app = RequestCounter(DomainDispatcherApplication(create_backend_app))
    server = make_server(
        "127.0.0.1", port, app, threaded=True, request_handler=MotoRequestHandler
    )
    host, bound_port = server.server_address[:2]
    print(json.dumps({"endpoint": f"http://{host}:{bound_port}"}), flush=True)
    server.serve_forever()


def request_count(endpoint: str) -> int:
    """The number of S3 requests the server at ``endpoint`` has served."""
    with urllib.request.urlopen(endpoint + COUNT_PATH, timeout=10) as response:
        return int(response.read())


class MotoServer:
    """Starts ``python -m bench.moto_server`` and stops it on exit.

    Usage::

        with MotoServer() as endpoint:
            ...
    """

    def __init__(self, python: str = sys.executable) -> None:
        self.python = python
        self.process: subprocess.Popen[str] | None = None
        self.endpoint = ""

    def __enter__(self) -> str:
        self.process = subprocess.Popen(
            [self.python, "-m", "bench.moto_server"],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            self.process.wait()
            raise RuntimeError("moto's server did not start")
        self.endpoint = json.loads(line)["endpoint"]
        return self.endpoint

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    serve(parser.parse_args().port)


if __name__ == "__main__":
    main()
