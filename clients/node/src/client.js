// A client for lede-searchd's line protocol (docs/protocol.md).
//
// One Client is one TCP (or TLS) connection. Requests are JSON lines; the
// server answers each with one line, in request order, so any number of
// requests may be in flight: each method returns a promise, and replies are
// matched to requests by their order (and checked against an id of ours).
import net from 'node:net';
import tls from 'node:tls';
import fs from 'node:fs';
import {
  LedeConnectionError, LedeTimeoutError, ProtocolViolation, ServerError,
  ServerTimeoutError, errorFromReply,
} from './errors.js';

/** The port lede-searchd listens on by default. */
export const DEFAULT_PORT = 7878;
/** Milliseconds to wait for a connection, or for the next reply, by default. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** How long close() waits for the server's goodbye. */
const QUIT_WAIT_MS = 1000;
const NEWLINE = 0x0a;

/**
 * Opens a connection (and authenticates with `token` when given).
 * @param {import('./index.js').ClientOptions} [options]
 * @returns {Promise<Client>}
 */
export async function connect(options = {}) {
  const client = new Client(options);
  await client.ready;
  return client;
}

export class Client {
  /**
   * Starts connecting; `await client.ready` (or use connect()) before
   * relying on it. Requests made earlier wait for the connection.
   * @param {import('./index.js').ClientOptions} [options]
   */
  constructor(options = {}) {
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? DEFAULT_PORT;
    this.timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
    this.closed = false;
    this._pending = []; // {rid, resolve, reject}, oldest first
    this._chunks = [];
    this._nextId = 0;
    this._timer = null;
    this._socket = this._open(options);
    this.ready = this._start(options.token);
    this.ready.catch(() => {}); // reported to whoever awaits it
  }

  _open(o) {
    const useTls = o.tls || o.ca !== undefined || o.cafile !== undefined;
    let socket;
    if (useTls) {
      const ca = o.ca ?? (o.cafile !== undefined ? fs.readFileSync(o.cafile) : undefined);
      // SNI takes a host name only; an address is checked against the
      // certificate's IP entries without it.
      const servername = net.isIP(this.host) ? undefined : this.host;
      socket = tls.connect({ host: this.host, port: this.port, ca, servername, ...o.tlsOptions });
    } else {
      socket = net.connect({ host: this.host, port: this.port });
    }
    socket.setNoDelay(true);
    socket.on('data', (data) => this._onData(data));
    socket.on('error', (err) => this._fail(new LedeConnectionError(
      `${this._where()}: ${err.message}`, { cause: err })));
    socket.on('close', () => this._fail(new LedeConnectionError(`${this._where()} closed the connection`)));
    return socket;
  }

  async _start(token) {
    await new Promise((resolve, reject) => {
      const event = this._socket instanceof tls.TLSSocket ? 'secureConnect' : 'connect';
      const timer = setTimeout(() => {
        const err = new LedeTimeoutError(`connecting to ${this._where()}: no answer within ${this.timeout} ms`);
        reject(err);
        this._fail(err);
      }, this.timeout);
      this._socket.once(event, () => { clearTimeout(timer); resolve(); });
      this._socket.once('close', () => {
        clearTimeout(timer);
        reject(this._failure ?? new LedeConnectionError(`connecting to ${this._where()} failed`));
      });
    });
    if (token !== undefined && token !== null) await this.request('auth', { token });
  }

  _where() {
    return `${this.host}:${this.port}`;
  }

  // ---- the operations ------------------------------------------------------

  /**
   * Any operation: sends {op, ...fields} (fields that are undefined or null
   * left out) and resolves to the reply; an error reply rejects with its
   * ServerError subclass.
   */
  request(op, fields = {}) {
    const req = { op };
    for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null) req[k] = v;
    return this._send(req);
  }

  /** Search for q ('' for every article); fields: limit, offset, filter, sort, match, facets, snippet, suggest, id, … */
  search(q = '', fields = {}) { return this.request('search', { ...fields, q }); }

  /** The stored article `doc` (reply.doc); NotFoundError when there is none. */
  get(doc, fields = {}) { return this.request('get', { ...fields, doc }); }

  /** Articles like `doc`: total and hits (fields: limit, offset). */
  similar(doc, fields = {}) { return this.request('similar', { ...fields, doc }); }

  /** Completions of the prefix q: suggestions and titles. */
  suggest(q, fields = {}) { return this.request('suggest', { ...fields, q }); }

  /** The server's counters. */
  stats(fields = {}) { return this.request('stats', fields); }

  /** {ok: true, pong: true} from a live server. */
  ping(fields = {}) { return this.request('ping', fields); }

  /**
   * Pipelining: sends every request (objects with `op`) at once and resolves
   * to the replies in order. With raiseOnError (the default) the first error
   * reply rejects, once all replies are in; otherwise error replies come
   * back in the array as ServerError objects.
   */
  async sendMany(requests, { raiseOnError = true } = {}) {
    const settled = await Promise.allSettled(requests.map((r) => this._send({ ...r })));
    const out = settled.map((s) => (s.status === 'fulfilled' ? s.value : s.reason));
    const broken = out.find((r) => r instanceof Error && !(r instanceof ServerError));
    if (broken) throw broken;
    const failed = out.find((r) => r instanceof ServerError);
    if (raiseOnError && failed) throw failed;
    return out;
  }

  /** Sends one line as it is (an inline command such as 'STATS', or raw bytes). */
  raw(line) {
    const bytes = Buffer.isBuffer(line) ? line : Buffer.from(String(line), 'utf8');
    let end = bytes.length;
    while (end > 0 && (bytes[end - 1] === NEWLINE || bytes[end - 1] === 0x0d)) end--;
    if (bytes.subarray(0, end).includes(NEWLINE))
      return Promise.reject(new TypeError('raw() sends one line; use sendMany() for several'));
    return this._write(Buffer.concat([bytes.subarray(0, end), Buffer.from('\n')]), null);
  }

  /** Says QUIT, waits briefly for the goodbye, and closes. Never rejects. */
  async close() {
    if (this.closed) return;
    try {
      await Promise.race([this.request('quit'), new Promise((r) => setTimeout(r, QUIT_WAIT_MS).unref())]);
    } catch { /* closing anyway */ }
    this._fail(new LedeConnectionError('the client is closed'));
  }

  // ---- the wire ------------------------------------------------------------

  _send(req) {
    if (typeof req.op !== 'string') return Promise.reject(new TypeError("a request needs an 'op'"));
    let rid = null;
    if (req.id === undefined || req.id === null) req.id = rid = ++this._nextId;
    return this._write(Buffer.from(JSON.stringify(req) + '\n', 'utf8'), rid);
  }

  _write(bytes, rid) {
    if (this.closed) return Promise.reject(this._failure);
    return new Promise((resolve, reject) => {
      this._pending.push({ rid, resolve, reject });
      if (this._pending.length === 1) this._armTimer();
      this._socket.write(bytes);
    });
  }

  /** The next reply is due within `timeout` of the last one (or of the send). */
  _armTimer() {
    clearTimeout(this._timer);
    this._timer = null;
    if (this._pending.length === 0 || !this.timeout) return;
    this._timer = setTimeout(() => this._fail(new LedeTimeoutError(
      `no reply from ${this._where()} within ${this.timeout} ms`)), this.timeout);
  }

  _onData(data) {
    let start = 0;
    let nl;
    while ((nl = data.indexOf(NEWLINE, start)) >= 0) {
      this._chunks.push(data.subarray(start, nl));
      const line = Buffer.concat(this._chunks).toString('utf8');
      this._chunks = [];
      start = nl + 1;
      this._onLine(line);
      if (this.closed) return;
    }
    if (start < data.length) this._chunks.push(data.subarray(start));
  }

  _onLine(line) {
    let reply;
    try {
      reply = JSON.parse(line);
    } catch { /* reported below */ }
    if (!reply || typeof reply !== 'object' || typeof reply.ok !== 'boolean')
      return this._fail(new ProtocolViolation(`not a reply: ${line.slice(0, 200)}`));
    const p = this._pending.shift();
    if (!p) {
      // An error before any request (too_many_connections) or for a line we
      // never finished: the server is closing, and this is why.
      if (!reply.ok) return this._fail(errorFromReply(reply));
      return this._fail(new ProtocolViolation(`a reply nobody asked for: ${line.slice(0, 200)}`));
    }
    if (p.rid !== null && 'id' in reply) {
      if (reply.id !== p.rid)
        return this._fail(new ProtocolViolation(`reply for id ${JSON.stringify(reply.id)} where ${p.rid} was due`));
      delete reply.id;
    }
    this._armTimer();
    if (reply.ok) return p.resolve(reply);
    const err = errorFromReply(reply);
    p.reject(err);
    // A timeout without an id is request_timeout_ms: the server closes.
    if (err.constructor.CLOSES || (err instanceof ServerTimeoutError && err.id === undefined))
      this._fail(new LedeConnectionError(`${this._where()} closed the connection after ${err.code}`));
  }

  /** Closes the client for good: every pending request, and every later
   * one, rejects with `err`. */
  _fail(err) {
    if (this.closed) return;
    this.closed = true;
    this._failure = err;
    clearTimeout(this._timer);
    this._socket.destroy();
    for (const p of this._pending.splice(0)) p.reject(err);
  }
}
