"""The jupyter_server extension: registers `/hubshare/…` and owns the agent process."""

from __future__ import annotations

import os

from jupyter_core.paths import jupyter_data_dir
from jupyter_server.extension.application import ExtensionApp
from jupyter_server.utils import url_path_join
from traitlets import Bool, Unicode

from .agent import AgentProcess, AgentUnavailable
from .embedded_service import EmbeddedService
from .handlers import AgentProxyHandler, PageViewHandler, agent_http_client


class HubShareExtension(ExtensionApp):
    name = "jupyterlab_hubshare"

    node_executable = Unicode(
        "node",
        config=True,
        help="The Node.js executable that runs the HubShare agent (a name looked up on PATH, or a path).",
    )

    service_url = Unicode(
        "",
        config=True,
        help="Base URL of the HubShare service; defaults to the HUBSHARE_URL environment variable.",
    )

    embedded_service = Bool(
        True,
        config=True,
        help=(
            "Run a HubShare service for this user alone when none is configured (no HUBSHARE_URL, "
            "no service_url, not under JupyterHub); its data lives in the Jupyter data directory."
        ),
    )

    def initialize_settings(self) -> None:
        extra_env = {"HUBSHARE_URL": self.service_url} if self.service_url else {}
        configured = self.service_url or os.environ.get("HUBSHARE_URL") or os.environ.get("JUPYTERHUB_API_URL")
        self.embedded: EmbeddedService | None = None
        self.agent = AgentProcess(
            node_executable=self.node_executable,
            root_dir=self.serverapp.root_dir,
            extra_env=extra_env,
            before_start=None if configured or not self.embedded_service else self._start_embedded_service,
            log=self.log,
        )
        self.agent_client = agent_http_client(self.agent)

    def initialize_handlers(self) -> None:
        options = {"agent": self.agent, "client": self.agent_client}
        # Page views first: they are the one part reachable without a Jupyter login (signed links).
        self.handlers.append((url_path_join("hubshare", "(view/.*)"), PageViewHandler, options))
        self.handlers.append((url_path_join("hubshare", "(.*)"), AgentProxyHandler, options))

    async def _start_embedded_service(self, node: str) -> dict[str, str]:
        if self.embedded is None:
            self.embedded = EmbeddedService(
                node=node, data_dir=os.path.join(jupyter_data_dir(), "hubshare"), log=self.log
            )
        try:
            await self.embedded.start()
        except (RuntimeError, OSError, TimeoutError) as error:
            self.log.error("The embedded HubShare service did not start: %s", error)
            raise AgentUnavailable(
                "embedded_service_failed", "HubShare could not start its service for you; see the server log."
            ) from error
        assert self.embedded.url is not None and self.embedded.token is not None
        return {"HUBSHARE_URL": self.embedded.url, "HUBSHARE_TOKEN": self.embedded.token}

    async def stop_extension(self) -> None:
        self.agent_client.close()
        self.agent.stop()
        if self.embedded is not None:
            self.embedded.stop()
