"""The demo hub of `npm run demo:hub` (scripts/demo-hub.sh): HubShare's config plus test users,
a dummy authenticator and local process spawner, one home folder per user. Not for production.
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821 (injected by JupyterHub's config loader)
load_subconfig(str(Path(__file__).with_name("jupyterhub_config.py")))  # noqa: F821

run = Path(os.environ["HUB_DEMO_DIR"])
venv = Path(os.environ["HUB_DEMO_VENV"])

c.JupyterHub.bind_url = f"http://127.0.0.1:{os.environ.get('HUB_PORT', '8000')}"
# The hub's own API and the proxy's (8081 and 8001 by default): set apart so two hubs can run here.
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{os.environ.get('HUB_API_PORT', '8081')}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('HUB_PROXY_API_PORT', '8001')}"
c.JupyterHub.db_url = f"sqlite:///{run / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(run / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(run / "jupyterhub-proxy.pid")

c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allowed_users = {"alice", "bob", "carol"}
c.Authenticator.admin_users = {"admin"}
c.JupyterHub.load_groups = {"analysts": ["alice"]}

c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(run / "homes" / "{username}")
c.Spawner.cmd = [str(venv / "bin" / "python"), "-m", "jupyterhub.singleuser"]
c.Spawner.args = ["--allow-root"]
c.Spawner.environment = {
    **c.Spawner.environment,
    # The hub's own `jupyterhub` package for the venv's Python (linked by demo-hub.sh).
    "PYTHONPATH": str(run / "pythonpath"),
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
}

# The end-to-end test (ui-tests/hub/) acts as the hub admin through a service token of its own,
# and lets agents clone from a git server on loopback (its stand-in for the internet).
if os.environ.get("HUB_E2E_ADMIN_TOKEN"):
    c.JupyterHub.services.append({"name": "e2e-admin", "api_token": os.environ["HUB_E2E_ADMIN_TOKEN"]})
    c.JupyterHub.load_roles.append(
        {"name": "e2e-admin", "scopes": ["admin:groups", "admin:users", "list:users"], "services": ["e2e-admin"]}
    )
    c.Spawner.environment["HUBSHARE_ALLOW_HTTP_LOOPBACK"] = "1"
