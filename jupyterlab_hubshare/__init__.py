"""HubShare: share projects between the users of a JupyterHub.

This package is the jupyter_server extension (an authenticated proxy to the per-user Node agent)
and carries the prebuilt JupyterLab extension and the bundled agent.
"""

from ._version import __version__
from .app import HubShareExtension

__all__ = ["HubShareExtension", "__version__"]


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "jupyterlab-hubshare"}]


def _jupyter_server_extension_points():
    return [{"module": "jupyterlab_hubshare", "app": HubShareExtension}]
