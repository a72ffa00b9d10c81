"""Helpers shared by tests and benchmarks (importable as ``tests.support``)."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any


class RequestCounter:
    """Counts the HTTP requests one or more botocore clients send.

    Uses botocore's event system (``before-send`` fires once per HTTP attempt,
    retries included, from whichever thread sends it), so nothing is
    patched::

        with RequestCounter(client) as counter:
            ...
        counter.total, counter.by_operation["PutObject"], counter.operations
    """

    def __init__(self, *clients: Any) -> None:
        self.clients = clients
        self.by_operation: Counter[str] = Counter()
        #: Operation names in the order they were sent.
        self.operations: list[str] = []
        self._lock = threading.Lock()

    @property
    def total(self) -> int:
        return sum(self.by_operation.values())

    def _count(self, request: Any, event_name: str = "", **kwargs: Any) -> None:
        # The event is "before-send.<service>.<Operation>".
        parts = event_name.split(".")
        operation = parts[2] if len(parts) > 2 else request.method
        with self._lock:
            self.by_operation[operation] += 1
            self.operations.append(operation)

    def __enter__(self) -> RequestCounter:
        for client in self.clients:
            client.meta.events.register("before-send.s3", self._count)
        return self

    def __exit__(self, *exc: object) -> None:
        for client in self.clients:
            client.meta.events.unregister("before-send.s3", self._count)

    def __repr__(self) -> str:
        return f"<RequestCounter {self.total}: {', '.join(self.operations)}>"
