"""List a bucket's objects through the real google-cloud-storage client, streaming.

Every ``objects.list`` page is a Class A operation (5,000 free a month), so a listing asks
for the largest page (1,000 objects) and only the fields the object rules read. Objects are
yielded one at a time and never collected: memory stays flat whatever the bucket holds.

The client's iterator would build a ``Blob`` per object. ``benchmarks/objects.py`` measured
that at about 1.3 us per object, a third of the client's listing CPU (JSON decoding and HTTP
are the rest): it does not dominate. The iterator's public ``item_to_value`` hook still hands
over each JSON item as a small record (about 1.0 us), which keeps no ``Blob`` (and its client
reference) alive; the client still does the HTTP, authentication, retries (``retry``) and
paging.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from costwatch.objects_model import ListingProgress, ObjectRecord
from costwatch.sources.base import SourceError

SECTION = "objects"
PAGE_SIZE = 1000
FIELDS = (
    "items(name,size,contentType,cacheControl,contentEncoding,storageClass,updated),nextPageToken"
)
#: What a listing knows for every object: a field missing from an item means the object has
#: no such metadata (the API leaves empty fields out), not that it is unknown.
LISTED_FIELDS = frozenset(
    {"size", "content_type", "cache_control", "content_encoding", "storage_class", "updated"}
)
LIST_PERMISSION = "storage.objects.list"

#: Re-asking for the same page after the client's own retries gave up (a page token the
#: server rejected, a 503 that outlasted the retry budget).
RESUME_ATTEMPTS = 2


class ListingError(SourceError):
    """A listing stopped: ``kind`` is ``permission``, ``credentials``, ``not_found``,
    ``incomplete`` or ``capped``; ``objects`` and ``pages`` say how far it got."""

    def __init__(self, message: str, kind: str, objects: int = 0, pages: int = 0) -> None:
        super().__init__(message)
        self.kind = kind
        self.objects = objects
        self.pages = pages


def record_from_item(item: Mapping[str, Any]) -> ObjectRecord:
    """A JSON API object resource (or the masked item of a listing) as a record."""
    size = item.get("size")
    return ObjectRecord(
        name=str(item.get("name", "")),
        size=int(size) if size is not None else None,
        content_type=item.get("contentType"),
        cache_control=item.get("cacheControl"),
        content_encoding=item.get("contentEncoding"),
        storage_class=item.get("storageClass"),
        updated=item.get("updated"),
    )


def _item_to_record(_iterator: Any, item: Mapping[str, Any]) -> ObjectRecord:
    return record_from_item(item)


def list_objects(
    client: Any,
    bucket: str,
    *,
    max_pages: int,
    timeout: float,
    retry: Any,
    progress: ListingProgress | None = None,
    on_page: Callable[[ListingProgress], None] | None = None,
) -> Iterator[ObjectRecord]:
    """Yield every live object of ``bucket``, 1,000 per page, at most ``max_pages`` pages.

    Raises :class:`ListingError` when the listing cannot finish: the caller must then treat
    every total as incomplete ("after N objects"), never as the bucket's.
    """
    import google.auth.exceptions
    from google.api_core import exceptions as gexc

    state = progress if progress is not None else ListingProgress()
    token: str | None = None
    failures = 0
    uri = f"gs://{bucket}"
    while True:
        iterator = client.list_blobs(
            bucket,
            page_token=token,
            page_size=PAGE_SIZE,
            fields=FIELDS,
            projection="noAcl",
            timeout=timeout,
            retry=retry,
        )
        iterator.item_to_value = _item_to_record
        try:
            for page in iterator.pages:
                state.pages += 1
                for record in page:
                    state.objects += 1
                    yield record
                token = iterator.next_page_token
                failures = 0
                if on_page is not None:
                    on_page(state)
                if not token:
                    return
                if state.pages >= max_pages:
                    raise ListingError(
                        f"{uri}: stopped after {state.pages:,} pages ({state.objects:,} objects): "
                        f"the bucket holds more than max_list_ops allows; raise --max-list-ops "
                        "or read a Storage Insights inventory report (--inventory)",
                        "capped",
                        state.objects,
                        state.pages,
                    )
            return
        except gexc.Forbidden as exc:
            raise ListingError(
                f"{uri}: permission denied listing objects: the caller needs {LIST_PERMISSION} "
                "(roles/storage.objectViewer grants it)",
                "permission",
                state.objects,
                state.pages,
            ) from exc
        except google.auth.exceptions.GoogleAuthError as exc:
            raise ListingError(
                f"{uri}: credentials were rejected or are missing: run "
                "`gcloud auth application-default login`",
                "credentials",
                state.objects,
                state.pages,
            ) from exc
        except gexc.NotFound as exc:
            raise ListingError(
                f"{uri}: bucket not found (check the name and the project it belongs to)",
                "not_found",
                state.objects,
                state.pages,
            ) from exc
        except (gexc.GoogleAPIError, OSError, ValueError) as exc:
            failures += 1
            state.retries += 1
            if failures > RESUME_ATTEMPTS:
                raise ListingError(
                    f"{uri}: listing incomplete after {state.objects:,} objects "
                    f"({state.pages:,} pages): {_short(exc)}",
                    "incomplete",
                    state.objects,
                    state.pages,
                ) from exc
            # Ask again for the page that failed; the pages already read are not re-read.


#: google-cloud-storage 3.x fetches each bucket's metadata in a background thread for its
#: tracing spans unless this is set: a Class B operation per bucket, and a request the
#: listing's own request count would not show.
BUCKET_METADATA_SWITCH = "DISABLE_GCS_PYTHON_CLIENT_OTEL_BUCKET_METADATA"


def make_client(project: str | None) -> Any:
    """The Cloud Storage client (honours STORAGE_EMULATOR_HOST)."""
    from costwatch.sources.gcs import _make_client

    os.environ.setdefault(BUCKET_METADATA_SWITCH, "true")
    return _make_client(project)


def list_retry(retry_seconds: float) -> Any:
    """The client's default retry (429, 5xx, timeouts), bounded by ``retry_seconds``."""
    from costwatch.sources.gcs import ApiSettings, _retry

    return _retry(ApiSettings(retry_seconds=retry_seconds))


def _short(exc: BaseException) -> str:
    cause = getattr(exc, "cause", None)
    shown = cause if isinstance(cause, BaseException) else exc
    text = " ".join(str(shown).split())[:200]
    name = type(shown).__name__
    return f"{name}: {text}" if text else name
