// The Node client against the real lede-searchd (harness.mjs), one suite at
// a time: `node run.mjs core|auth|tls`. core: every method, pipelining,
// timeouts, every error the daemon can produce, closing. auth and tls skip,
// naming the missing server feature, while lede-searchd refuses their
// config keys. Exit status: 0 passed, 1 failed, 77 skipped.
import assert from 'node:assert/strict';
import net from 'node:net';
import fs from 'node:fs';
import * as lede from '../src/index.js';
import { Daemon, FeatureMissing, RemoteShard, Workspace, makeCert, sleep } from './harness.mjs';

const MAX_LINE_BYTES = 4096;
const REQUEST_TIMEOUT_MS = 400;
const SKIPPED = 77;

class Skip extends Error {}

/** Runs `body` and checks it rejects with `cls` and protocol code `code`. */
async function rejectsWith(body, cls, code) {
  let err = null;
  try { await body(); } catch (e) { err = e; }
  assert.ok(err instanceof cls, `want ${cls.name}, got ${err && err.stack}`);
  if (code !== undefined) {
    assert.equal(err.code, code);
    assert.ok(err instanceof lede.ServerError && err instanceof lede.LedeError);
    assert.ok(err.serverMessage.length > 0);
  }
  return err;
}

/* ---- core -------------------------------------------------------------- */

async function coreSetup() {
  const ws = new Workspace();
  const daemon = await Daemon.start(ws, { opts: [`max_line_bytes=${MAX_LINE_BYTES}`, `request_timeout_ms=${REQUEST_TIMEOUT_MS}`] });
  return { ws, daemon, connect: (o = {}) => lede.connect({ port: daemon.port, ...o }) };
}

const core = {
  async ping({ connect }) {
    const c = await connect();
    assert.deepEqual(await c.ping(), { ok: true, pong: true });
    await c.close();
  },

  async searchFields({ connect }) {
    const c = await connect();
    const r = await c.search('water', { limit: 3, facets: ['source', 'year'], sort: 'date' });
    assert.ok(r.total > 3);
    assert.deepEqual(r.hits.map((h) => h.rank), [1, 2, 3]);
    const dates = r.hits.map((h) => h.date);
    assert.deepEqual(dates, [...dates].sort().reverse());
    assert.ok(r.hits[0].snippet.includes('\u0002'));
    assert.equal(Object.values(r.facets.source).reduce((a, b) => a + b, 0), r.total);
    assert.equal((await c.search('water', { limit: 3, offset: 3, sort: 'date' })).hits[0].rank, 4);
    const f = await c.search('water', { filter: { source: 'Harbor Wire', date: { from: '2022' } }, snippet: false, limit: 50 });
    assert.ok(f.total > 0);
    for (const h of f.hits) {
      assert.equal(h.source, 'Harbor Wire');
      assert.ok(h.date >= '2022' && !('snippet' in h));
    }
    assert.equal((await c.search('reservoir zzzqqq')).relaxed, true);
    assert.equal((await c.search('reservoir zzzqqq', { match: 'all' })).total, 0);
    assert.ok((await c.search('reservoir zzzqqq', { match: 'any' })).total > 0);
    assert.equal((await c.search('reservoyr', { spelling: 'suggest' })).suggestion, 'reservoir');
    assert.deepEqual((await c.search('reservoyr')).corrected, { q: 'reservoir', from: 'reservoyr' });
    assert.ok(!('suggestion' in await c.search('reservoyr', { suggest: false })));
    assert.equal((await c.search('', { limit: 0 })).total, 60);
    assert.equal((await c.search('water', { id: 'mine' })).id, 'mine');
    assert.ok(!('id' in await c.search('water')));
    await c.close();
  },

  async getSimilarSuggestStatsRaw({ connect }) {
    const c = await connect();
    const { doc } = await c.get('sample-001');
    assert.equal(doc.id, 'sample-001');
    assert.match(doc.title, /water restrictions/);
    const sim = await c.similar('sample-001', { limit: 4 });
    assert.equal(sim.hits.length, 4);
    assert.ok(!sim.hits.some((h) => h.id === 'sample-001'));
    const sug = await c.suggest('port cal');
    assert.ok(sug.suggestions.includes('port calder') && sug.titles.length > 0);
    const pings = (await c.stats()).requests.ping;
    assert.deepEqual(await c.raw('PING'), { ok: true, pong: true });
    const s = await c.raw(Buffer.from('STATS\r\n'));
    assert.equal(s.requests.ping, pings + 1);
    assert.equal(s.index.documents, 60);
    assert.deepEqual((await c.request('suggest', { q: 'wat', limit: 1 })).suggestions, ['water']);
    await rejectsWith(() => c.raw('PING\nPING'), TypeError); // replies would go out of step
    assert.equal((await c.ping()).pong, true);
    await c.close();
  },

  async hundredInFlight({ connect }) {
    const c = await connect();
    const words = ['water', 'reservoir', 'port', 'calder', 'drought'];
    const reqs = Array.from({ length: 100 }, (_, i) => ({ q: words[i % 5], limit: 1 + (i % 7), snippet: false }));
    // Count the replies that have arrived when all 100 are sent: none may
    // have, since nothing waits between the sends.
    let arrived = 0;
    const promises = reqs.map((r) => c.search(r.q, r).then((rep) => { arrived++; return rep; }));
    assert.equal(c._pending.length, 100);
    assert.equal(arrived, 0);
    const replies = await Promise.all(promises);
    for (const [i, rep] of replies.entries()) {
      const alone = await c.search(reqs[i].q, { limit: reqs[i].limit, snippet: false });
      assert.deepEqual(rep.hits.map((h) => h.id), alone.hits.map((h) => h.id), `request ${i}`);
    }
    const many = await c.sendMany(Array.from({ length: 3000 }, (_, i) => ({ op: 'suggest', q: 'wat', limit: 1, id: i })));
    assert.deepEqual(many.map((r) => r.id), Array.from({ length: 3000 }, (_, i) => i));
    await c.close();
  },

  async sendManyErrorsKeepStep({ connect }) {
    const c = await connect();
    const reqs = [{ op: 'get', doc: 'sample-002' }, { op: 'get', doc: 'nope' },
      { op: 'search', q: 'water', limit: 1000 }, { op: 'ping' }];
    await rejectsWith(() => c.sendMany(reqs), lede.NotFoundError, 'not_found');
    const got = await c.sendMany(reqs, { raiseOnError: false });
    assert.equal(got[0].doc.id, 'sample-002');
    assert.ok(got[1] instanceof lede.NotFoundError);
    assert.ok(got[2] instanceof lede.OverLimitError);
    assert.deepEqual(got[3], { ok: true, pong: true });
    assert.equal((await c.ping()).pong, true);
    await c.close();
  },

  async errorsThatKeepTheConnection({ connect }) {
    const c = await connect();
    const before = (await c.stats()).errors;
    await rejectsWith(() => c.raw('{"op":'), lede.BadJsonError, 'bad_json');
    const e = await rejectsWith(() => c.search('x', { limitt: 3 }), lede.BadRequestError, 'bad_request');
    assert.match(e.serverMessage, /limitt/);
    await rejectsWith(() => c.request('frobnicate'), lede.BadRequestError, 'bad_request');
    await rejectsWith(() => c.search('a*'), lede.BadQueryError, 'bad_query');
    await rejectsWith(() => c.search('x', { limit: 101 }), lede.OverLimitError, 'over_limit');
    await rejectsWith(() => c.raw(Buffer.from('SEARCH \xff\xfe', 'latin1')), lede.InvalidUtf8Error, 'invalid_utf8');
    await rejectsWith(() => c.raw('SEARCH a\0b'), lede.NulByteError, 'nul_byte');
    const nf = await rejectsWith(() => c.get('no-such-doc', { id: 'g1' }), lede.NotFoundError, 'not_found');
    assert.equal(nf.id, 'g1');
    assert.equal(c.closed, false);
    const after = (await c.stats()).errors;
    for (const [code, n] of [['bad_json', 1], ['bad_request', 2], ['bad_query', 1], ['over_limit', 1],
      ['invalid_utf8', 1], ['nul_byte', 1], ['not_found', 1]])
      assert.equal(after[code] - before[code], n, code);
    await c.close();
  },

  async lineTooLongCloses({ connect }) {
    const c = await connect();
    await rejectsWith(() => c.search('x'.repeat(MAX_LINE_BYTES)), lede.LineTooLongError, 'line_too_long');
    assert.equal(c.closed, true);
    await rejectsWith(() => c.ping(), lede.LedeConnectionError);
  },

  async requestTimeoutCloses({ connect }) {
    const c = await connect();
    c._socket.write('{"op":"pi'); // half a request, never finished
    await sleep(REQUEST_TIMEOUT_MS * 2);
    await rejectsWith(() => c.ping(), lede.ServerTimeoutError, 'timeout');
    assert.equal(c.closed, true);
  },

  async tooManyConnections({ ws }) {
    const d = await Daemon.start(ws, { opts: ['max_connections=2'] });
    try {
      const a = await lede.connect({ port: d.port });
      const b = await lede.connect({ port: d.port });
      await Promise.all([a.ping(), b.ping()]);
      const c = await lede.connect({ port: d.port });
      await rejectsWith(() => c.ping(), lede.TooManyConnectionsError, 'too_many_connections');
      assert.equal(c.closed, true);
      assert.equal((await a.stats()).connections.rejected, 1);
      await Promise.all([a.close(), b.close()]);
    } finally {
      await d.stop();
    }
  },

  // Through a remote shard (xapian-tcpsrv): searches work; once the shard is
  // gone the index cannot be read (unavailable). (errorClasses covers the
  // class of every other code, internal included.)
  async unavailable({ ws }) {
    const shard = await RemoteShard.start(ws);
    const d = await Daemon.start(ws, { db: shard.stub, threads: 1 });
    try {
      const c = await lede.connect({ port: d.port });
      assert.equal((await c.get('sample-001')).doc.id, 'sample-001');
      assert.ok((await c.search('water')).hits.length > 0);
      await shard.kill();
      await rejectsWith(() => c.get('sample-001'), lede.UnavailableError, 'unavailable');
      assert.equal((await c.ping()).pong, true);
      await c.close();
    } finally {
      await shard.kill();
      await d.stop();
    }
  },

  async errorClasses() {
    const e = lede.errorFromReply({ ok: false, error: { code: 'new_one', message: 'm' } });
    assert.equal(e.constructor, lede.ServerError);
    assert.equal(e.code, 'new_one');
    for (const [code, cls] of Object.entries(lede.ERRORS)) {
      const got = lede.errorFromReply({ ok: false, error: { code, message: '' } });
      assert.equal(got.constructor, cls);
      assert.equal(got.name, cls.name);
    }
    assert.equal(Object.keys(lede.ERRORS).length, 14);
  },

  async connectionRefused() {
    const port = await new Promise((r) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); });
    });
    const e = await rejectsWith(() => lede.connect({ port, timeout: 5000 }), lede.LedeConnectionError);
    assert.ok(!(e instanceof lede.LedeTimeoutError));
    assert.equal(e.cause.code, 'ECONNREFUSED');
  },

  async timeoutOnSilentServer() {
    const silent = net.createServer(() => {}); // accepts, never answers
    await new Promise((r) => silent.listen(0, '127.0.0.1', r));
    const held = [];
    silent.on('connection', (s) => held.push(s));
    try {
      const c = await lede.connect({ port: silent.address().port, timeout: 300 });
      const t0 = Date.now();
      const both = [c.ping(), c.stats()]; // both in flight, both fail
      await rejectsWith(() => both[0], lede.LedeTimeoutError);
      await rejectsWith(() => both[1], lede.LedeTimeoutError);
      const took = Date.now() - t0;
      assert.ok(took >= 290 && took < 3000, `took ${took} ms`);
      assert.equal(c.closed, true);
    } finally {
      for (const s of held) s.destroy();
      silent.close();
    }
  },

  async serverClosingMidway() {
    const srv = net.createServer((s) => s.once('data', () => s.end('{"ok":tr')));
    await new Promise((r) => srv.listen(0, '127.0.0.1', r));
    try {
      const c = await lede.connect({ port: srv.address().port, timeout: 5000 });
      const e = await rejectsWith(() => c.ping(), lede.LedeConnectionError);
      assert.match(e.message, /closed/);
    } finally {
      srv.close();
    }
  },

  async cleanClose({ connect }) {
    const watch = await connect();
    const s0 = await settled(watch);
    const c = await connect();
    await c.ping();
    await c.close();
    assert.equal(c.closed, true);
    await c.close(); // idempotent
    await rejectsWith(() => c.ping(), lede.LedeConnectionError);
    const s1 = await settled(watch);
    assert.equal(s1.connections.current, 1);
    assert.equal(s1.requests.quit, s0.requests.quit + 1);
    assert.equal(s1.connections.total, s0.connections.total + 1);
    await watch.close();
  },
};

/** STATS once every connection but `watch` is counted out (the server does
 * that just after a connection's last reply). */
async function settled(watch) {
  for (const end = Date.now() + 5000; ;) {
    const s = await watch.stats();
    if (s.connections.current === 1 || Date.now() > end) return s;
    await sleep(10);
  }
}

/* ---- auth -------------------------------------------------------------- */

const TOKEN = 's3cret-token';
const AUTH_FAIL_DELAY_MS = 200;

async function authSetup() {
  const ws = new Workspace();
  try {
    const daemon = await Daemon.start(ws, { opts: [`auth_token=${TOKEN}`, `auth_fail_delay_ms=${AUTH_FAIL_DELAY_MS}`] });
    return { ws, daemon };
  } catch (e) {
    ws.remove();
    if (e instanceof FeatureMissing)
      throw new Skip(`${e.message}: the server side of issue 15 auth (auth_token) is not in this lede-searchd yet`);
    throw e;
  }
}

const auth = {
  async tokenOpens({ daemon }) {
    const c = await lede.connect({ port: daemon.port, token: TOKEN });
    assert.ok((await c.search('water', { limit: 1 })).total > 0);
    assert.equal((await c.get('sample-001')).doc.id, 'sample-001');
    await c.close();
  },

  async noToken({ daemon }) {
    const c = await lede.connect({ port: daemon.port });
    assert.equal((await c.ping()).pong, true); // allowed before auth
    await rejectsWith(() => c.search('water'), lede.AuthRequiredError, 'auth_required');
    await rejectsWith(() => c.stats(), lede.AuthRequiredError, 'auth_required');
    assert.equal(c.closed, false);
    await c.request('auth', { token: TOKEN });
    assert.equal((await c.stats()).ok, true);
    await c.close();
  },

  async wrongToken({ daemon }) {
    const watch = await lede.connect({ port: daemon.port, token: TOKEN });
    const failures = (await watch.stats()).auth_failures;
    const t0 = Date.now();
    await rejectsWith(() => lede.connect({ port: daemon.port, token: 'wrong' }), lede.AuthFailedError, 'auth_failed');
    assert.ok(Date.now() - t0 >= AUTH_FAIL_DELAY_MS * 0.9, 'failures are answered late');
    assert.equal((await watch.stats()).auth_failures, failures + 1);
    await watch.close();
  },

  // A client with a token works against a server without one.
  async tokenAgainstOpenServer() {
    const ws = new Workspace();
    const d = await Daemon.start(ws);
    try {
      const c = await lede.connect({ port: d.port, token: 'any' });
      assert.ok((await c.search('water')).total > 0);
      await c.close();
    } finally {
      await d.stop();
      ws.remove();
    }
  },

  async authField({ daemon }) {
    const c = await lede.connect({ port: daemon.port });
    assert.equal((await c.search('water', { auth: TOKEN })).ok, true);
    assert.equal((await c.search('water')).ok, true); // stays authenticated
    await c.close();
  },

  async threeFailuresClose({ daemon }) {
    const c = await lede.connect({ port: daemon.port, timeout: 30_000 });
    for (let i = 0; i < 3; i++)
      await rejectsWith(() => c.request('auth', { token: 'nope' }), lede.AuthFailedError, 'auth_failed');
    await rejectsWith(() => c.ping(), lede.LedeConnectionError);
  },

  async tokenFile({ ws }) {
    fs.writeFileSync(ws.path('token'), 'from-a-file\n');
    const d = await Daemon.start(ws, { opts: [`auth_token_file=${ws.path('token')}`, `auth_fail_delay_ms=${AUTH_FAIL_DELAY_MS}`] });
    try {
      const c = await lede.connect({ port: d.port, token: 'from-a-file' });
      assert.equal((await c.stats()).ok, true);
      await c.close();
      await rejectsWith(() => lede.connect({ port: d.port, token: TOKEN }), lede.AuthFailedError, 'auth_failed');
    } finally {
      await d.stop();
    }
  },
};

/* ---- tls --------------------------------------------------------------- */

async function tlsSetup() {
  const ws = new Workspace();
  const server = makeCert(ws, 'server');
  const other = makeCert(ws, 'other');
  try {
    const daemon = await Daemon.start(ws, { opts: [`tls_cert=${server.cert}`, `tls_key=${server.key}`] });
    return { ws, daemon, server, other };
  } catch (e) {
    ws.remove();
    if (e instanceof FeatureMissing)
      throw new Skip(`${e.message}: the server side of issue 15 TLS (tls_cert, tls_key) is not in this lede-searchd yet`);
    throw e;
  }
}

const tlsTests = {
  async verified({ daemon, server }) {
    for (const host of ['127.0.0.1', 'localhost']) {
      const c = await lede.connect({ host, port: daemon.port, tls: true, cafile: server.cert });
      assert.equal((await c.ping()).pong, true);
      assert.ok((await c.search('water')).total > 0);
      assert.equal((await c.sendMany(Array(100).fill({ op: 'ping' }))).length, 100);
      await c.close();
    }
  },

  async wrongCaRefused({ daemon, other }) {
    const e = await rejectsWith(() => lede.connect({ port: daemon.port, cafile: other.cert }), lede.LedeConnectionError);
    assert.match(e.message, /certificate/i);
  },

  async plainClientGetsNothing({ daemon }) {
    await rejectsWith(async () => {
      const c = await lede.connect({ port: daemon.port, timeout: 3000 });
      await c.ping();
    }, lede.LedeConnectionError);
  },

  async tlsClientAgainstPlainServer({ server }) {
    const ws = new Workspace();
    const d = await Daemon.start(ws, { opts: ['request_timeout_ms=300'] });
    try {
      await rejectsWith(() => lede.connect({ port: d.port, cafile: server.cert, timeout: 5000 }), lede.LedeConnectionError);
    } finally {
      await d.stop();
      ws.remove();
    }
  },

  async tlsWithToken({ ws, server }) {
    const d = await Daemon.start(ws, { opts: [`tls_cert=${server.cert}`, `tls_key=${server.key}`,
      `auth_token=${TOKEN}`, 'tls_min_version=1.3'] });
    try {
      const c = await lede.connect({ port: d.port, ca: fs.readFileSync(server.cert), token: TOKEN });
      assert.equal((await c.get('sample-001')).doc.id, 'sample-001');
      await c.close();
      const anon = await lede.connect({ port: d.port, cafile: server.cert });
      await rejectsWith(() => anon.search('water'), lede.AuthRequiredError, 'auth_required');
      await anon.close();
      // tls_min_version = 1.3: a client that stops at 1.2 is refused.
      await rejectsWith(() => lede.connect({ port: d.port, cafile: server.cert, token: TOKEN,
        tlsOptions: { maxVersion: 'TLSv1.2' } }), lede.LedeConnectionError);
    } finally {
      await d.stop();
    }
  },
};

/* ---- the runner -------------------------------------------------------- */

const SUITES = { core: [coreSetup, core], auth: [authSetup, auth], tls: [tlsSetup, tlsTests] };

async function main(name) {
  if (!SUITES[name]) {
    console.error('usage: node run.mjs core|auth|tls');
    return 2;
  }
  const [setup, tests] = SUITES[name];
  let ctx;
  try {
    ctx = await setup();
  } catch (e) {
    if (e instanceof Skip) {
      console.log(`SKIP: ${e.message}`);
      return SKIPPED;
    }
    throw e;
  }
  let failed = 0;
  for (const [test, body] of Object.entries(tests)) {
    const t0 = Date.now();
    try {
      await body(ctx);
      console.log(`ok   ${name}.${test} (${Date.now() - t0} ms)`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name}.${test}: ${e.stack}`);
    }
  }
  try {
    await ctx.daemon.stop();
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: stopping lede-searchd: ${e.message}`);
  }
  ctx.ws.remove();
  console.log(`${Object.keys(tests).length} tests, ${failed} failed`);
  return failed ? 1 : 0;
}

process.exitCode = await main(process.argv[2]);
