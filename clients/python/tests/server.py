"""A real ``runcast serve`` on 127.0.0.1 for the tests (the built CLI, apps/cli/dist/runcast.js)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from typing import Any, Dict, List, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
CLI = os.environ.get("RUNCAST_CLI") or os.path.join(ROOT, "apps", "cli", "dist", "runcast.js")
NODE = os.environ.get("RUNCAST_NODE") or shutil.which("node") or "node"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalServer:
    """A store in a temp dir, a write token, and ``runcast serve`` that can be stopped and restarted."""

    def __init__(self) -> None:
        if not os.path.exists(CLI):
            raise RuntimeError(f"{CLI} is missing: run `pnpm install` (it builds the CLI) first")
        self.dir = tempfile.mkdtemp(prefix="runcast-py-")
        self.db = os.path.join(self.dir, "runcast.db")
        self.spool_dir = os.path.join(self.dir, "spool")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: Optional[subprocess.Popen] = None
        self.token = json.loads(self.cli("token", "create", "--name", "py-tests", "--scope", "write", "--json"))["secret"]

    def cli(self, *args: str, check: bool = True) -> str:
        """Runs the CLI on this store; returns stdout."""
        res = subprocess.run(
            [NODE, CLI, "--db", self.db, *args],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "NO_COLOR": "1", "RUNCAST_DB": ""},
        )
        if check and res.returncode != 0:
            raise RuntimeError(f"runcast {' '.join(args)} exited {res.returncode}: {res.stderr}")
        return res.stdout

    def start(self) -> "LocalServer":
        with open(os.path.join(self.dir, "serve.log"), "ab") as log:
            self.proc = subprocess.Popen(
                [NODE, CLI, "--db", self.db, "serve", "--port", str(self.port), "--no-demo"],
                stdout=log,
                stderr=log,
                env={**os.environ, "NO_COLOR": "1", "RUNCAST_DB": ""},
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"runcast serve exited {self.proc.returncode}: see {self.dir}/serve.log")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as res:
                    if res.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("runcast serve did not answer /healthz within 60 s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    # ----- reads ---------------------------------------------------------------------------------

    def query(self, path: str, input: Any) -> Any:
        qs = urllib.parse.urlencode({"input": json.dumps(input)})
        with urllib.request.urlopen(f"{self.url}/trpc/{path}?{qs}", timeout=60) as res:
            return json.loads(res.read())["result"]["data"]

    def run(self, name: str, project: str = "default") -> Dict[str, Any]:
        return self.query("runs.resolve", {"ref": f"push:{project}/{name}"})

    def runs(self) -> List[Dict[str, Any]]:
        return self.query("runs.list", {})

    def points(self, run_id: int, key: str) -> List[tuple]:
        """Every stored (step, value) of a series, from the CSV export (NaN as nan)."""
        with urllib.request.urlopen(f"{self.url}/api/v1/runs/{run_id}/series/{key}.csv", timeout=60) as res:
            lines = res.read().decode().strip().split("\n")[1:]
        out = []
        for line in lines:
            step, value = line.split(",")[:2]
            out.append((int(step), float(value) if value not in ("", "NaN", "nan") else float("nan")))
        return out

