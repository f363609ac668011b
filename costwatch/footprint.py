"""What a run itself spends: the Cloud Storage operations and Monitoring calls it sends.

costwatch watches an allowance it also draws from: a daily audit of 200 buckets is 200 Class B
operations a day, 6,000 a month, 12% of the free 50,000. Sources count every request they send
on a :class:`Meter`; the report carries the totals as :class:`ApiCalls`.

Only successful Cloud Storage requests are billed as operations (4xx and 5xx answers generally
are not), so those are what the Class A and Class B counts hold; ``storage_requests`` counts
every request sent, failed and retried ones included.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

#: JSON API collections whose GET is a list (Class A); any other GET reads one resource.
_LISTS = ("/b", "/o", "/notificationConfigs", "/hmacKeys")


@dataclass(frozen=True)
class ApiCalls:
    """Requests one run sent: billed Class A / Class B operations, all Storage requests,
    Monitoring calls."""

    class_a: int = 0
    class_b: int = 0
    storage_requests: int = 0
    monitoring_calls: int = 0

    def __add__(self, other: ApiCalls) -> ApiCalls:
        return ApiCalls(
            self.class_a + other.class_a,
            self.class_b + other.class_b,
            self.storage_requests + other.storage_requests,
            self.monitoring_calls + other.monitoring_calls,
        )

    def to_json(self) -> dict[str, int]:
        return {
            "class_a": self.class_a,
            "class_b": self.class_b,
            "storage_requests": self.storage_requests,
            "monitoring_calls": self.monitoring_calls,
        }

    @classmethod
    def from_json(cls, data: Any) -> ApiCalls:
        return cls(
            int(data.get("class_a", 0)),
            int(data.get("class_b", 0)),
            int(data.get("storage_requests", 0)),
            int(data.get("monitoring_calls", 0)),
        )


def operation_class(method: str, url: str) -> str | None:
    """ "A" or "B" for a Cloud Storage JSON API request, None for a free one (DELETE)."""
    method = method.upper()
    if method == "DELETE":
        return None
    if method in ("GET", "HEAD"):
        path = urlsplit(url).path.rstrip("/")
        return "A" if path.endswith(_LISTS) else "B"
    return "A"


class Meter:
    """Counts requests as they are sent, from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls = ApiCalls()

    def storage(self, method: str, url: str, status: int | None) -> None:
        """One request sent to Cloud Storage; ``status`` is None when no answer came."""
        billed = status is not None and 200 <= status < 300
        kind = operation_class(method, url) if billed else None
        with self._lock:
            self._calls = self._calls + ApiCalls(
                class_a=int(kind == "A"), class_b=int(kind == "B"), storage_requests=1
            )

    def monitoring(self, calls: int = 1) -> None:
        with self._lock:
            self._calls = self._calls + ApiCalls(monitoring_calls=calls)

    def totals(self) -> ApiCalls:
        with self._lock:
            return self._calls
