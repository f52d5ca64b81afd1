"""HTTP transport: push batches to ``POST /api/v1/push`` and read through tRPC queries.

Standard library only (urllib). A transport is injectable (``runcast.init(transport=...)``): any
object with ``push(body: bytes) -> dict`` and ``query(path: str, input: dict) -> object`` works.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Optional


class TransportError(Exception):
    """A request failed. ``retryable``: a network error, a 5xx or a 429 (try again later)."""

    def __init__(self, message: str, status: Optional[int] = None, retryable: bool = True):
        super().__init__(message)
        self.status = status
        self.retryable = retryable


def _error_message(raw: bytes) -> str:
    try:
        doc = json.loads(raw.decode("utf-8", "replace"))
    except ValueError:
        return raw[:200].decode("utf-8", "replace")
    if isinstance(doc, dict):
        err = doc.get("error", doc)
        if isinstance(err, dict):
            return str(err.get("message") or err.get("json", {}).get("message") or err)
    return str(doc)


class HttpTransport:
    """Talks to a running ``runcast serve`` at ``server`` with an optional bearer ``token``."""

    def __init__(self, server: str, token: Optional[str] = None, timeout: float = 10.0):
        self.server = server.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _headers(self) -> dict:
        headers = {"content-type": "application/json", "user-agent": "runcast-python"}
        if self.token:
            headers["authorization"] = "Bearer " + self.token
        return headers

    def _send(self, request: urllib.request.Request) -> Any:
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as res:
                return json.loads(res.read())
        except urllib.error.HTTPError as e:
            status = e.code
            message = _error_message(e.read())
            retryable = status >= 500 or status == 429
            raise TransportError(f"HTTP {status}: {message}", status, retryable) from None
        except (urllib.error.URLError, OSError, ValueError) as e:
            reason = getattr(e, "reason", e)
            raise TransportError(f"{self.server} unreachable: {reason}") from None

    def push(self, body: bytes) -> dict:
        """POST one push body (JSON bytes); returns ``{"accepted": n, "runId": id}``."""
        request = urllib.request.Request(
            self.server + "/api/v1/push", data=body, headers=self._headers(), method="POST"
        )
        return self._send(request)

    def query(self, path: str, input: Any) -> Any:
        """A tRPC query (``GET /trpc/<path>?input=<json>``); returns its data."""
        qs = urllib.parse.urlencode({"input": json.dumps(input)})
        request = urllib.request.Request(
            f"{self.server}/trpc/{path}?{qs}", headers=self._headers(), method="GET"
        )
        doc = self._send(request)
        return doc["result"]["data"]
