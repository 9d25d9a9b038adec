"""Checks, before a wheel is built, that the built JavaScript it must carry is there.

The labextension and the agent bundle come from `npm run build`; a wheel without them would
install an extension that cannot start, so the build stops with a sentence that says what to run.
"""

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

REQUIRED = [
    Path("jupyterlab_hubshare/labextension/package.json"),
    Path("jupyterlab_hubshare/node/agent.cjs"),
    Path("jupyterlab_hubshare/node/service.cjs"),
    Path("jupyterlab_hubshare/node/better_sqlite3.node"),
]


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version, build_data):
        root = Path(self.root)
        missing = [str(path) for path in REQUIRED if not (root / path).exists()]
        if self.target_name == "wheel":
            # The wheel carries SQLite's native addon, built for this platform and Node ABI.
            build_data["pure_python"] = False
            build_data["infer_tag"] = True
        if missing and self.target_name == "wheel":
            raise RuntimeError(
                "jupyterlab_hubshare: the built JavaScript is missing ("
                + ", ".join(missing)
                + "); run `npm ci && npm run build` first."
            )
