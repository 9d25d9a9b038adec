"""`/hubshare/<path>`: Jupyter-authenticated proxy to the per-user agent, streaming both ways."""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any
from urllib.parse import quote

from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import httpclient, httputil, netutil, web
from tornado.simple_httpclient import SimpleAsyncHTTPClient

from .agent import AgentProcess, AgentUnavailable

# The agent's own routes may use any of these; bodies are streamed for all but GET and HEAD.
BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")

# Request headers passed on to the agent; everything else (cookies, Jupyter's Authorization) stays here.
FORWARDED_REQUEST_HEADERS = ("Accept", "Content-Type", "If-None-Match", "If-Match", "Last-Event-ID")

# Response headers that belong to one hop only (RFC 9110 §7.6.1) or that tornado sets itself.
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
    "date",
    "server",
}

AGENT_SECRET_HEADER = "X-HubShare-Agent-Secret"  # noqa: S105 (a header name, not a secret)
USER_HEADER = "X-HubShare-Jupyter-User"


class _AgentSocketResolver(netutil.Resolver):
    """Resolves every host name to the agent's unix socket."""

    def initialize(self, agent: AgentProcess) -> None:  # type: ignore[override]
        self._agent = agent

    async def resolve(self, host: str, port: int, family: int = socket.AF_UNSPEC) -> list[tuple[int, Any]]:
        return [(socket.AF_UNIX, self._agent.socket_path)]


def agent_http_client(agent: AgentProcess) -> SimpleAsyncHTTPClient:
    """An HTTP client whose every connection goes to the agent's unix socket."""
    return SimpleAsyncHTTPClient(force_instance=True, resolver=_AgentSocketResolver(agent=agent), max_clients=64)


@web.stream_request_body
class AgentProxyHandler(APIHandler):
    """Forwards an authenticated request to the agent and streams its answer back."""

    SUPPORTED_METHODS = ("GET", "HEAD", *BODY_METHODS)  # type: ignore[assignment]

    auth_resource = "hubshare"

    # Whether Jupyter must know the user (page views carry a signed link instead; see below).
    requires_jupyter_user = True
    # Agent answer headers that replace this server's own instead of being added to them.
    replaced_response_headers: frozenset[str] = frozenset()

    def initialize(self, agent: AgentProcess, client: SimpleAsyncHTTPClient) -> None:  # type: ignore[override]
        self.agent = agent
        self.client = client
        self._body: asyncio.Queue[bytes | None] | None = None
        self._upstream: asyncio.Future[httpclient.HTTPResponse] | None = None
        self._status_sent = False

    async def prepare(self) -> None:  # type: ignore[override]
        # Jupyter resolves the user (token, cookie) in prepare; XSRF was checked before it.
        await super().prepare()
        if self._finished:
            return
        if self.requires_jupyter_user:
            if self.current_user is None:
                raise web.HTTPError(403, "Sign in to Jupyter to use HubShare.")
            action = "read" if self.request.method in ("GET", "HEAD") else "write"
            if not self.authorizer.is_authorized(self, self.current_user, action, self.auth_resource):
                raise web.HTTPError(403, "You are not allowed to use HubShare on this server.")
        try:
            await self.agent.ensure_running()
        except AgentUnavailable as error:
            self.send_json_error(503, error.code, error.message)
            return
        if self.request.method in BODY_METHODS:
            self._body = asyncio.Queue()
        # Start forwarding now, so the request body streams to the agent as it arrives.
        self._upstream = asyncio.ensure_future(self._forward())

    def data_received(self, chunk: bytes) -> None:
        if self._body is not None:
            self._body.put_nowait(chunk)

    async def _produce_body(self, write) -> None:
        assert self._body is not None
        while True:
            chunk = await self._body.get()
            if chunk is None:
                return
            await write(chunk)

    def _agent_path(self) -> str:
        """The path after `/hubshare/` exactly as the browser sent it, still percent-encoded.

        Tornado decodes `path_args`; sent on decoded, `%20` would break the request line, `%3F`
        and `%23` would cut a file name short and `%2F` would add path segments.
        """
        prefix = url_path_join(self.base_url, "hubshare/")
        if self.request.path.startswith(prefix):
            return self.request.path[len(prefix) :]
        return quote(self.path_args[0], safe="/")

    async def _forward(self) -> httpclient.HTTPResponse:
        url = "http://hubshare-agent/" + self._agent_path()
        if self.request.query:
            url += "?" + self.request.query
        headers = httputil.HTTPHeaders()
        for name in FORWARDED_REQUEST_HEADERS:
            value = self.request.headers.get(name)
            if value is not None:
                headers[name] = value
        headers[AGENT_SECRET_HEADER] = self.agent.secret
        user = self.current_user
        if user is not None:
            headers[USER_HEADER] = getattr(user, "username", None) or str(user)
        request = httpclient.HTTPRequest(
            url,
            method=self.request.method,
            headers=headers,
            body_producer=self._produce_body if self._body is not None else None,
            header_callback=self._on_header_line,
            streaming_callback=self._on_chunk,
            allow_nonstandard_methods=True,
            follow_redirects=False,
            decompress_response=False,
            connect_timeout=10,
            # Long operations (clone, push) stream progress for as long as they run.
            request_timeout=3600,
        )
        return await self.client.fetch(request, raise_error=False)

    def _on_header_line(self, line: str) -> None:
        line = line.rstrip("\r\n")
        if not line:
            return
        if line.startswith("HTTP/"):
            start = httputil.parse_response_start_line(line)
            if start.code == 100:
                return
            self.set_status(start.code, start.reason)
            self.clear_header("Content-Type")
            self._status_sent = True
            return
        name, _, value = line.partition(":")
        lowered = name.strip().lower()
        if lowered in self.replaced_response_headers:
            self.set_header(name.strip(), value.strip())
        elif lowered not in HOP_BY_HOP:
            self.add_header(name.strip(), value.strip())

    def _on_chunk(self, chunk: bytes) -> None:
        self.write(chunk)
        # Flush each chunk so progress streams (NDJSON) reach the browser as they happen.
        self.flush()

    async def _relay(self, path: str) -> None:
        if self._body is not None:
            self._body.put_nowait(None)
        assert self._upstream is not None
        failure = await _failure_of(self._upstream)
        if failure is not None and not self._status_sent and self._body is None:
            # The agent may have died just now; a request without a body can safely be sent again.
            self.log.warning("HubShare agent request failed (%s); checking the agent and retrying once", failure)
            await self.agent.recover()
            failure = await _failure_of(asyncio.ensure_future(self._forward()))
        if failure is not None and not self._status_sent:
            self.log.warning("HubShare agent request failed: %s", failure)
            self.send_json_error(
                502, "agent_unreachable", "The HubShare agent stopped answering; try again (it restarts on its own)."
            )
            return
        self.finish()

    get = head = post = put = patch = delete = _relay  # type: ignore[assignment]

    def on_connection_close(self) -> None:
        if self._upstream is not None and not self._upstream.done():
            self._upstream.cancel()
        if self._body is not None:
            self._body.put_nowait(None)

    def send_json_error(self, status: int, code: str, message: str) -> None:
        self.clear()
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"error": {"code": code, "message": message}}))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        # One error shape for the frontend, whether the agent or this proxy refused.
        exc_info = kwargs.get("exc_info")
        message = self._reason
        if exc_info and isinstance(exc_info[1], web.HTTPError) and exc_info[1].log_message:
            message = exc_info[1].log_message
        code = {401: "unauthorized", 403: "forbidden", 404: "not_found"}.get(status_code, "proxy_error")
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"error": {"code": code, "message": message}}))


class PageViewHandler(AgentProxyHandler):
    """Page views, `/hubshare/view/<link>/<owner>/<name>/<path>`, reachable without a Jupyter login.

    A published page runs sandboxed, as an opaque origin, so the browser sends no cookies with the
    requests for its images, styles and scripts. Those requests carry a signed, expiring link
    instead, made by the agent when the signed-in user opened `/hubshare/pages/...`, and checked by
    the agent before anything is read. Only GET and HEAD; the page's own sandboxing policy replaces
    this server's.
    """

    SUPPORTED_METHODS = ("GET", "HEAD")  # type: ignore[assignment]
    requires_jupyter_user = False
    replaced_response_headers = frozenset({"content-security-policy"})

    def set_default_headers(self) -> None:
        super().set_default_headers()
        # Strict until the agent's answer brings the page's own policy.
        self.set_header("Content-Security-Policy", "sandbox; default-src 'none'")

    get = head = allow_unauthenticated(AgentProxyHandler._relay)  # type: ignore[assignment]


async def _failure_of(upstream: asyncio.Future[httpclient.HTTPResponse]) -> BaseException | None:
    """The connection-level error of a forwarded request, or None if the agent answered."""
    try:
        response = await upstream
    except (OSError, httpclient.HTTPClientError) as error:
        return error
    return response.error if response.code == 599 else None
