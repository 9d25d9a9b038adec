"""The server extension: Jupyter's authentication in front of the agent, and the agent's lifecycle."""

from __future__ import annotations

import json
import os
import signal
import stat
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urljoin

from .conftest import REPO, request, wait_until


def agent_environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


def is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has exited; it only waits for its parent to collect it.
    return "State:\tZ" not in Path(f"/proc/{pid}/status").read_text()


def test_refuses_requests_without_jupyter_authentication(start_jupyter):
    jupyter = start_jupyter()
    for method, data in (("GET", None), ("POST", b"{}"), ("DELETE", None)):
        anonymous = jupyter.api("hubshare/api/status", method=method, data=data)
        assert anonymous.status == 403, method
        forged = jupyter.api("hubshare/api/status", method=method, data=data, token="not-the-token")
        assert forged.status == 403, method
        assert anonymous.json()["error"]["code"] == "forbidden"


def test_proxies_an_authenticated_request_to_a_real_agent(start_jupyter, hubshare_service):
    token = hubshare_service.token_for("alice")
    jupyter = start_jupyter(env={"HUBSHARE_URL": hubshare_service.url, "HUBSHARE_TOKEN": token})
    response = jupyter.api("hubshare/api/status", token=jupyter.token)
    assert response.status == 200
    status = response.json()
    assert status["version"] == json.loads((REPO / "package.json").read_text())["version"]
    assert status["rootDir"] == str(jupyter.root_dir)
    assert status["service"] == {
        "url": hubshare_service.url,
        "reachable": True,
        "user": {"name": "alice", "admin": False, "teams": []},
        "problem": None,
    }
    assert token not in response.body.decode()


def test_streams_a_large_request_body_through_and_relays_agent_errors(start_jupyter):
    jupyter = start_jupyter()
    body = os.urandom(5 * 1024 * 1024)
    response = jupyter.api("hubshare/api/no-such-operation", method="POST", token=jupyter.token, data=body)
    assert response.status == 404
    assert response.json() == {
        "error": {"code": "no_such_route", "message": "There is no POST /api/no-such-operation here."}
    }


def test_agent_listens_privately_and_keeps_its_secret_off_the_command_line(start_jupyter):
    jupyter = start_jupyter()
    pid = jupyter.api("hubshare/api/status", token=jupyter.token).json()["pid"]
    env = agent_environ(pid)
    socket_path = Path(env["HUBSHARE_AGENT_SOCKET"])
    assert stat.S_IMODE(socket_path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(socket_path.stat().st_mode) == 0o600
    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode()
    assert env["HUBSHARE_AGENT_SECRET"] not in cmdline


def test_restarts_a_dead_agent_on_the_next_request(start_jupyter):
    jupyter = start_jupyter()
    first = jupyter.api("hubshare/api/status", token=jupyter.token).json()["pid"]
    os.kill(first, signal.SIGKILL)
    wait_until(lambda: not is_alive(first), what="the agent to die")
    response = jupyter.api("hubshare/api/status", token=jupyter.token)
    assert response.status == 200
    second = response.json()["pid"]
    assert second != first
    assert is_alive(second)


def test_requests_that_arrive_while_the_agent_starts_wait_for_it_instead_of_failing(start_jupyter):
    # The first page load sends several requests at once, the agent not yet started: the ones
    # after the first found the process started but not yet listening, and were sent to a socket
    # that did not exist yet (a request with a body is not retried: 502 for the user).
    jupyter = start_jupyter()

    def send(index: int):
        # One every 25 ms over a second and a half: some arrive before the agent is started,
        # some while it starts, some after.
        time.sleep(index * 0.025)
        if index % 2:
            return jupyter.api("hubshare/api/no-such-operation", method="POST", token=jupyter.token, data=b"{}").status
        return jupyter.api("hubshare/api/status", token=jupyter.token).status

    with ThreadPoolExecutor(max_workers=60) as pool:
        statuses = list(pool.map(send, range(60)))
    assert statuses == [200, 404] * 30


def test_stops_the_agent_with_the_server(start_jupyter):
    jupyter = start_jupyter()
    pid = jupyter.api("hubshare/api/status", token=jupyter.token).json()["pid"]
    socket_dir = Path(agent_environ(pid)["HUBSHARE_AGENT_SOCKET"]).parent
    jupyter.process.terminate()  # what JupyterHub's spawners and process managers send
    jupyter.process.wait(timeout=20)
    wait_until(lambda: not os.path.exists(f"/proc/{pid}") or not is_alive(pid), what="the agent to stop")
    assert not socket_dir.exists()


def test_answers_a_json_503_when_node_is_missing(start_jupyter):
    jupyter = start_jupyter("--HubShareExtension.node_executable=/nonexistent/node")
    response = jupyter.api("hubshare/api/status", token=jupyter.token)
    assert response.status == 503
    error = response.json()["error"]
    assert error["code"] == "node_missing"
    assert "Node.js" in error["message"]


def test_python_and_npm_versions_agree():
    from jupyterlab_hubshare import __version__

    assert __version__ == json.loads((REPO / "package.json").read_text())["version"]


def embedded_service_pids(data_dir: Path) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"serve" in cmdline and str(data_dir).encode() in cmdline:
                pids.append(int(entry.name))
    return pids


def test_runs_an_embedded_service_for_one_user_when_none_is_configured(start_jupyter, tmp_path):
    from jupyterlab_hubshare.embedded_service import local_user_name

    jupyter = start_jupyter(env={"HUBSHARE_URL": ""})
    status = jupyter.api("hubshare/api/status", token=jupyter.token).json()
    assert status["service"]["reachable"] is True
    assert status["service"]["user"] == {"name": local_user_name(), "admin": True, "teams": []}
    assert status["service"]["url"].startswith("http://127.0.0.1:")
    data_dir = tmp_path / "data-0" / "hubshare"
    assert (data_dir / "hubshare.sqlite3").exists()
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    pids = embedded_service_pids(data_dir)
    assert len(pids) == 1

    jupyter.process.terminate()
    jupyter.process.wait(timeout=20)
    wait_until(
        lambda: not any(is_alive(pid) for pid in pids if os.path.exists(f"/proc/{pid}")),
        what="the embedded service to stop",
    )


def test_uses_the_configured_service_instead_of_an_embedded_one(start_jupyter, hubshare_service, tmp_path):
    token = hubshare_service.token_for("carol")
    jupyter = start_jupyter(env={"HUBSHARE_URL": hubshare_service.url, "HUBSHARE_TOKEN": token})
    status = jupyter.api("hubshare/api/status", token=jupyter.token).json()
    assert status["service"]["url"] == hubshare_service.url
    assert embedded_service_pids(tmp_path / "data-0" / "hubshare") == []


def test_page_views_need_a_signed_link_instead_of_a_login(start_jupyter, hubshare_service):
    token = hubshare_service.token_for("alice")
    jupyter = start_jupyter(env={"HUBSHARE_URL": hubshare_service.url, "HUBSHARE_TOKEN": token})
    (jupyter.root_dir / "site").mkdir()
    (jupyter.root_dir / "site" / "index.html").write_text("<h1>Home</h1>")
    (jupyter.root_dir / "site" / "my notes?.html").write_text("<p>spaced</p>")
    as_json = {"method": "POST", "content_type": "application/json", "token": jupyter.token}
    published = jupyter.api("hubshare/api/checkouts/publish", data=b'{"path": "site", "name": "site"}', **as_json)
    assert published.status == 201, published.body
    pages_on = request(
        f"{hubshare_service.url}/api/v1/projects/alice/site",
        method="PATCH",
        token=token,
        data=b'{"pages": "project"}',
        content_type="application/json",
    )
    assert pages_on.status == 200

    # Opening a page needs the Jupyter login; it answers with a signed link.
    assert jupyter.api("hubshare/pages/alice/site/").status == 403
    entry = jupyter.api("hubshare/pages/alice/site/", token=jupyter.token)
    assert entry.status == 302
    view = urljoin(f"{jupyter.url}/hubshare/pages/alice/site/", entry.headers["Location"])
    assert view.startswith(f"{jupyter.url}/hubshare/view/")

    # The link alone (no token, no cookie: what a sandboxed page's requests carry) shows the page,
    # under the page's sandbox only (Jupyter's own policy would block its styles and scripts).
    page = request(view)
    assert page.status == 200
    assert b"<h1>Home</h1>" in page.body
    policies = [value for name, value in page.header_lines if name.lower() == "content-security-policy"]
    assert len(policies) == 1
    assert policies[0].startswith("sandbox allow-scripts")

    # Names are passed on exactly as sent: a space or a "?" in a file name stays part of it.
    spaced = request(view + "my%20notes%3F.html")
    assert spaced.status == 200
    assert b"<p>spaced</p>" in spaced.body

    link = view.split("/hubshare/view/")[1].split("/")[0]
    forged = request(view.replace(link, "1700000000.forged"))
    assert forged.status == 403
    assert forged.json()["error"]["code"] == "invalid_page_link"
    assert request(view, method="POST", data=b"{}").status == 405
    assert request(f"{jupyter.url}/hubshare/view/{link}/../api/status").status in (403, 404)
