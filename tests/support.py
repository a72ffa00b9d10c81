"""Helpers shared by tests and benchmarks (importable as ``tests.support``)."""

from __future__ import annotations

from collections import Counter
from typing import Any


class RequestCounter:
    """Counts the HTTP requests one or more botocore clients send.

    Uses botocore's event system (``before-send`` fires once per HTTP attempt,
    retries included), so nothing is patched::

        with RequestCounter(client) as counter:
            ...
        counter.total, counter.by_operation["PutObject"]
    """

    def __init__(self, *clients: Any) -> None:
        self.clients = clients
        self.by_operation: Counter[str] = Counter()

    @property
    def total(self) -> int:
        return sum(self.by_operation.values())

    def _count(self, request: Any, **kwargs: Any) -> None:
        operation = request.context.get("operation_name") if request.context else None
        self.by_operation[operation or request.method] += 1

    def __enter__(self) -> RequestCounter:
        for client in self.clients:
            client.meta.events.register("before-send.s3", self._count)
        return self

    def __exit__(self, *exc: object) -> None:
        for client in self.clients:
            client.meta.events.unregister("before-send.s3", self._count)
