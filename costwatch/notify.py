"""``--notify URL``: POST a short ``{"text": ...}`` message to a chat webhook.

Slack incoming webhooks, Google Chat webhooks and Discord's Slack-compatible endpoint
(``.../slack``) all accept that shape. A webhook URL is itself a secret (its path or query
carries the key), so it is never printed: messages name only its scheme and host. Delivery
is bounded (a timeout per attempt, a few attempts) and a failure never loses the report.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from costwatch.errors import CostwatchError
from costwatch.urls import redact

TIMEOUT_SECONDS = 10.0
ATTEMPTS = 3
BACKOFF_SECONDS = 1.0
_URL = re.compile(r"https?://[^\s)>\]\"']+")


class NotifyError(CostwatchError):
    """The webhook URL is unusable, or the message could not be delivered."""


def where(url: str) -> str:
    """The webhook as it may be shown: scheme and host only."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or '?'}"


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise NotifyError("--notify needs an http:// or https:// webhook URL")


def post_text(
    url: str,
    text: str,
    *,
    timeout: float = TIMEOUT_SECONDS,
    attempts: int = ATTEMPTS,
    backoff: float = BACKOFF_SECONDS,
) -> None:
    """POST ``{"text": text}``; retry 429, 5xx and connection errors, then give up."""
    check_url(url)
    body = json.dumps({"text": _URL.sub(lambda m: redact(m.group(0)), text)}).encode()
    problem = ""
    for attempt in range(attempts):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "User-Agent": "costwatch"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read(65536)
            return
        except urllib.error.HTTPError as exc:
            problem = f"HTTP {exc.code}"
            if exc.code != 429 and exc.code < 500:
                break
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            problem = type(reason).__name__ if not str(reason) else str(reason)
    raise NotifyError(
        f"notification to {where(url)} failed after {attempt + 1} attempt(s): {problem}; "
        "the report was written"
    )
