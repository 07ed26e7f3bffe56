// The real lede-searchd for the Node client's tests. Paths come from the
// environment (set by clients/run-tests.sh): LEDE_SEARCHD, LEDE_INDEXER and
// LEDE_SAMPLE. Every daemon runs under `timeout`, in a process group of its
// own, so none outlives a test run that was killed. `timeout` runs with
// --foreground so that our SIGTERM reaches the daemon once: without it,
// `timeout` passes a signal on to the daemon and then to its whole process
// group, and a second SIGTERM that lands while the daemon is tearing down its
// signal handlers kills it.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/* lede-searchd must log its port within this. */
const START_TIMEOUT_MS = 15_000;
/* lede-searchd must exit within this after SIGTERM. */
const STOP_TIMEOUT_MS = 10_000;
/* `timeout` kills any daemon after this many seconds. */
const DAEMON_LIFETIME_S = 300;
const SANITIZER_REPORTS = ['ERROR: AddressSanitizer', 'runtime error:', 'LeakSanitizer'];

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** lede-searchd refused a config key: the feature is not in this build. */
export class FeatureMissing extends Error {}

function envPath(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run the tests through clients/run-tests.sh)`);
  return v;
}

/** A temporary directory with the sample indexed into it. */
export class Workspace {
  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lede-nodeclient-'));
    this.index = this.path('index');
    execFileSync(envPath('LEDE_INDEXER'), ['--db', this.index, '--quiet', envPath('LEDE_SAMPLE')],
      { stdio: ['ignore', 'inherit', 'inherit'], timeout: 120_000 });
  }

  path(name) { return path.join(this.dir, name); }

  remove() { fs.rmSync(this.dir, { recursive: true, force: true }); }
}

let daemons = 0;
const live = new Set();
process.on('exit', () => { for (const p of live) killGroup(p); });

function killGroup(proc) {
  try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* gone already */ }
}

/** Starts a child in a process group of its own under `timeout`. */
function startChild(argv, logPath) {
  const fd = logPath ? fs.openSync(logPath, 'w') : 'ignore';
  const proc = spawn('timeout', ['--foreground', '-s', 'KILL', String(DAEMON_LIFETIME_S), ...argv],
    { stdio: ['ignore', fd, fd], detached: true });
  if (logPath) fs.closeSync(fd);
  live.add(proc);
  proc.on('exit', () => live.delete(proc));
  return proc;
}

/** lede-searchd on 127.0.0.1 with a free port; `opts` are key=value settings. */
export class Daemon {
  static async start(ws, { db, opts = [], threads = 2 } = {}) {
    const d = new Daemon();
    d.logPath = ws.path(`searchd-${++daemons}.log`);
    const argv = [envPath('LEDE_SEARCHD'), '--db', db ?? ws.index, '--listen', '127.0.0.1:0',
      '--threads', String(threads), '-o', 'http_listen=off', ...opts.flatMap((o) => ['-o', o])];
    d.proc = startChild(argv, d.logPath);
    d.port = await d._waitPort();
    return d;
  }

  async _waitPort() {
    const end = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < end) {
      const m = /\binfo: listening on 127\.0\.0\.1:(\d+)/.exec(this.log());
      if (m) return Number(m[1]);
      if (this.proc.exitCode !== null) {
        const unknown = /unknown key '([a-z_]+)'/.exec(this.log());
        if (unknown) throw new FeatureMissing(`lede-searchd refuses the config key '${unknown[1]}'`);
        throw new Error(`lede-searchd exited (${this.proc.exitCode}):\n${this.log()}`);
      }
      await sleep(20);
    }
    killGroup(this.proc);
    throw new Error(`lede-searchd did not log its port:\n${this.log()}`);
  }

  log() {
    try { return fs.readFileSync(this.logPath, 'utf8'); } catch { return ''; }
  }

  /** SIGTERM: the daemon must exit 0 with no sanitizer report. */
  async stop() {
    if (this.proc.exitCode !== null) throw new Error(`lede-searchd died early:\n${this.log()}`);
    const exited = new Promise((r) => this.proc.once('exit', (code, sig) => r(sig ? `signal ${sig}` : code)));
    this.proc.kill('SIGTERM');
    let timer;
    const late = new Promise((r) => { timer = setTimeout(() => r('no exit'), STOP_TIMEOUT_MS); });
    const status = await Promise.race([exited, late]);
    clearTimeout(timer); // or it would keep node running after the last test
    killGroup(this.proc);
    const log = this.log();
    if (status !== 0 || SANITIZER_REPORTS.some((r) => log.includes(r)))
      throw new Error(`lede-searchd exited with ${status}:\n${log.slice(-8000)}`);
  }
}

/** xapian-tcpsrv serving the sample index, and a stub database pointing at it. */
export class RemoteShard {
  static async start(ws) {
    const s = new RemoteShard();
    s.port = await freePort();
    s.proc = startChild(['xapian-tcpsrv', '--quiet', '--interface', '127.0.0.1',
      '--port', String(s.port), ws.index], null);
    await waitListening(s.port);
    s.stub = ws.path('remote.stub');
    fs.writeFileSync(s.stub, `remote 127.0.0.1:${s.port}\n`);
    return s;
  }

  async kill() {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    killGroup(this.proc);
    await exited;
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitListening(port) {
  const end = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < end) {
    const ok = await new Promise((r) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => { s.destroy(); r(true); });
      s.on('error', () => r(false));
    });
    if (ok) return;
    await sleep(20);
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}

/** A throwaway self-signed certificate for 127.0.0.1 and localhost: {cert, key}. */
export function makeCert(ws, name) {
  const cert = ws.path(`${name}.crt`);
  const key = ws.path(`${name}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout', key, '-out', cert], { stdio: 'ignore', timeout: 60_000 });
  return { cert, key };
}
