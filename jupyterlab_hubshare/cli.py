"""The `hubshare` and `hubshare-service` commands in a Python environment: each runs its bundled
Node program with `node`."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

NODE_DIR = Path(__file__).parent / "node"
CLI_SCRIPT = NODE_DIR / "hubshare.cjs"
SERVICE_SCRIPT = NODE_DIR / "service.cjs"


def _run_with_node(command: str, script: Path) -> None:
    node = shutil.which(os.environ.get("HUBSHARE_NODE", "node"))
    if node is None:
        sys.stderr.write(f"{command}: Node.js is needed but no `node` is on PATH; ask your admin for Node.js 20.\n")
        sys.exit(5)
    # Replace this process with node running the bundled program: arguments pass through unchanged.
    os.execv(node, [node, str(script), *sys.argv[1:]])  # noqa: S606 (no shell involved)


def main() -> None:
    """`hubshare`: publish, check out, push and pull from a terminal."""
    _run_with_node("hubshare", CLI_SCRIPT)


def service_main() -> None:
    """`hubshare-service`: the hub-wide service (under JupyterHub, as a managed service)."""
    _run_with_node("hubshare-service", SERVICE_SCRIPT)
