"""The spool: a local JSONL file of push bodies, written before each body is sent.

Each line is one complete ``POST /api/v1/push`` body, so a spool left behind (server unreachable,
process killed) is re-sent by the next ``runcast.init`` of the same run, or stored with
``runcast ingest <file>`` (locally or ``--server URL --token T``). Pushes replace points by
(run, metric, step), so sending a line twice doubles nothing.
"""

from __future__ import annotations

import os
import re
import time
from typing import List, Optional

try:  # POSIX: a live writer holds an exclusive lock, so another process never steals its file.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

SUFFIX = ".runcast-spool.jsonl"


def default_spool_dir() -> str:
    """``$RUNCAST_SPOOL_DIR``, else ``$XDG_CACHE_HOME/runcast/spool`` (``~/.cache/runcast/spool``)."""
    explicit = os.environ.get("RUNCAST_SPOOL_DIR")
    if explicit:
        return explicit
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(cache, "runcast", "spool")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)[:80] or "_"


def run_prefix(project: str, run: str) -> str:
    """File-name prefix shared by every spool of one run."""
    return f"{_slug(project)}__{_slug(run)}__"


def _try_lock(handle) -> bool:
    if fcntl is None:
        return True
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


class Spool:
    """One process's spool for one run: ``append`` before sending, ``clear`` once all is stored."""

    def __init__(self, directory: str, project: str, run: str):
        self.directory = directory
        self.path = os.path.join(
            directory, f"{run_prefix(project, run)}{os.getpid()}-{int(time.time() * 1000)}{SUFFIX}"
        )
        self._file = None
        self.lines = 0

    def _open(self):
        if self._file is None:
            os.makedirs(self.directory, exist_ok=True)
            self._file = open(self.path, "ab")
            _try_lock(self._file)
        return self._file

    def append(self, body: bytes) -> None:
        """Writes one body as a line and hands it to the OS (survives kill -9 of this process)."""
        f = self._open()
        f.write(body + b"\n")
        f.flush()
        self.lines += 1

    def clear(self) -> None:
        """Everything spooled so far is stored on the server: empty the file."""
        if self._file is not None and self.lines:
            self._file.seek(0)
            self._file.truncate(0)
            self.lines = 0

    def close(self) -> Optional[str]:
        """Closes the file; removes it when empty. Returns the path when lines remain in it."""
        if self._file is None:
            return None
        self._file.close()
        self._file = None
        if self.lines == 0:
            try:
                os.remove(self.path)
            except OSError:
                pass
            return None
        return self.path


def take_leftovers(directory: str, project: str, run: str) -> List[bytes]:
    """
    Reads and removes the spools an earlier process of this run left behind (files whose writer
    is gone: their lock is free), oldest first. Lines that are not whole (a write cut by a kill)
    are skipped.
    """
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    prefix = run_prefix(project, run)
    bodies: List[bytes] = []
    for name in names:
        if not (name.startswith(prefix) and name.endswith(SUFFIX)):
            continue
        path = os.path.join(directory, name)
        try:
            with open(path, "rb+") as f:
                if not _try_lock(f):
                    continue  # a live process still writes it
                for line in f.read().split(b"\n"):
                    line = line.strip()
                    if line.startswith(b"{") and line.endswith(b"}"):
                        bodies.append(line)
            os.remove(path)
        except OSError:
            continue
    return bodies
