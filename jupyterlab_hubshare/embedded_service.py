"""The embedded single-user default: when no HubShare service is configured (and this is not a
JupyterHub server), the extension runs one for this user, so one person alone can publish, check
out into a second folder and try everything. Its data lives in the user's Jupyter data directory.
"""

from __future__ import annotations

import asyncio
import getpass
import json
import logging
import os
import re
import subprocess
import threading
from pathlib import Path

from .agent import stop_child

SERVICE_SCRIPT = Path(__file__).parent / "node" / "service.cjs"
START_TIMEOUT_SECONDS = 30.0


def local_user_name() -> str:
    """This account's name in the HubShare user-name grammar (lower case, safe characters)."""
    try:
        raw = getpass.getuser()
    except (KeyError, OSError):
        raw = "me"
    name = re.sub(r"[^a-z0-9._@+-]+", "-", raw.lower()).lstrip("._@+-")[:63]
    return name or "me"


class EmbeddedService:
    """One `hubshare-service serve` child process for this Jupyter server, with a session token."""

    def __init__(self, *, node: str, data_dir: str, log: logging.Logger):
        self._node = node
        self._data_dir = data_dir
        self._log = log
        self._process: subprocess.Popen[bytes] | None = None
        self._token_id: str | None = None
        self.user = local_user_name()
        self.url: str | None = None
        self.token: str | None = None

    def _cli(self, *args: str) -> str:
        completed = subprocess.run(
            [self._node, str(SERVICE_SCRIPT), *args, "--data-dir", self._data_dir],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"hubshare-service {args[0]} {args[1]} failed: {completed.stderr.strip()}")
        return completed.stdout

    async def start(self) -> None:
        """Starts the service (if not running) and creates this session's token."""
        if self._process is not None and self._process.poll() is None:
            return
        os.makedirs(self._data_dir, mode=0o700, exist_ok=True)
        await asyncio.to_thread(self._cli, "user", "add", self.user, "--admin", "--exist-ok")
        created = json.loads(
            await asyncio.to_thread(self._cli, "token", "create", self.user, "--json", "--note", "embedded")
        )
        self._token_id, self.token = created["id"], created["token"]
        self._process = subprocess.Popen(
            [
                self._node,
                str(SERVICE_SCRIPT),
                "serve",
                "--data-dir",
                self._data_dir,
                "--host",
                "127.0.0.1",
                "--port",
                "0",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, "HUBSHARE_EXIT_WITH_STDIN": "1"},
            start_new_session=True,
        )
        listening: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        loop = asyncio.get_running_loop()
        threading.Thread(target=self._read_log, args=(self._process, loop, listening), daemon=True).start()
        self.url = await asyncio.wait_for(listening, START_TIMEOUT_SECONDS)
        self._log.info("Started the embedded HubShare service for %s at %s", self.user, self.url)

    def _read_log(self, process: subprocess.Popen[bytes], loop: asyncio.AbstractEventLoop, listening) -> None:
        assert process.stderr is not None
        for raw in process.stderr:
            line = raw.decode("utf-8", "replace").rstrip()
            match = re.search(r"listening on (http://\S+)", line)
            if match and not listening.done():
                loop.call_soon_threadsafe(listening.set_result, match.group(1))
            self._log.debug("hubshare-service: %s", line)
        if not listening.done():
            loop.call_soon_threadsafe(
                listening.set_exception, RuntimeError("the embedded HubShare service exited at start")
            )

    def stop(self) -> None:
        """Revokes the session token and stops the service."""
        process, self._process = self._process, None
        if self._token_id is not None:
            try:
                self._cli("token", "revoke", self.user, self._token_id)
            except (RuntimeError, OSError, subprocess.TimeoutExpired) as error:
                self._log.warning("Could not revoke the embedded HubShare token: %s", error)
            self._token_id = None
        if process is not None:
            # The service finishes in-flight requests (pushes) on SIGTERM: give it time.
            stop_child(process, grace_seconds=10)
