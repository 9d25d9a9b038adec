"""Real processes for the server-extension tests: a Jupyter server with the installed extension,
and the HubShare service (the built `hubshare-service`), each on a free loopback port."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    # Every header line, repeated names included.
    header_lines: list[tuple[str, str]]

    def json(self):
        return json.loads(self.body)


def request(
    url: str,
    *,
    method: str = "GET",
    token: str | None = None,
    data: bytes | None = None,
    content_type: str = "application/octet-stream",
) -> Response:
    headers = {"Authorization": f"token {token}"} if token else {}
    if data is not None:
        headers["Content-Type"] = content_type
    req = urllib.request.Request(url, method=method, data=data, headers=headers)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(req, timeout=30) as answer:
            return Response(answer.status, dict(answer.headers), answer.read(), list(answer.headers.items()))
    except urllib.error.HTTPError as error:
        return Response(error.code, dict(error.headers), error.read(), list(error.headers.items()))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def wait_until(check, timeout: float = 30.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.1)
    raise TimeoutError(f"timed out waiting for {what}")


@dataclass
class RunningService:
    url: str
    data_dir: Path

    def token_for(self, user: str) -> str:
        cli = [os.environ.get("HUBSHARE_NODE", "node"), str(REPO / "bin" / "hubshare-service.cjs")]
        subprocess.run([*cli, "user", "add", user, "--exist-ok", "--data-dir", str(self.data_dir)], check=True)
        created = subprocess.run(
            [*cli, "token", "create", user, "--data-dir", str(self.data_dir)],
            check=True,
            capture_output=True,
            text=True,
        )
        return created.stdout.strip()


@pytest.fixture
def hubshare_service(tmp_path):
    port = free_port()
    data_dir = tmp_path / "service-data"
    process = subprocess.Popen(
        ["node", str(REPO / "bin" / "hubshare-service.cjs"), "serve", "--data-dir", str(data_dir), "--port", str(port)]
    )
    url = f"http://127.0.0.1:{port}"

    def healthy():
        try:
            return request(f"{url}/health").status == 200
        except OSError:
            return False

    try:
        wait_until(healthy, what="the HubShare service")
        yield RunningService(url, data_dir)
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass
class RunningJupyter:
    url: str
    token: str
    root_dir: Path
    process: subprocess.Popen

    def api(self, path: str, **kwargs) -> Response:
        return request(f"{self.url}/{path}", **kwargs)


@pytest.fixture
def start_jupyter(tmp_path):
    """Starts a Jupyter server with the installed extension; stops every one started."""
    started: list[subprocess.Popen] = []

    def start(*extra_args: str, env: dict[str, str] | None = None) -> RunningJupyter:
        port = free_port()
        token = secrets.token_hex(16)
        root_dir = tmp_path / f"root-{len(started)}"
        root_dir.mkdir()
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyter_server",
                f"--port={port}",
                "--ip=127.0.0.1",
                "--no-browser",
                "--allow-root",
                f"--ServerApp.token={token}",
                f"--ServerApp.root_dir={root_dir}",
                *extra_args,
            ],
            cwd=root_dir,
            # A data directory of its own: the embedded service keeps its data there.
            env={**os.environ, "JUPYTER_DATA_DIR": str(tmp_path / f"data-{len(started)}"), **(env or {})},
        )
        started.append(process)
        jupyter = RunningJupyter(f"http://127.0.0.1:{port}", token, root_dir, process)

        def up():
            try:
                return jupyter.api("api/status", token=token).status == 200
            except OSError:
                return False

        wait_until(up, what="the Jupyter server")
        return jupyter

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=15)
