// The errors of the lede client, in two families under LedeError:
//
// * ServerError and its subclasses: lede-searchd answered a request with
//   {"ok":false,"error":{"code":…,"message":…}}; one class per error code of
//   the line protocol (docs/protocol.md), ServerError itself for a code this
//   client does not know. The connection usually stays usable.
// * LedeConnectionError: the connection could not be made, broke, was
//   closed, or did not answer in time (LedeTimeoutError). The client is
//   closed after one of these.

/** Base class of every error this client raises. */
export class LedeError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The connection failed, broke or was closed; the client is closed. */
export class LedeConnectionError extends LedeError {}

/** No connection or reply within the client's `timeout`; the client is closed. */
export class LedeTimeoutError extends LedeConnectionError {}

/** The server sent something that is not a reply of the line protocol. */
export class ProtocolViolation extends LedeConnectionError {}

/**
 * An error reply from lede-searchd: `code` is the protocol's error code,
 * `message` the server's explanation (also in `serverMessage`), `id` the
 * request id echoed (or undefined) and `reply` the whole reply.
 */
export class ServerError extends LedeError {
  constructor(code, message, reply = {}) {
    super(`${code}: ${message}`);
    this.code = code;
    this.serverMessage = message;
    this.reply = reply;
    this.id = reply.id;
  }
}

/** Defines the ServerError subclass for one error code. */
function errorClass(name, code, closes = false) {
  const cls = { [name]: class extends ServerError {} }[name];
  cls.CODE = code;
  /** Whether the server closes the connection after this error. */
  cls.CLOSES = closes;
  return cls;
}

/** The line started like JSON but was not a valid JSON object. */
export const BadJsonError = errorClass('BadJsonError', 'bad_json');
/** Unknown op or field, a wrong type, a missing or bad value. */
export const BadRequestError = errorClass('BadRequestError', 'bad_request');
/** The query could not be parsed (a bad date range, a short wildcard). */
export const BadQueryError = errorClass('BadQueryError', 'bad_query');
/** limit, offset or the query's size over a configured maximum. */
export const OverLimitError = errorClass('OverLimitError', 'over_limit');
/** The request line was not UTF-8. */
export const InvalidUtf8Error = errorClass('InvalidUtf8Error', 'invalid_utf8');
/** The request line held a NUL byte. */
export const NulByteError = errorClass('NulByteError', 'nul_byte');
/** The line was over max_line_bytes; the server closed the connection. */
export const LineTooLongError = errorClass('LineTooLongError', 'line_too_long', true);
/** No document with that id. */
export const NotFoundError = errorClass('NotFoundError', 'not_found');
/** The server is at max_connections; it closed the connection. */
export const TooManyConnectionsError = errorClass('TooManyConnectionsError', 'too_many_connections', true);
/** The request ran out of its time budget on the server (code "timeout"). */
export const ServerTimeoutError = errorClass('ServerTimeoutError', 'timeout');
/** The index cannot be opened or read. */
export const UnavailableError = errorClass('UnavailableError', 'unavailable');
/** Anything else that went wrong in the server. */
export const InternalError = errorClass('InternalError', 'internal');
/** The server wants AUTH first (give the client a token). */
export const AuthRequiredError = errorClass('AuthRequiredError', 'auth_required');
/** The token was wrong (the server closes after three failures). */
export const AuthFailedError = errorClass('AuthFailedError', 'auth_failed');

/** Error code → class. */
export const ERRORS = Object.freeze(Object.fromEntries(
  [BadJsonError, BadRequestError, BadQueryError, OverLimitError, InvalidUtf8Error,
    NulByteError, LineTooLongError, NotFoundError, TooManyConnectionsError,
    ServerTimeoutError, UnavailableError, InternalError, AuthRequiredError,
    AuthFailedError].map((cls) => [cls.CODE, cls])));

/** The error for an error reply (`reply.ok` is false). */
export function errorFromReply(reply) {
  const err = reply && typeof reply.error === 'object' && reply.error ? reply.error : {};
  const code = String(err.code ?? 'internal');
  const Cls = ERRORS[code] ?? ServerError;
  return new Cls(code, String(err.message ?? ''), reply);
}
