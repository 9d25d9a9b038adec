"""JupyterLab for the UI tests: loopback, a known token, a fresh workspace, no network calls."""

import os
from pathlib import Path

c = get_config()  # noqa: F821 (injected by Jupyter's config loader)
# The stack's folder, from start-stack.sh (ui-tests/.run, or another stack's).
run = Path(os.environ.get("HUBSHARE_UI_RUN_DIR", Path(__file__).parent / ".run"))

c.ServerApp.ip = "127.0.0.1"
c.ServerApp.port = int(os.environ["HUBSHARE_UI_JUPYTER_PORT"])
c.ServerApp.port_retries = 0
c.ServerApp.open_browser = False
c.ServerApp.allow_root = True
c.ServerApp.root_dir = str(run / "workspace")
c.IdentityProvider.token = os.environ["HUBSHARE_UI_JUPYTER_TOKEN"]
c.LabApp.workspaces_dir = str(run / "lab-workspaces")
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
c.LabApp.user_settings_dir = str(run / "user-settings")  # a copy of ui-tests/user-settings, see start-stack.sh
