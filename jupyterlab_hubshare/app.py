"""The jupyter_server extension: registers `/hubshare/…` and owns the agent process."""

from __future__ import annotations

from jupyter_server.extension.application import ExtensionApp
from jupyter_server.utils import url_path_join
from traitlets import Unicode

from .agent import AgentProcess
from .handlers import AgentProxyHandler, agent_http_client


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

    def initialize_settings(self) -> None:
        extra_env = {"HUBSHARE_URL": self.service_url} if self.service_url else {}
        self.agent = AgentProcess(
            node_executable=self.node_executable,
            root_dir=self.serverapp.root_dir,
            extra_env=extra_env,
            log=self.log,
        )
        self.agent_client = agent_http_client(self.agent)

    def initialize_handlers(self) -> None:
        self.handlers.append(
            (url_path_join("hubshare", "(.*)"), AgentProxyHandler, {"agent": self.agent, "client": self.agent_client})
        )

    async def stop_extension(self) -> None:
        self.agent_client.close()
        self.agent.stop()
