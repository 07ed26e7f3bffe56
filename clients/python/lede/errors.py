"""The exceptions of the lede client.

Two families under one base, :class:`LedeError`:

* :class:`ServerError` and its subclasses: lede-searchd answered a request
  with ``{"ok": false, "error": {"code": ..., "message": ...}}``. There is
  one subclass per error code of the line protocol (docs/protocol.md); a
  code this client does not know yet raises :class:`ServerError` itself.
  After most of them the connection stays usable.
* :class:`LedeConnectionError` (also a builtin :class:`ConnectionError`):
  the connection could not be made, broke, was closed by the server, or
  did not answer in time (:class:`LedeTimeoutError`, also a builtin
  :class:`TimeoutError`). The client is closed after one of these.
"""

from __future__ import annotations

import builtins
from typing import Any, Dict, Optional, Type


class LedeError(Exception):
    """Base class of every exception this client raises."""


class LedeConnectionError(LedeError, builtins.ConnectionError):
    """The connection failed, broke or was closed; the client is closed."""


class LedeTimeoutError(LedeConnectionError, builtins.TimeoutError):
    """No reply (or no connection) within the client's ``timeout``.

    The reply may still come later, so the connection cannot be trusted to
    stay in step and the client is closed.
    """


class ProtocolViolation(LedeConnectionError):
    """The server sent something that is not a reply of the line protocol."""


class ServerError(LedeError):
    """An error reply from lede-searchd.

    Attributes: ``code`` (the protocol's error code), ``message`` (the
    server's explanation), ``id`` (the request id echoed, or ``None``) and
    ``reply`` (the whole reply as a dict).
    """

    #: The protocol error code a subclass stands for.
    CODE = ""
    #: Whether the server closes the connection after this error.
    CLOSES = False

    def __init__(self, code: str, message: str, reply: Optional[Dict[str, Any]] = None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.reply = reply if reply is not None else {}
        self.id = self.reply.get("id")


class BadJsonError(ServerError):
    """The line started like JSON but was not a valid JSON object."""
    CODE = "bad_json"


class BadRequestError(ServerError):
    """Unknown op or field, a wrong type, a missing or bad value."""
    CODE = "bad_request"


class BadQueryError(ServerError):
    """The query could not be parsed (e.g. a bad date range, a short wildcard)."""
    CODE = "bad_query"


class OverLimitError(ServerError):
    """``limit``, ``offset`` or the query's size is over a configured maximum."""
    CODE = "over_limit"


class InvalidUtf8Error(ServerError):
    """The request line was not UTF-8."""
    CODE = "invalid_utf8"


class NulByteError(ServerError):
    """The request line held a NUL byte."""
    CODE = "nul_byte"


class LineTooLongError(ServerError):
    """The request line was over ``max_line_bytes``; the server closed the connection."""
    CODE = "line_too_long"
    CLOSES = True


class NotFoundError(ServerError):
    """No document with that id."""
    CODE = "not_found"


class TooManyConnectionsError(ServerError):
    """The server is at ``max_connections``; it closed the connection."""
    CODE = "too_many_connections"
    CLOSES = True


class ServerTimeoutError(ServerError):
    """The request ran out of its time budget on the server (code ``timeout``).

    When the request did not arrive whole within ``request_timeout_ms`` the
    server also closes the connection; the client then is closed too.
    """
    CODE = "timeout"


class UnavailableError(ServerError):
    """The index cannot be opened or read."""
    CODE = "unavailable"


class InternalError(ServerError):
    """Anything else that went wrong in the server."""
    CODE = "internal"


class AuthRequiredError(ServerError):
    """The server wants ``AUTH <token>`` first (give the client a ``token``)."""
    CODE = "auth_required"


class AuthFailedError(ServerError):
    """The token was wrong (the server closes after three failures)."""
    CODE = "auth_failed"


#: Error code -> exception class.
ERRORS: Dict[str, Type[ServerError]] = {
    cls.CODE: cls
    for cls in (BadJsonError, BadRequestError, BadQueryError, OverLimitError,
                InvalidUtf8Error, NulByteError, LineTooLongError, NotFoundError,
                TooManyConnectionsError, ServerTimeoutError, UnavailableError,
                InternalError, AuthRequiredError, AuthFailedError)
}


def error_from_reply(reply: Dict[str, Any]) -> ServerError:
    """The exception for an error reply (``reply["ok"]`` is false)."""
    err = reply.get("error")
    if not isinstance(err, dict):
        err = {}
    code = str(err.get("code", "internal"))
    message = str(err.get("message", ""))
    return ERRORS.get(code, ServerError)(code, message, reply)
