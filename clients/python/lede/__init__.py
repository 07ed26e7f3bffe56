"""lede: a client for lede-searchd's line protocol.

    >>> import lede
    >>> with lede.Client("127.0.0.1", 7878) as c:
    ...     c.search("water", limit=3)["total"]

See :class:`lede.Client`; errors are in :mod:`lede.errors`.
"""

from .client import DEFAULT_PORT, Client, Pipeline
from .errors import (ERRORS, AuthFailedError, AuthRequiredError, BadJsonError,
                     BadQueryError, BadRequestError, InternalError,
                     InvalidUtf8Error, LedeConnectionError, LedeError,
                     LedeTimeoutError, LineTooLongError, NotFoundError,
                     NulByteError, OverLimitError, ProtocolViolation,
                     ServerError, ServerTimeoutError, TooManyConnectionsError,
                     UnavailableError)

__version__ = "0.1.0"

__all__ = [
    "Client", "Pipeline", "DEFAULT_PORT", "ERRORS",
    "LedeError", "LedeConnectionError", "LedeTimeoutError", "ProtocolViolation",
    "ServerError", "BadJsonError", "BadRequestError", "BadQueryError",
    "OverLimitError", "InvalidUtf8Error", "NulByteError", "LineTooLongError",
    "NotFoundError", "TooManyConnectionsError", "ServerTimeoutError",
    "UnavailableError", "InternalError", "AuthRequiredError", "AuthFailedError",
]
