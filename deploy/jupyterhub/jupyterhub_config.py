"""HubShare on a JupyterHub: the service managed by the hub, the roles it and the users need, and
single-user servers whose HubShare agent talks to it.

Use it as it is (`jupyterhub -f deploy/jupyterhub/jupyterhub_config.py`) or copy the marked part
into your own config. Settings come from the environment so the same file serves a demo and a
real hub:

- HUBSHARE_SERVICE_PORT   where the service listens on loopback (default 8765)
- HUBSHARE_DATA_DIR       the service's database and repositories (default /srv/hubshare)
- HUBSHARE_DATABASE_URL   postgres://… to keep users, teams and grants in PostgreSQL instead
- HUBSHARE_SERVICE_COMMAND  how to start the service (default: `hubshare-service serve`, the
                          console script `pip install jupyterlab-hubshare` puts on PATH)
"""

import os
import shlex

c = get_config()  # noqa: F821 (injected by JupyterHub's config loader)

# ---- HubShare: copy from here into an existing jupyterhub_config.py -------------------------
service_port = int(os.environ.get("HUBSHARE_SERVICE_PORT", "8765"))
service_env = {"HUBSHARE_DATA_DIR": os.environ.get("HUBSHARE_DATA_DIR", "/srv/hubshare")}
if os.environ.get("HUBSHARE_DATABASE_URL"):
    service_env["HUBSHARE_DATABASE_URL"] = os.environ["HUBSHARE_DATABASE_URL"]
for name in ("PATH", "NODE_PATH"):
    if os.environ.get(name):
        service_env[name] = os.environ[name]

c.JupyterHub.services = [
    *c.JupyterHub.get("services", []),
    {
        # A managed service: the hub starts it, restarts it, stops it, and routes
        # /services/hubshare/ to it (the prefix is not stripped; the service serves under it).
        "name": "hubshare",
        "url": f"http://127.0.0.1:{service_port}",
        "command": shlex.split(os.environ.get("HUBSHARE_SERVICE_COMMAND", "hubshare-service serve")),
        "environment": service_env,
        "display": False,
    },
]

c.JupyterHub.load_roles = [
    *c.JupyterHub.get("load_roles", []),
    # The service resolves every caller's token with the hub and mirrors hub groups as teams.
    {
        "name": "hubshare-service",
        "scopes": ["list:users", "read:users", "list:groups", "read:groups"],
        "services": ["hubshare"],
    },
    # Every user may use HubShare (the service checks this scope on each request).
    {"name": "user", "scopes": ["self", "access:services!service=hubshare"]},
    # A user's server's token (which the agent presents) may use HubShare too, and nothing more than
    # JupyterHub's default for a server: not `inherit`, which would hand all its user's rights (a hub
    # admin's among them) to any code running in the server, a notebook pulled from someone else too.
    {"name": "server", "scopes": ["users:activity!user", "access:servers!user", "access:services!service=hubshare"]},
]

# Each user's server runs the extension's agent, which needs to know where the service is. The
# agent's token is the server's own JUPYTERHUB_API_TOKEN: nothing else to hand out.
c.Spawner.environment = {
    **c.Spawner.get("environment", {}),
    "HUBSHARE_URL": f"http://127.0.0.1:{service_port}/services/hubshare",
}
c.Spawner.default_url = "/lab"
# ---- end of the HubShare part ----------------------------------------------------------------
