"""The `hubshare` command in a Python environment: runs the bundled Node CLI with `node`."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

CLI_SCRIPT = Path(__file__).parent / "node" / "hubshare.cjs"


def main() -> None:
    node = shutil.which(os.environ.get("HUBSHARE_NODE", "node"))
    if node is None:
        sys.stderr.write("hubshare: Node.js is needed but no `node` is on PATH; ask your admin for Node.js 20.\n")
        sys.exit(5)
    # Replace this process with node running the bundled CLI: arguments pass through unchanged.
    os.execv(node, [node, str(CLI_SCRIPT), *sys.argv[1:]])  # noqa: S606 (no shell involved)
