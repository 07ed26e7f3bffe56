"""A client for lede-searchd's line protocol (docs/protocol.md).

One :class:`Client` is one TCP (or TLS) connection. Requests are JSON lines;
replies come back one line each, in request order, so many requests can be
in flight at once (:meth:`Client.send_many`, :meth:`Client.pipeline`).
A client is not thread-safe: use one per thread.
"""

from __future__ import annotations

import json
import socket
import ssl
import time
from typing import Any, Dict, Iterable, List, Optional, Union

from .errors import (LedeConnectionError, LedeError, LedeTimeoutError,
                     ProtocolViolation, ServerError, ServerTimeoutError,
                     error_from_reply)

Reply = Dict[str, Any]

#: The port lede-searchd listens on by default.
DEFAULT_PORT = 7878
#: Seconds to wait for a connection or a reply, by default.
DEFAULT_TIMEOUT_S = 10.0
#: Request bytes sent but not yet answered at most while pipelining. Below
#: what the kernel buffers of both ends hold, so that sending never blocks
#: on a server that has stopped reading until we read its replies.
PIPELINE_WINDOW_BYTES = 64 * 1024
#: The server's default max_line_bytes; a reply line is not bounded by it,
#: but a reply over this many bytes per read is simply read in pieces.
READ_CHUNK_BYTES = 64 * 1024


class _Ops:
    """The protocol's operations, shared by :class:`Client` (which runs them
    at once) and :class:`Pipeline` (which queues them). Keyword arguments
    are the protocol's fields, passed through as they are; a field given as
    ``None`` is left out."""

    def _call(self, request: Dict[str, Any]) -> Any:
        raise NotImplementedError

    def request(self, op: str, **fields: Any) -> Any:
        """Any operation: ``{"op": op, **fields}``."""
        req = {"op": op}
        req.update((k, v) for k, v in fields.items() if v is not None)
        return self._call(req)

    def search(self, q: str = "", **fields: Any) -> Any:
        """Search for ``q`` (every article when empty).

        Fields: ``limit``, ``offset``, ``filter`` (e.g.
        ``{"source": ["TURAN"], "date": {"from": "2022"}}``), ``sort``
        (``"relevance"``, ``"date"``, ``"-date"``), ``match`` (``"auto"``,
        ``"all"``, ``"any"``), ``facets`` (a list of field names),
        ``snippet``, ``suggest``, ``id``, and any field the server adds.
        The reply holds ``total``, ``hits``, maybe ``facets``,
        ``suggestion`` and ``relaxed``.
        """
        return self.request("search", q=q, **fields)

    def get(self, doc: str, **fields: Any) -> Any:
        """The stored article ``doc``: the reply's ``doc``; :class:`NotFoundError` if none."""
        return self.request("get", doc=doc, **fields)

    def similar(self, doc: str, **fields: Any) -> Any:
        """Articles like ``doc`` (fields ``limit``, ``offset``): ``total`` and ``hits``."""
        return self.request("similar", doc=doc, **fields)

    def suggest(self, q: str, **fields: Any) -> Any:
        """Completions of the prefix ``q``: ``suggestions`` and ``titles``."""
        return self.request("suggest", q=q, **fields)

    def stats(self, **fields: Any) -> Any:
        """The server's counters (see docs/protocol.md)."""
        return self.request("stats", **fields)

    def ping(self, **fields: Any) -> Any:
        """``{"ok": true, "pong": true}`` from a live server."""
        return self.request("ping", **fields)


class Client(_Ops):
    """A connection to lede-searchd.

    ``timeout`` (seconds, ``None`` for none) bounds connecting and the wait
    for each reply; past it :class:`LedeTimeoutError` is raised and the
    client closed. With ``token`` the client authenticates right after
    connecting (``AUTH``). With ``tls`` it speaks TLS and verifies the
    server's certificate against ``cafile`` (or the system's CAs), or uses
    the given ``ssl_context``. Use it as a context manager::

        with Client("127.0.0.1", 7878) as c:
            for hit in c.search("water restrictions", limit=5)["hits"]:
                print(hit["title"])
    """

    def __init__(self, host: str = "127.0.0.1", port: int = DEFAULT_PORT, *,
                 timeout: Optional[float] = DEFAULT_TIMEOUT_S,
                 token: Optional[str] = None, tls: bool = False,
                 cafile: Optional[str] = None,
                 ssl_context: Optional[ssl.SSLContext] = None):
        self.host, self.port, self.timeout = host, port, timeout
        self._buf = b""
        self._next_id = 0
        self._sock: Optional[socket.socket] = None
        sock = self._connect(tls or ssl_context is not None, cafile, ssl_context)
        self._sock = sock
        if token is not None:
            self.request("auth", token=token)

    def _connect(self, tls: bool, cafile: Optional[str],
                 ctx: Optional[ssl.SSLContext]) -> socket.socket:
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except socket.timeout as e:
            raise LedeTimeoutError(f"connecting to {self.host}:{self.port}: timed out") from e
        except OSError as e:
            raise LedeConnectionError(f"connecting to {self.host}:{self.port}: {e}") from e
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if not tls:
            return sock
        try:
            if ctx is None:
                ctx = ssl.create_default_context(cafile=cafile)
            return ctx.wrap_socket(sock, server_hostname=self.host)
        except (OSError, ssl.SSLError) as e:
            sock.close()
            kind = LedeTimeoutError if isinstance(e, socket.timeout) else LedeConnectionError
            raise kind(f"TLS with {self.host}:{self.port}: {e}") from e

    # ---- the connection -------------------------------------------------

    @property
    def closed(self) -> bool:
        """True once the client is closed (by :meth:`close` or an error)."""
        return self._sock is None

    def close(self) -> None:
        """Say QUIT, wait briefly for the server's goodbye, and close. Idempotent."""
        if self._sock is None:
            return
        try:
            self._send(b'{"op":"quit"}\n')
            self._read_reply(min(self.timeout or 1.0, 1.0))
        except (LedeError, OSError):
            pass
        self._drop()

    def _drop(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            try:
                sock.close()
            except OSError:
                pass

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        self._drop()

    # ---- requests -------------------------------------------------------

    def _call(self, request: Dict[str, Any]) -> Reply:
        return self.send_many([request])[0]

    def raw(self, line: Union[str, bytes]) -> Reply:
        """Send one line as it is (an inline command such as ``"STATS"``, or
        any bytes) and return its reply; an error reply raises."""
        if isinstance(line, str):
            line = line.encode("utf-8")
        line = line.rstrip(b"\r\n")
        if b"\n" in line:
            raise ValueError("raw() sends one line; use send_many() for several")
        self._send(line + b"\n")
        return self._check(self._read_reply(self.timeout), None)

    def send_many(self, requests: Iterable[Dict[str, Any]], *,
                  raise_on_error: bool = True) -> List[Union[Reply, ServerError]]:
        """Pipeline: send the requests (dicts with ``op``) without waiting,
        and return their replies in order.

        Every reply is read before anything is raised, so the connection
        stays in step. With ``raise_on_error`` the first error reply is then
        raised; without it, error replies come back in the list as
        :class:`ServerError` instances.
        """
        pending: List[tuple] = []  # (id we sent or None, bytes in flight)
        replies: List[Union[Reply, ServerError]] = []
        in_flight = 0
        for req in requests:
            line, rid = self._encode(req)
            while pending and in_flight + len(line) > PIPELINE_WINDOW_BYTES:
                in_flight -= self._collect(pending, replies)
            self._send(line)
            pending.append((rid, len(line)))
            in_flight += len(line)
        while pending:
            self._collect(pending, replies)
        if raise_on_error:
            for r in replies:
                if isinstance(r, ServerError):
                    raise r
        return replies

    def pipeline(self) -> "Pipeline":
        """A :class:`Pipeline` on this connection: queue requests, then run
        them all with :meth:`Pipeline.execute` (or at the end of a ``with``)."""
        return Pipeline(self)

    def _encode(self, req: Dict[str, Any]) -> tuple:
        """The request's line, with an id of ours unless it has one (to
        check that replies stay in step); returns (line, our id or None)."""
        if "op" not in req:
            raise ValueError("a request needs an 'op'")
        rid = None
        if req.get("id") is None:
            self._next_id += 1
            rid = self._next_id
            req = dict(req, id=rid)
        text = json.dumps(req, ensure_ascii=False, separators=(",", ":"))
        return text.encode("utf-8") + b"\n", rid

    def _collect(self, pending: List[tuple], replies: List[Any]) -> int:
        """Read the reply to the oldest pending request into ``replies``;
        returns the bytes it had in flight."""
        rid, size = pending.pop(0)
        reply = self._read_reply(self.timeout)
        try:
            replies.append(self._check(reply, rid))
        except ServerError as e:
            replies.append(e)
        return size

    def _check(self, reply: Reply, rid: Optional[int]) -> Reply:
        """Raise the error of an error reply; strip our own id."""
        if rid is not None and "id" in reply:
            if reply["id"] != rid:
                self._drop()
                raise ProtocolViolation(f"reply for id {reply['id']!r} where {rid} was due")
            del reply["id"]
        if reply.get("ok") is True:
            return reply
        err = error_from_reply(reply)
        # A timeout without an id is request_timeout_ms: the server closed.
        if err.CLOSES or (isinstance(err, ServerTimeoutError) and err.id is None):
            self._drop()
        raise err

    # ---- bytes ----------------------------------------------------------

    def _live(self) -> socket.socket:
        if self._sock is None:
            raise LedeConnectionError("the client is closed")
        return self._sock

    def _send(self, data: bytes) -> None:
        sock = self._live()
        try:
            sock.settimeout(self.timeout)
            sock.sendall(data)
        except socket.timeout as e:
            self._drop()
            raise LedeTimeoutError(f"sending to {self.host}:{self.port}: timed out") from e
        except OSError as e:
            self._drop()
            raise LedeConnectionError(f"sending to {self.host}:{self.port}: {e}") from e

    def _read_reply(self, timeout: Optional[float]) -> Reply:
        line = self._read_line(timeout)
        try:
            reply = json.loads(line)
        except ValueError as e:
            self._drop()
            raise ProtocolViolation(f"not a JSON reply: {line[:200]!r}") from e
        if not isinstance(reply, dict) or not isinstance(reply.get("ok"), bool):
            self._drop()
            raise ProtocolViolation(f"not a reply: {line[:200]!r}")
        return reply

    def _read_line(self, timeout: Optional[float]) -> bytes:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            end = self._buf.find(b"\n")
            if end >= 0:
                line, self._buf = self._buf[:end], self._buf[end + 1:]
                return line
            sock = self._live()
            try:
                if deadline is not None:
                    sock.settimeout(max(deadline - time.monotonic(), 0.001))
                else:
                    sock.settimeout(None)
                chunk = sock.recv(READ_CHUNK_BYTES)
            except socket.timeout as e:
                self._drop()
                raise LedeTimeoutError(
                    f"no reply from {self.host}:{self.port} within {timeout} s") from e
            except OSError as e:
                self._drop()
                raise LedeConnectionError(f"reading from {self.host}:{self.port}: {e}") from e
            if not chunk:
                self._drop()
                raise LedeConnectionError(f"{self.host}:{self.port} closed the connection")
            self._buf += chunk


class Pipeline(_Ops):
    """Requests queued on a :class:`Client` and sent together.

    The operation methods return the pipeline itself (so they chain); run
    :meth:`execute` for the replies, in order::

        with client.pipeline() as p:
            p.search("water").get("sample-001").stats()
        search, doc, stats = p.results
    """

    def __init__(self, client: Client):
        self.client = client
        self.requests: List[Dict[str, Any]] = []
        self.results: List[Any] = []

    def _call(self, request: Dict[str, Any]) -> "Pipeline":
        self.requests.append(request)
        return self

    def execute(self, *, raise_on_error: bool = True) -> List[Any]:
        """Send every queued request, return the replies (see
        :meth:`Client.send_many`) and empty the queue."""
        reqs, self.requests = self.requests, []
        self.results = self.client.send_many(reqs, raise_on_error=False)
        if raise_on_error:
            for r in self.results:
                if isinstance(r, ServerError):
                    raise r
        return self.results

    def __enter__(self) -> "Pipeline":
        return self

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        if exc_type is None:
            self.execute()
