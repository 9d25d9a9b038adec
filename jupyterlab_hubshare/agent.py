"""The per-user Node agent as a child process: started on demand, restarted if it died, stopped
with the server.

The agent listens on a unix socket inside a directory that only this user can open (mode 0700),
and additionally requires a per-process random secret on every request; the secret travels in
the child's environment, never on its command line or on disk.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

AGENT_SCRIPT = Path(__file__).parent / "node" / "agent.cjs"
START_TIMEOUT_SECONDS = 20.0
RECOVERY_WAIT_SECONDS = 3.0


class AgentUnavailable(Exception):
    """The agent cannot run here; the message says why, in words for the user."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class AgentProcess:
    """Owns one agent child process and the private directory holding its socket."""

    def __init__(
        self,
        *,
        node_executable: str,
        root_dir: str,
        extra_env: dict[str, str] | None = None,
        before_start: Callable[[str], Awaitable[dict[str, str]]] | None = None,
        log: logging.Logger | None = None,
    ):
        self._node_executable = node_executable
        self._root_dir = os.path.abspath(root_dir)
        self._extra_env = dict(extra_env or {})
        # Runs before each start with the node executable; returns more environment (the
        # embedded service's URL and token).
        self._before_start = before_start
        self._log = log or logging.getLogger(__name__)
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = asyncio.Lock()
        self._runtime_dir: str | None = None
        self._listening = False
        self.secret = secrets.token_urlsafe(32)

    @property
    def socket_path(self) -> str:
        if self._runtime_dir is None:
            # mkdtemp creates the directory with mode 0700: only this user can reach the socket.
            self._runtime_dir = tempfile.mkdtemp(prefix="hubshare-")
        return os.path.join(self._runtime_dir, "agent.sock")

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def is_running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def is_ready(self) -> bool:
        """Running and listening: a process that is still starting is not ready for requests."""
        return self._listening and self.is_running()

    def _node(self) -> str:
        node = shutil.which(self._node_executable) if self._node_executable else None
        if node is None:
            raise AgentUnavailable(
                "node_missing",
                "HubShare needs Node.js, but no `node` executable was found on this server's PATH "
                f"(looked for {self._node_executable or 'node'!r}). Ask your admin to install Node.js 20 "
                "or set HubShareExtension.node_executable.",
            )
        if not AGENT_SCRIPT.exists():
            raise AgentUnavailable(
                "agent_missing",
                f"The HubShare agent is missing ({AGENT_SCRIPT}); reinstall jupyterlab_hubshare.",
            )
        return node

    async def ensure_running(self) -> None:
        """Starts the agent if it is not running (first request, or it died) and waits until it listens."""
        # Not merely running: between its start and its first listen, a request would find no
        # socket (and one with a body cannot be sent again). Those wait on the lock, which the
        # start holds until the agent listens.
        if self.is_ready():
            return
        async with self._lock:
            if self.is_ready():
                return
            if self._process is not None:
                self._log.warning(
                    "HubShare agent (pid %s) exited with %s; restarting it", self._process.pid, self._process.returncode
                )
            await self._start()

    async def recover(self) -> None:
        """After a failed connection: waits briefly for a dying agent to be gone, then restarts it.

        A killed Node process shows as exited only once all its threads are torn down, so the
        first request after a crash can fail while the process still looks alive.
        """
        process = self._process
        if process is not None and not _accepts_connections(self.socket_path):
            loop = asyncio.get_running_loop()
            deadline = loop.time() + RECOVERY_WAIT_SECONDS
            while process.poll() is None and loop.time() < deadline:
                await asyncio.sleep(0.05)
        await self.ensure_running()

    async def _start(self) -> None:
        self._listening = False
        node = self._node()
        socket_path = self.socket_path
        prepared = await self._before_start(node) if self._before_start is not None else {}
        env = {
            **os.environ,
            **self._extra_env,
            **prepared,
            "HUBSHARE_AGENT_SOCKET": socket_path,
            "HUBSHARE_AGENT_SECRET": self.secret,
            "HUBSHARE_ROOT_DIR": self._root_dir,
        }
        # stdin stays a pipe that only we hold: when this server process goes away, however it
        # ends, the pipe closes and the agent exits.
        self._process = subprocess.Popen(
            [node, str(AGENT_SCRIPT)],
            stdin=subprocess.PIPE,
            env=env,
            cwd=self._root_dir,
            start_new_session=True,
        )
        self._log.info("Started the HubShare agent (pid %s) on %s", self._process.pid, socket_path)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + START_TIMEOUT_SECONDS
        while loop.time() < deadline:
            if self._process.poll() is not None:
                raise AgentUnavailable(
                    "agent_failed",
                    f"The HubShare agent exited at start (code {self._process.returncode}); see the server log.",
                )
            if _accepts_connections(socket_path):
                self._listening = True
                return
            await asyncio.sleep(0.05)
        self.stop()
        raise AgentUnavailable(
            "agent_failed", "The HubShare agent did not start listening in time; see the server log."
        )

    def stop(self) -> None:
        """Stops the agent (if running) and removes its private directory."""
        process, self._process = self._process, None
        self._listening = False
        if process is not None:
            stop_child(process, grace_seconds=5)
        if self._runtime_dir is not None:
            shutil.rmtree(self._runtime_dir, ignore_errors=True)
            self._runtime_dir = None


def stop_child(process: subprocess.Popen[bytes], *, grace_seconds: float) -> None:
    """Asks a child process to stop, kills it if it has not after `grace_seconds`, and closes
    its stdin pipe (children that watch stdin take that as the signal to go, too)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace_seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=grace_seconds)
    if process.stdin is not None:
        process.stdin.close()


def _accepts_connections(socket_path: str) -> bool:
    if not os.path.exists(socket_path):
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(socket_path)
        except OSError:
            return False
    return True
