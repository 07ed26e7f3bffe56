// Types of the lede client (src/index.js).

export const DEFAULT_PORT: number;
export const DEFAULT_TIMEOUT_MS: number;

export interface ClientOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 7878. */
  port?: number;
  /** Milliseconds for connecting and for each reply (0: none). Default 10000. */
  timeout?: number;
  /** Sent as AUTH right after connecting. */
  token?: string;
  /** Speak TLS (implied by ca or cafile). */
  tls?: boolean;
  /** PEM certificate(s) to verify the server against. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** A file of PEM certificates to verify the server against. */
  cafile?: string;
  /** More options for tls.connect(). */
  tlsOptions?: import('node:tls').ConnectionOptions;
}

export type Filter = Partial<Record<'source' | 'category' | 'tag' | 'place' | 'author', string | string[]>> & {
  date?: { from?: string; to?: string };
};

export interface SearchFields {
  limit?: number;
  offset?: number;
  filter?: Filter;
  sort?: 'relevance' | 'date' | '-date';
  match?: 'auto' | 'all' | 'any';
  facets?: Array<'source' | 'category' | 'tag' | 'place' | 'author' | 'year'>;
  snippet?: boolean;
  suggest?: boolean;
  id?: string | number;
  /** Fields of newer servers pass through. */
  [field: string]: unknown;
}

export interface Hit {
  id: string;
  rank: number;
  score: number;
  title?: string;
  date?: string;
  source?: string;
  category?: string;
  url?: string;
  author?: string;
  /** Matches wrapped in U+0002 … U+0003. */
  snippet?: string;
  [field: string]: unknown;
}

export interface Reply {
  ok: true;
  id?: string | number;
  took_ms?: number;
  [field: string]: unknown;
}

export interface SearchReply extends Reply {
  total: number;
  hits: Hit[];
  facets?: Record<string, Record<string, number>>;
  suggestion?: string;
  relaxed?: boolean;
}

export interface GetReply extends Reply { doc: Record<string, unknown>; }
export interface SuggestReply extends Reply { suggestions: string[]; titles: Array<{ id: string; title: string }>; }

export type Request = { op: string; [field: string]: unknown };

export class Client {
  constructor(options?: ClientOptions);
  readonly host: string;
  readonly port: number;
  readonly timeout: number;
  /** True once closed (by close() or an error). */
  readonly closed: boolean;
  /** Resolves once connected (and authenticated). */
  readonly ready: Promise<void>;
  request(op: string, fields?: Record<string, unknown>): Promise<Reply>;
  search(q?: string, fields?: SearchFields): Promise<SearchReply>;
  get(doc: string, fields?: { id?: string | number; [field: string]: unknown }): Promise<GetReply>;
  similar(doc: string, fields?: { limit?: number; offset?: number; id?: string | number; [field: string]: unknown }): Promise<SearchReply>;
  suggest(q: string, fields?: { limit?: number; id?: string | number; [field: string]: unknown }): Promise<SuggestReply>;
  stats(fields?: Record<string, unknown>): Promise<Reply>;
  ping(fields?: Record<string, unknown>): Promise<Reply & { pong: true }>;
  sendMany(requests: Request[], options?: { raiseOnError?: true }): Promise<Reply[]>;
  sendMany(requests: Request[], options: { raiseOnError: false }): Promise<Array<Reply | ServerError>>;
  raw(line: string | Buffer): Promise<Reply>;
  close(): Promise<void>;
}

export function connect(options?: ClientOptions): Promise<Client>;

export class LedeError extends Error {}
export class LedeConnectionError extends LedeError {}
export class LedeTimeoutError extends LedeConnectionError {}
export class ProtocolViolation extends LedeConnectionError {}
export class ServerError extends LedeError {
  constructor(code: string, message: string, reply?: Record<string, unknown>);
  /** The protocol's error code, e.g. 'bad_query'. */
  readonly code: string;
  /** The server's explanation. */
  readonly serverMessage: string;
  readonly id?: string | number;
  readonly reply: Record<string, unknown>;
  static readonly CODE: string;
  static readonly CLOSES: boolean;
}
export class BadJsonError extends ServerError {}
export class BadRequestError extends ServerError {}
export class BadQueryError extends ServerError {}
export class OverLimitError extends ServerError {}
export class InvalidUtf8Error extends ServerError {}
export class NulByteError extends ServerError {}
export class LineTooLongError extends ServerError {}
export class NotFoundError extends ServerError {}
export class TooManyConnectionsError extends ServerError {}
export class ServerTimeoutError extends ServerError {}
export class UnavailableError extends ServerError {}
export class InternalError extends ServerError {}
export class AuthRequiredError extends ServerError {}
export class AuthFailedError extends ServerError {}
export const ERRORS: Readonly<Record<string, typeof ServerError>>;
export function errorFromReply(reply: Record<string, unknown>): ServerError;
