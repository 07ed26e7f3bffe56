// The search page in a real browser: headless Chromium, driven by
// playwright-core, against the real lede-searchd serving an index that
// lede-indexer built from data/sample (plus one hostile article made here).
// tests/browser/run.sh installs what this needs and runs it:
//
//   node search.test.mjs --searchd PATH --indexer PATH --sample DIR --web DIR
//                        --out DIR --modules DIR [--chromium PATH]
//
// Screenshots go to --out (browser-*.png), with browser-failure.png and the
// daemon's log when a step fails. Exit status: 0 all passed, 1 a failure.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

/* The whole run, daemon and browser included, must end within this. */
const RUN_DEADLINE_MS = 180_000;
/* Any one wait on the page (an element, a URL). */
const STEP_TIMEOUT_MS = 10_000;
/* lede-searchd must log its HTTP port within this. */
const START_TIMEOUT_MS = 15_000;
/* lede-searchd must exit within this after SIGTERM. */
const STOP_TIMEOUT_MS = 10_000;
/* Whatever happens, `timeout` kills the daemon after this many seconds, so
 * that no daemon outlives a test that was killed itself. */
const DAEMON_LIFETIME_S = 300;

const PAGE_SIZE = 10;

/* ---- arguments ----------------------------------------------------------- */

function parseArgs(argv) {
  const a = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) usage(`bad argument: ${argv[i]}`);
    a[argv[i].slice(2)] = argv[i + 1];
  }
  for (const k of ['searchd', 'indexer', 'sample', 'web', 'out', 'modules'])
    if (!a[k]) usage(`missing --${k}`);
  a.chromium ||= '/usr/bin/chromium';
  return a;
}

function usage(msg) {
  console.error(`search.test.mjs: ${msg}\nusage: node search.test.mjs --searchd PATH --indexer PATH --sample DIR --web DIR --out DIR --modules DIR [--chromium PATH]`);
  process.exit(2);
}

const args = parseArgs(process.argv.slice(2));
const require = createRequire(path.join(path.resolve(args.modules), 'resolve.js'));
const { chromium } = require('playwright-core');

/* ---- the daemon ----------------------------------------------------------- */

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lede-browser-'));
const logPath = path.join(tmp, 'searchd.log');
let daemon = null;
let browser = null;

/* The daemon and the `timeout` above it are a process group of their own. */
function killDaemon() {
  if (!daemon || daemon.exitCode !== null || daemon.signalCode !== null) return;
  try { process.kill(-daemon.pid, 'SIGKILL'); } catch { /* gone already */ }
}

function cleanup() {
  killDaemon();
  fs.rmSync(tmp, { recursive: true, force: true });
}

process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'])
  process.on(sig, () => { console.error(`browser test: ${sig}, stopping`); process.exit(1); });

/* Articles that try to inject markup and script through every field the
 * page shows; they must come out as text. */
const HOSTILE = [{
  id: 'hostile-1',
  title: 'Hostile headline <img src=x onerror="window.__ledeInjected=\'title\'"> & <b>bold</b> claims',
  body: 'The hostile body has <script>window.__ledeInjected="body"</script> in it.\n\n' +
        'A second paragraph with <iframe src="javascript:window.__ledeInjected=1"></iframe> and &amp; entities.',
  author: '<b onmouseover="window.__ledeInjected=\'author\'">Mallory</b>',
  source: 'Harbor Wire',
  category: 'Technology',
  date: '2021-01-04',
  tags: ['<svg onload=window.__ledeInjected=1>'],
  url: 'javascript:window.__ledeInjected="url"',
  language: 'en',
}];

/* The day n days before today, YYYY-MM-DD (UTC). */
const daysAgo = (n) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/* The newest article in the index: 60 days old, so that the page's "past
 * day", "past week" and "past month" count back from it (an archive) and
 * "past year" from today. It has no url (no "Read the original" link). */
const RECENT = {
  id: 'recent-1',
  title: 'Harbor ferry moves to its winter timetable',
  body: 'The harbor ferry will sail every forty minutes from Monday, down from every twenty, as the winter timetable begins.',
  source: 'Harbor Wire',
  category: 'Transport',
  date: daysAgo(60),
  places: ['Harbor Point'],
  language: 'en',
};

/* The daemon's max_timeline_buckets in this test: fewer months than the
 * ALMANAC articles span, more than the rest of the index has. */
const MAX_TIMELINE_BUCKETS = 100;
/* An article a month from January 1980 to February 1989 (110 months), for
 * a timeline of more months than the daemon gives. */
const ALMANAC = Array.from({ length: 110 }, (_, i) => ({
  id: `almanac-${i + 1}`,
  title: `Almanac for ${1980 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
  body: 'The almanac lists the tides and the phases of the moon for the month.',
  date: `${1980 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-15`,
  language: 'en',
}));

/* An article without a headline: lede-indexer makes one from its first
 * sentence and marks it title_from_body. */
const UNTITLED = {
  id: 'untitled-1',
  body: 'Harbour pilots walked off the job on Monday over new rosters. The strike halted the ferries for the day.',
  source: 'Harbor Wire',
  date: '2022-05-03',
  language: 'en',
};

function buildIndex() {
  const db = path.join(tmp, 'index');
  const hostile = path.join(tmp, 'hostile.jsonl');
  fs.writeFileSync(hostile, [...HOSTILE, RECENT, UNTITLED, ...ALMANAC].map((a) => JSON.stringify(a)).join('\n') + '\n');
  execFileSync(args.indexer, ['--db', db, '--quiet', args.sample, hostile], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 60_000 });
  return db;
}

async function startDaemon(db) {
  const log = fs.openSync(logPath, 'w');
  daemon = spawn('timeout', ['-s', 'KILL', String(DAEMON_LIFETIME_S), args.searchd, '--db', db,
    '--listen', '127.0.0.1:0', '-o', 'http_listen=127.0.0.1:0', '-o', `http_root=${path.resolve(args.web)}`,
    '-o', `max_timeline_buckets=${MAX_TIMELINE_BUCKETS}`],
  { stdio: ['ignore', log, log], detached: true });
  fs.closeSync(log);
  const end = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < end) {
    const m = /http listening on 127\.0\.0\.1:(\d+)/.exec(fs.readFileSync(logPath, 'utf8'));
    if (m) return `http://127.0.0.1:${m[1]}`;
    if (daemon.exitCode !== null) break;
    await sleep(25);
  }
  throw new Error(`lede-searchd did not log "http listening on 127.0.0.1:PORT":\n${readLog()}`);
}

/* Stops the daemon with SIGTERM: it must exit 0 and its log must hold no
 * sanitizer report. The daemon runs under `timeout`, which passes the
 * signal on and exits with the daemon's status. */
async function stopDaemon() {
  const exited = new Promise((resolve) => daemon.once('exit', (code, sig) => resolve(sig ? `signal ${sig}` : code)));
  daemon.kill('SIGTERM');
  const status = await Promise.race([exited, sleep(STOP_TIMEOUT_MS).then(() => 'no exit')]);
  const log = readLog();
  if (status !== 0) throw new Error(`lede-searchd did not stop cleanly on SIGTERM (${status}):\n${log}`);
  for (const report of ['ERROR: AddressSanitizer', 'runtime error:', 'LeakSanitizer'])
    if (log.includes(report)) throw new Error(`sanitizer report in the lede-searchd log:\n${log}`);
}

const readLog = () => { try { return fs.readFileSync(logPath, 'utf8').slice(-8000); } catch { return '(no log)'; } };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* ---- checks --------------------------------------------------------------- */

class Failure extends Error {}
function check(cond, what) {
  if (!cond) throw new Failure(what);
}
function checkEq(got, want, what) {
  if (got !== want) throw new Failure(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}

/* The JSON of an API call, straight from the daemon (to compare the page with). */
async function apiGet(base, pathAndQuery) {
  const res = await fetch(base + pathAndQuery);
  const body = await res.json();
  check(body.ok === true, `${pathAndQuery}: ${JSON.stringify(body)}`);
  return body;
}

/* What the results list shows. */
async function shown(page) {
  return page.evaluate(() => ({
    total: document.getElementById('result-count').dataset.total,
    ids: [...document.querySelectorAll('#results .hit-title a')].map((a) => new URL(a.href).searchParams.get('doc')),
    titles: [...document.querySelectorAll('#results .hit-title')].map((e) => e.textContent),
    dates: [...document.querySelectorAll('#results .hit time')].map((t) => t.getAttribute('datetime')),
    sources: [...document.querySelectorAll('#results .hit .source')].map((e) => e.textContent),
  }));
}

/* Waits until the results show the current URL (the page marks the URL it
 * rendered in data-for) and nothing is loading. */
async function settled(page) {
  await page.waitForFunction(() => {
    const r = document.getElementById('results');
    return r.dataset.for === location.search && r.getAttribute('aria-busy') === 'false';
  }, null, { timeout: STEP_TIMEOUT_MS });
}

/* The same for the article view. */
async function docShown(page) {
  await page.waitForFunction(() => {
    const d = document.getElementById('doc-view');
    return !d.hidden && d.dataset.for === location.search && d.getAttribute('aria-busy') === 'false';
  }, null, { timeout: STEP_TIMEOUT_MS });
}

async function search(page, q) {
  await page.fill('#q', q);
  await page.press('#q', 'Enter');
  await page.waitForFunction((want) => new URLSearchParams(location.search).get('q') === want, q.trim(), { timeout: STEP_TIMEOUT_MS });
  await settled(page);
}

/* Types text into the empty search box and waits for the suggestions for
 * all of it (those for a shorter prefix may show first). */
async function typeAndSuggest(page, text) {
  await page.fill('#q', '');
  await page.focus('#q');
  await page.keyboard.type(text, { delay: 30 });
  await page.waitForFunction((t) => {
    const list = document.getElementById('suggestions');
    return !list.hidden && list.dataset.for === t && list.querySelector('[role="option"]');
  }, text, { timeout: STEP_TIMEOUT_MS });
}

/* Nothing injected: no flag set by a script, no CSP violation (an inline
 * handler that reached the DOM), no element that the page does not make. */
async function checkNothingInjected(page, where) {
  const r = await page.evaluate(() => ({
    flag: window.__ledeInjected,
    violations: window.__ledeCspViolations,
    scripts: [...document.scripts].map((s) => s.getAttribute('src')),
    foreign: document.querySelectorAll('main img, main iframe, main b, main i, main script, #suggestions img, #suggestions iframe, #suggestions .suggestion-title b').length,
    handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length,
    jsLinks: [...document.querySelectorAll('a[href]')].filter((a) => /^\s*javascript:/i.test(a.getAttribute('href'))).length,
  }));
  checkEq(r.flag, null, `${where}: a script ran`);
  checkEq(r.violations.join(','), '', `${where}: CSP violations`);
  checkEq(r.scripts.join(','), 'app.js', `${where}: scripts on the page`);
  checkEq(r.foreign, 0, `${where}: injected elements`);
  checkEq(r.handlers, 0, `${where}: elements with inline event handlers`);
  checkEq(r.jsLinks, 0, `${where}: javascript: links`);
}

/* ---- the steps ------------------------------------------------------------ */

const steps = [];
const step = (name, fn) => steps.push({ name, fn });

step('the page loads with the latest news, newest first', async ({ page, base }) => {
  await page.goto(base + '/');
  await settled(page);
  const all = await apiGet(base, '/search?limit=0');
  const s = await shown(page);
  checkEq(s.total, String(all.total), 'total of every article');
  checkEq(s.ids.length, PAGE_SIZE, 'hits on the first page');
  checkEq(await page.textContent('#results-heading'), 'Latest news', 'heading');
  const sorted = [...s.dates].sort().reverse();
  checkEq(s.dates.join(), sorted.join(), 'newest first');
  checkEq(await page.title(), 'lede · news search', 'title');
});

step('keyboard: skip link first, "/" focuses the search box', async ({ page }) => {
  await page.keyboard.press('Tab');
  checkEq(await page.evaluate(() => document.activeElement.className), 'skip-link', 'first Tab stop');
  check(await page.isVisible('.skip-link'), 'the skip link shows when focused');
  await page.keyboard.press('Escape');
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('/');
  checkEq(await page.evaluate(() => document.activeElement.id), 'q', 'focus after "/"');
});

step('suggestions as you type; arrow keys and Enter choose one', async ({ page, base }) => {
  await typeAndSuggest(page, 'desal');
  const want = await apiGet(base, '/suggest?q=desal&limit=6');
  const texts = await page.$$eval('#suggestions [role="option"]', (o) => o.map((e) => e.textContent));
  check(want.suggestions.includes('desalination'), 'the daemon suggests "desalination" for "desal"');
  check(texts.some((t) => t.includes('desalination')), `a suggestion completes the word: ${texts}`);
  check(texts.some((t) => t.includes(want.titles[0].title)), 'the best article is suggested by title');
  checkEq(await page.getAttribute('#q', 'aria-expanded'), 'true', 'aria-expanded when open');
  await page.keyboard.press('Escape');
  check(await page.isHidden('#suggestions'), 'Escape closes the suggestions');

  /* Several words: the last one is completed, the others kept once. */
  await typeAndSuggest(page, 'port cal');
  const words = await page.$$eval('#suggestions .suggestion-word', (o) => o.map((e) => e.textContent.slice(1)));
  check(words.includes('port calder'), `"port calder" suggested: ${words}`);
  check(words.every((w) => /^port cal\S*$/.test(w)), `each suggestion completes the last word once: ${words}`);
  await page.keyboard.press('Escape');
  await typeAndSuggest(page, 'desal');
  await page.keyboard.press('Escape');
  checkEq(await page.getAttribute('#q', 'aria-expanded'), 'false', 'aria-expanded when closed');
  await page.keyboard.press('ArrowDown'); /* opens them again */
  await page.waitForSelector('#suggestions[data-for="desal"]:not([hidden]) [role="option"]', { timeout: STEP_TIMEOUT_MS });
  await page.keyboard.press('ArrowDown');
  const active = await page.getAttribute('#q', 'aria-activedescendant');
  check(active, 'ArrowDown marks an option active');
  checkEq(await page.getAttribute(`#${active}`, 'aria-selected'), 'true', 'the active option is selected');
  checkEq(await page.textContent(`#${active}`), '⌕desalination', 'the first option');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === 'desalination', null, { timeout: STEP_TIMEOUT_MS });
  await settled(page);
  const s = await shown(page);
  const api = await apiGet(base, '/search?q=desalination&limit=0');
  checkEq(s.total, String(api.total), 'total for the chosen suggestion');
  check(api.total > 0 && s.ids.length > 0, 'results for "desalination"');
  const marks = await page.$$eval('#results .snippet mark', (m) => m.map((e) => e.textContent.toLowerCase()));
  check(marks.some((m) => m.startsWith('desalinat')), `matches highlighted: ${marks}`);
});

step('results show title, source, date, byline, snippet; a facet narrows them', async ({ page, base, out }) => {
  await search(page, 'water');
  const before = await shown(page);
  const api = await apiGet(base, '/search?q=water&limit=0');
  checkEq(before.total, String(api.total), 'total for "water"');
  check(api.total > PAGE_SIZE, 'more than a page of results for "water"');
  checkEq(await page.textContent('#results-heading'), 'Results for “water”', 'heading');
  check(/\d+(\.\d)? ms/.test(await page.textContent('#result-count')), 'took_ms shown');
  check(await page.$$eval('#results .hit time', (t) => t.every((e) => /^[A-Z][a-z]{2} \d{1,2}, \d{4}$/.test(e.textContent))), 'human-readable dates');
  check((await page.$$('#results .hit .byline')).length > 0, 'bylines');
  check((await page.$$('#results .hit .snippet mark')).length > 0, 'highlighted snippets');
  await page.screenshot({ path: path.join(out, 'browser-results.png'), fullPage: true });

  const facet = await page.$eval('#facet-source input', (i) => ({ value: i.dataset.value, count: Number(i.closest('label').querySelector('.facet-count').dataset.count) }));
  check(facet.count > 0 && facet.count < api.total, `the first source facet narrows: ${JSON.stringify(facet)}`);
  await page.click(`#facet-source label:has(input[data-value="${facet.value}"])`);
  await page.waitForFunction((v) => new URLSearchParams(location.search).getAll('source').includes(v), facet.value, { timeout: STEP_TIMEOUT_MS });
  await settled(page);
  const after = await shown(page);
  checkEq(after.total, String(facet.count), 'total after the facet equals its count');
  checkEq(after.ids.length, Math.min(facet.count, PAGE_SIZE), 'hits after the facet');
  check(after.sources.every((src) => src === facet.value), `every hit from ${facet.value}: ${after.sources}`);
  check(await page.isChecked(`#facet-source input[data-value="${facet.value}"]`), 'the facet stays checked');
  check((await page.textContent('#active-filters')).includes(facet.value), 'an active-filter chip');

  /* The same with the keyboard: the checkbox keeps the focus. */
  const year = await page.$eval('#facet-year input:not(:checked)', (i) => i.dataset.value);
  await page.focus(`#facet-year input[data-value="${year}"]`);
  await page.keyboard.press('Space');
  await page.waitForFunction((y) => new URLSearchParams(location.search).get('from') === `${y}-01-01`, year, { timeout: STEP_TIMEOUT_MS });
  await settled(page);
  const focused = await page.evaluate(() => document.activeElement.dataset.value);
  checkEq(focused, year, 'focus stays on the facet after the keyboard toggles it');
  const narrowed = await apiGet(base, `/search?q=water&source=${encodeURIComponent(facet.value)}&from=${year}-01-01&to=${year}-12-31&limit=0`);
  checkEq((await shown(page)).total, String(narrowed.total), 'total with source and year');
  checkEq(await page.inputValue('#from'), `${year}-01-01`, 'the year sets the date range');

  /* Back twice: the URL is the state. */
  await page.goBack();
  await page.goBack();
  await settled(page);
  checkEq((await shown(page)).ids.join(), before.ids.join(), 'back to the unfiltered results');
  check(!(await page.isChecked(`#facet-source input[data-value="${facet.value}"]`)), 'the facet is unchecked again');
});

step('paging shows the next results; back returns', async ({ page }) => {
  const first = await shown(page);
  await page.click('#pager a[rel="next"]');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('page') === '2', null, { timeout: STEP_TIMEOUT_MS });
  await settled(page);
  const second = await shown(page);
  check(second.ids.length > 0, 'hits on page 2');
  check(second.ids.every((id) => !first.ids.includes(id)), 'page 2 shows different articles');
  checkEq(await page.textContent('#pager [aria-current="page"]'), '2', 'current page marked');
  checkEq(await page.evaluate(() => document.activeElement.id), 'results-heading', 'focus moves to the results');
  await page.click('#pager a[aria-label="Page 1"]');
  await page.waitForFunction(() => !new URLSearchParams(location.search).has('page'), null, { timeout: STEP_TIMEOUT_MS });
  await settled(page);
  checkEq((await shown(page)).ids.join(), first.ids.join(), 'page 1 again');
  await page.goBack();
  await settled(page);
  checkEq((await shown(page)).ids.join(), second.ids.join(), 'back shows page 2');
  await page.goForward();
  await settled(page);
});

step('sort by newest and oldest', async ({ page }) => {
  await page.selectOption('#sort', 'newest');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('sort') === 'newest', null, { timeout: STEP_TIMEOUT_MS });
  await settled(page);
  const newest = (await shown(page)).dates;
  check(newest.length > 1, 'dated hits');
  checkEq(newest.join(), [...newest].sort().reverse().join(), 'newest first');
  await page.selectOption('#sort', 'oldest');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('sort') === 'oldest', null, { timeout: STEP_TIMEOUT_MS });
  await settled(page);
  const oldest = (await shown(page)).dates;
  checkEq(oldest.join(), [...oldest].sort().join(), 'oldest first');
  check(oldest[0] < newest[0], 'the orders differ');
});

step('a date range from the date inputs', async ({ page, base }) => {
  await page.fill('#from', '2022-03-01');
  await page.fill('#to', '2023-06-30');
  await page.click('#date-form button[type="submit"]');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('to') === '2023-06-30', null, { timeout: STEP_TIMEOUT_MS });
  await settled(page);
  const api = await apiGet(base, '/search?q=water&from=2022-03-01&to=2023-06-30&limit=0');
  const s = await shown(page);
  checkEq(s.total, String(api.total), 'total within the dates');
  check(s.dates.every((d) => d.slice(0, 10) >= '2022-03-01' && d.slice(0, 10) <= '2023-06-30'), `dates within the range: ${s.dates}`);
  check((await page.textContent('#active-filters')).includes('Date:'), 'a date chip');
  await page.click('#clear-dates');
  await page.waitForFunction(() => !new URLSearchParams(location.search).has('from'), null, { timeout: STEP_TIMEOUT_MS });
  await settled(page);
  checkEq(await page.inputValue('#from'), '', 'the dates cleared');
});

step('place, author and tag facets narrow the results; "show more"', async ({ page, base }) => {
  await page.goto(`${base}/?q=water`);
  await settled(page);
  for (const name of ['place', 'author', 'tag']) {
    check(await page.isVisible(`#facet-${name}`), `a ${name} facet`);
    const api = await apiGet(base, `/search?q=water&limit=0&facets=${name}`);
    const shownValues = await page.$$eval(`#facet-${name} input`, (i) => i.map((e) => [e.dataset.value, Number(e.closest('label').querySelector('.facet-count').dataset.count)]));
    check(shownValues.length > 0, `${name} values shown`);
    for (const [v, n] of shownValues) checkEq(n, api.facets[name][v], `${name} ${v} count`);
  }
  /* A place narrows to its count, and shows as a chip. */
  const place = await page.$eval('#facet-place input', (i) => ({ value: i.dataset.value, count: i.closest('label').querySelector('.facet-count').dataset.count }));
  await page.click(`#facet-place label:has(input[data-value="${place.value}"])`);
  await page.waitForFunction((v) => new URLSearchParams(location.search).get('place') === v, place.value);
  await settled(page);
  checkEq((await shown(page)).total, place.count, 'total after a place');
  check((await page.textContent('#active-filters')).includes(`Place: ${place.value}`), 'a place chip');
  /* An author on top: both filters hold. */
  const author = await page.$eval('#facet-author input', (i) => i.dataset.value);
  await page.click(`#facet-author label:has(input[data-value="${author}"])`);
  await page.waitForFunction((v) => new URLSearchParams(location.search).get('author') === v, author);
  await settled(page);
  const both = await apiGet(base, `/search?q=water&place=${encodeURIComponent(place.value)}&author=${encodeURIComponent(author)}&limit=0`);
  checkEq((await shown(page)).total, String(both.total), 'total with a place and an author');
  check(await page.isChecked(`#facet-author input[data-value="${author}"]`), 'the author stays checked');
  /* "Show more" lists the rest of a long facet, with the keyboard. */
  await page.goto(`${base}/?q=water`);
  await settled(page);
  const before = await page.$$eval('#facet-tag input', (i) => i.length);
  await page.focus('#facet-tag .facet-more');
  checkEq(await page.getAttribute('#facet-tag .facet-more', 'aria-expanded'), 'false', 'collapsed');
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => document.querySelectorAll('#facet-tag input').length > n, before);
  checkEq(await page.getAttribute('#facet-tag .facet-more', 'aria-expanded'), 'true', 'expanded');
  checkEq(await page.evaluate(() => document.activeElement.classList.contains('facet-more')), true, 'focus stays on the button');
});

/* The expected dates of a preset, worked out here as a reader would:
 * back from today, or from the newest article when that is older than the
 * window. */
function presetRange(range, newestDay) {
  const today = new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z');
  const back = (d) => {
    const y = d.getUTCFullYear(), m = d.getUTCMonth(), day = d.getUTCDate();
    if (range === 'week') return new Date(Date.UTC(y, m, day - 7));
    if (range === 'day') return new Date(Date.UTC(y, m, day - 1));
    const [ty, tm] = range === 'month' ? [y, m - 1] : [y - 1, m];
    return new Date(Date.UTC(ty, tm, Math.min(day, new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate())));
  };
  const newest = new Date(newestDay + 'T00:00:00Z');
  const anchor = newest < back(today) ? newest : today;
  const iso = (d) => d.toISOString().slice(0, 10);
  return { from: iso(back(anchor)), to: iso(anchor), fromNewest: anchor === newest };
}

step('date presets: an archive counts back from its newest article', async ({ page, base }) => {
  await page.goto(base + '/');
  await settled(page);
  const newest = (await apiGet(base, '/search?limit=1&sort=date')).hits[0];
  checkEq(newest.id, RECENT.id, 'the newest article');
  const week = presetRange('week', RECENT.date);
  check(week.fromNewest, 'the newest article is older than a week');
  await page.click('.preset:has(input[value="week"])');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('range') === 'week');
  await settled(page);
  const api = await apiGet(base, `/search?from=${week.from}&to=${week.to}&limit=0`);
  check(api.total >= 1, `articles in the archive's last week: ${JSON.stringify(week)}`);
  checkEq((await shown(page)).total, String(api.total), 'total in the past week of the archive');
  checkEq((await shown(page)).ids[0], RECENT.id, 'the newest article first');
  checkEq(await page.inputValue('#from'), week.from, 'the from field shows the preset');
  checkEq(await page.inputValue('#to'), week.to, 'the to field shows the preset');
  check(await page.isVisible('#date-anchor'), 'the page says what the preset counts back from');
  check((await page.textContent('#date-anchor')).includes('newest article'), 'the anchor note');
  check((await page.textContent('#active-filters')).includes('Date: Past week to '), 'a date chip');

  /* Arrow keys move between presets; each searches. "Past year" reaches
   * back from today, since the newest article is within it. */
  await page.focus('.preset input[value="week"]');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('range') === 'month');
  await settled(page);
  checkEq(await page.evaluate(() => document.activeElement.value), 'month', 'focus on the month preset');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('range') === 'year');
  await settled(page);
  const year = presetRange('year', RECENT.date);
  check(!year.fromNewest, 'the newest article is within a year of today');
  checkEq(await page.inputValue('#to'), year.to, 'past year ends today');
  checkEq(await page.inputValue('#from'), year.from, 'past year starts a year ago');
  check(await page.isHidden('#date-anchor'), 'no anchor note when counting from today');
  checkEq((await shown(page)).total, String((await apiGet(base, `/search?from=${year.from}&to=${year.to}&limit=0`)).total), 'total in the past year');

  /* The preset is in the URL, not its dates: reloading keeps it. */
  await page.reload();
  await settled(page);
  check(await page.isChecked('.preset input[value="year"]'), 'the preset after a reload');
  check(!new URL(page.url()).searchParams.has('from'), 'no dates in the URL');

  /* "Custom" goes to the date fields; "Any time" clears. */
  await page.click('.preset:has(input[value="custom"])');
  checkEq(await page.evaluate(() => document.activeElement.id), 'from', 'custom focuses the from field');
  await page.click('.preset:has(input[value=""])');
  await page.waitForFunction(() => !new URLSearchParams(location.search).has('range'));
  await settled(page);
  checkEq((await shown(page)).total, String((await apiGet(base, '/search?limit=0')).total), 'every article again');
  check(await page.isHidden('#active-filters'), 'no filter chips');
});

/* The timeline's bars as the page shows them. */
async function timelineShown(page) {
  return page.$eval('#timeline-chart', (c) => ({
    period: c.dataset.period,
    bars: [...c.querySelectorAll('.tl-bar')].map((b) => [b.dataset.period, Number(b.dataset.count)]),
    selected: [...c.querySelectorAll('.tl-bar.selected')].map((b) => b.dataset.period),
  }));
}

/* The periods from first to last, as the page should draw them. */
function periodsBetween(first, last) {
  const out = [];
  for (let k = first; k <= last; ) {
    out.push(k);
    const [y, m, d] = k.split('-').map(Number);
    k = d ? new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10)
      : m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  }
  return out;
}

/* The last day of a YYYY-MM month. */
const monthEnd = (ym) => new Date(Date.UTC(+ym.slice(0, 4), +ym.slice(5, 7), 0)).toISOString().slice(0, 10);

/* Drags the mouse across the timeline from one period's bar to another's. */
async function dragTimeline(page, fromPeriod, toPeriod) {
  const a = await page.$eval(`#timeline-chart .tl-bar[data-period="${fromPeriod}"]`, (b) => { const r = b.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; });
  const b = await page.$eval(`#timeline-chart .tl-bar[data-period="${toPeriod}"]`, (b) => { const r = b.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; });
  await page.mouse.move(...a);
  await page.mouse.down();
  await page.mouse.move(...b, { steps: 6 });
  await page.mouse.up();
}

step('the timeline: a bar per month, a drag narrows the dates, then a bar per day', async ({ page, base, out }) => {
  /* Since 2021: the articles of the sample, the hostile and the recent one. */
  await page.goto(base + '/?from=2021-01-01');
  await settled(page);
  check(await page.isVisible('#timeline-chart'), 'a timeline');
  const api = await apiGet(base, '/search?limit=0&facets=timeline&timeline=month&from=2021-01-01');
  const keys = Object.keys(api.facets.timeline);
  checkEq(keys.join(), [...keys].sort().join(), 'the daemon gives the months in date order');
  let t = await timelineShown(page);
  checkEq(t.period, 'month', 'by month');
  /* Every month from the first to the last, the empty ones too. */
  checkEq(t.bars.map(([p]) => p).join(), periodsBetween(keys[0], keys[keys.length - 1]).join(), 'the months drawn');
  for (const [p, n] of t.bars) checkEq(n, api.facets.timeline[p] || 0, `the count of ${p}`);
  checkEq(await page.textContent('#timeline-first'), 'Jan 2021', 'the first month labelled');
  const tallest = await page.$eval('#timeline-chart', (c) => Math.max(...[...c.querySelectorAll('.tl-fill')].map((f) => f.getBoundingClientRect().height)));
  const most = Math.max(...Object.values(api.facets.timeline));
  const mostBar = await page.$eval(`#timeline-chart .tl-bar[data-count="${most}"] .tl-fill`, (f) => f.getBoundingClientRect().height);
  check(mostBar > 40 && mostBar === tallest, `the busiest month is the tallest bar: ${mostBar} of ${tallest}`);

  /* A drag from February to April 2023 narrows to those months. */
  await dragTimeline(page, '2023-02', '2023-04');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('to') === '2023-04-30');
  await settled(page);
  checkEq(new URL(page.url()).searchParams.get('from'), '2023-02-01', 'from: the first day of the first month');
  const narrowed = await apiGet(base, '/search?from=2023-02-01&to=2023-04-30&limit=0&facets=timeline&timeline=day');
  checkEq((await shown(page)).total, String(narrowed.total), 'total of the months chosen');
  check(narrowed.total >= 3, 'articles in those months');
  checkEq(await page.inputValue('#from'), '2023-02-01', 'the date fields show the span');
  checkEq(await page.textContent('#active-filters'), 'Date: Feb 1, 2023 – Apr 30, 2023×', 'a date chip, and nothing else');
  /* 89 days: the timeline is now by day. */
  t = await timelineShown(page);
  checkEq(t.period, 'day', 'by day within three months');
  checkEq(t.bars.length, 89, 'a bar for each day of February to April 2023');
  checkEq(t.bars[0][0], '2023-02-01', 'from the first day');
  checkEq(t.bars.reduce((s, [, n]) => s + n, 0), narrowed.total, 'the days add up to the total');
  for (const [p, n] of t.bars) checkEq(n, narrowed.facets.timeline[p] || 0, `the count of ${p}`);
  await page.screenshot({ path: path.join(out, 'browser-timeline.png') });
  /* One day: a click on its bar. */
  const day = t.bars.find(([, n]) => n > 0)[0];
  await dragTimeline(page, day, day);
  await page.waitForFunction((d) => new URLSearchParams(location.search).get('from') === d && new URLSearchParams(location.search).get('to') === d, day);
  await settled(page);
  checkEq((await shown(page)).total, String(narrowed.facets.timeline[day]), 'total of the day clicked');
  await page.goBack();
  await settled(page);
  await page.goBack();
  await settled(page);
  checkEq((await timelineShown(page)).period, 'month', 'back: by month again');
});

step('a timeline of more months than the daemon gives is drawn by year', async ({ page, base }) => {
  const res = await fetch(`${base}/search?q=almanac&limit=0&facets=timeline&timeline=month`);
  checkEq(res.status, 400, 'the daemon refuses 110 months');
  check((await res.json()).error.message.includes('max_timeline_buckets'), 'naming max_timeline_buckets');
  await page.goto(`${base}/?q=almanac`);
  await settled(page);
  const api = await apiGet(base, '/search?q=almanac&limit=0&facets=timeline&timeline=year');
  checkEq((await shown(page)).total, String(ALMANAC.length), 'every almanac found');
  check(await page.isHidden('.notice-error'), 'no error');
  const t = await timelineShown(page);
  checkEq(t.period, 'year', 'by year');
  checkEq(JSON.stringify(t.bars), JSON.stringify(Object.entries(api.facets.timeline)), 'the years and their counts');
  checkEq(t.bars.length, 10, '1980 to 1989');
});

step('the timeline by keyboard: arrows, Shift to choose, Enter applies, Escape forgets', async ({ page, base }) => {
  await page.goto(`${base}/?q=water`);
  await settled(page);
  const t = await timelineShown(page);
  check(t.bars.length > 3, 'a timeline for "water"');
  await page.focus('#timeline-chart');
  checkEq(await page.getAttribute('#timeline-chart', 'role'), 'slider', 'a slider to assistive technology');
  await page.keyboard.press('Home');
  checkEq(await page.getAttribute('#timeline-chart', 'aria-valuenow'), '0', 'Home: the first period');
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  let now = await timelineShown(page);
  checkEq(now.selected.join(), t.bars.slice(0, 3).map(([p]) => p).join(), 'Shift and arrows choose three periods');
  check((await page.getAttribute('#timeline-chart', 'aria-valuetext')).includes('chosen'), 'the choice is spoken');
  const n = t.bars.slice(0, 3).reduce((s, [, c]) => s + c, 0);
  check((await page.textContent('#timeline-note')).includes(`${n} article`), 'the note counts the articles chosen');
  await page.keyboard.press('Escape');
  checkEq((await timelineShown(page)).selected.length, 0, 'Escape forgets the choice');
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Enter');
  const from = `${t.bars[2][0]}-01`, to = monthEnd(t.bars[3][0]);
  await page.waitForFunction(([f, e]) => new URLSearchParams(location.search).get('from') === f && new URLSearchParams(location.search).get('to') === e, [from, to]);
  await settled(page);
  const api = await apiGet(base, `/search?q=water&from=${from}&to=${to}&limit=0`);
  checkEq((await shown(page)).total, String(api.total), 'total of the two months chosen');
  checkEq(await page.evaluate(() => document.activeElement.id), 'timeline-chart', 'the focus stays on the timeline');
});

step('a long facet: up to facet_limit values, "show more", and a search inside it', async ({ page, base }) => {
  await page.goto(`${base}/?q=water`);
  await settled(page);
  const api = await apiGet(base, '/search?q=water&limit=0&facets=tag&facet_limit=50');
  const all = Object.keys(api.facets.tag);
  check(all.length > 12, `more tags than the default 10: ${all.length}`);
  await page.click('#facet-tag .facet-more');
  await page.waitForSelector('#facet-tag .facet-search');
  checkEq(await page.$$eval('#facet-tag input[type="checkbox"]', (i) => i.length), all.length, 'every tag once expanded');
  check(await page.isHidden('#facet-tag .facet-note'), 'no "only the most common" when every tag is there');
  const word = all.find((v) => v.length > 5);
  const part = word.slice(1, 5).toUpperCase();
  await page.fill('#facet-tag .facet-search', part);
  const want = all.filter((v) => v.toLowerCase().includes(part.toLowerCase()));
  await page.waitForFunction((n) => document.querySelectorAll('#facet-tag input[type="checkbox"]').length === n, want.length);
  checkEq((await page.$$eval('#facet-tag input[type="checkbox"]', (i) => i.map((e) => e.dataset.value))).sort().join(), [...want].sort().join(), `the tags with "${part}"`);
  await page.fill('#facet-tag .facet-search', 'zzzzqq');
  check((await page.textContent('#facet-tag')).includes('No tags match “zzzzqq”'), 'no tag matches');
  await page.press('#facet-tag .facet-search', 'Escape');
  checkEq(await page.$$eval('#facet-tag input[type="checkbox"]', (i) => i.length), all.length, 'Escape shows every tag again');
  /* A tag chosen from the search narrows the results to its count. */
  await page.fill('#facet-tag .facet-search', part);
  await page.click(`#facet-tag label:has(input[data-value="${word}"])`);
  await page.waitForFunction((v) => new URLSearchParams(location.search).get('tag') === v, word);
  await settled(page);
  checkEq((await shown(page)).total, String(api.facets.tag[word]), 'total of the tag chosen');
  /* The index has more than 50 tags: the list says it is the top 50. */
  const every = await apiGet(base, '/search?limit=0&facets=tag&facet_limit=100');
  check(Object.keys(every.facets.tag).length > 50, 'more than 50 tags in the index');
  await page.goto(base + '/');
  await settled(page);
  await page.click('#facet-tag .facet-more');
  await page.waitForSelector('#facet-tag .facet-search');
  checkEq(await page.$$eval('#facet-tag input[type="checkbox"]', (i) => i.length), 50, 'the 50 most common tags');
  checkEq(await page.textContent('#facet-tag .facet-note'), 'Only the 50 most common tags are listed.', 'and it says so');
});

/* Serves the daemon's own reply to /search with changes made by edit:
 * for a state the page cannot bring about, an estimated total (the page
 * asks for facets, so lede-searchd counts every match unless its time
 * budget runs out). */
const isSearch = (url) => url.pathname === '/search';
async function editSearchReplies(page, edit) {
  await page.route(isSearch, async (route) => {
    const res = await route.fetch();
    const json = await res.json();
    edit(json, new URL(route.request().url()).searchParams);
    await route.fulfill({ response: res, json });
  });
}

step('"About N articles" when the total is an estimate', async ({ page, base }) => {
  await page.goto(`${base}/?q=water`);
  await settled(page);
  check(!(await page.textContent('#result-count')).includes('About'), 'an exact total is not "about"');
  checkEq(await page.getAttribute('#result-count', 'data-exact'), 'true', 'marked exact');
  await editSearchReplies(page, (r) => { if (r.total > 0) Object.assign(r, { total_exact: false, total_min: r.total - 1, total_max: r.total + 5 }); });
  try {
    await page.reload();
    await settled(page);
    const total = (await shown(page)).total;
    checkEq((await page.textContent('#result-count strong')), `About ${total} articles`, 'an estimate says so');
    checkEq(await page.getAttribute('#result-count', 'data-exact'), 'false', 'marked inexact');
  } finally {
    await page.unroute(isSearch);
  }
  /* The replies are the daemon's again. */
  await page.reload();
  await settled(page);
  checkEq(await page.getAttribute('#result-count', 'data-exact'), 'true', 'the total exact again');
});

step('a headline the indexer made from the first sentence is styled as such', async ({ page, base }) => {
  const api = await apiGet(base, '/search?q=pilots&limit=10');
  const hit = api.hits.find((x) => x.id === UNTITLED.id);
  check(hit && hit.title_from_body === true, 'lede-indexer made the headline and marked it');
  checkEq(hit.title, 'Harbour pilots walked off the job on Monday over new rosters.', 'the first sentence');
  await page.goto(`${base}/?q=pilots`);
  await settled(page);
  const item = `#results .hit:has(a[href*="doc=${UNTITLED.id}"])`;
  checkEq(await page.textContent(`${item} .hit-title`), hit.title, 'the made headline');
  check(await page.isVisible(`${item} .hit-title.from-body`), 'marked');
  checkEq(await page.textContent(`${item} .untitled`), 'No headline: first sentence', 'and labelled');
  checkEq(await page.$eval(`${item} .hit-title`, (e) => getComputedStyle(e).fontStyle), 'italic', 'in a quieter style');
  checkEq((await page.$$('#results .hit-title.from-body')).length, api.hits.filter((x) => x.title_from_body).length, 'only the made headlines');
  await page.click(`${item} .hit-title a`);
  await docShown(page);
  check(await page.isVisible('#doc-title.from-body'), 'the article\'s headline marked');
  checkEq(await page.textContent('.doc-header .untitled'), 'No headline: first sentence', 'and labelled');
  /* An article with its own headline is not. */
  await page.goto(`${base}/?doc=sample-001`);
  await docShown(page);
  checkEq((await page.$$('#doc-title.from-body, .doc-header .untitled')).length, 0, 'a headline of its own');
});

step('an article without a url has no link to the original', async ({ page, base }) => {
  await page.goto(`${base}/?doc=${RECENT.id}`);
  await docShown(page);
  checkEq(await page.textContent('#doc-title'), RECENT.title, 'the headline');
  checkEq((await page.$$('.original-link')).length, 0, 'no "Read the original"');
  const undef = await page.$$eval('a[href]', (a) => a.filter((e) => /undefined|null/.test(e.getAttribute('href'))).length);
  checkEq(undef, 0, 'no link to /undefined');
  await page.goto(`${base}/?doc=sample-001`);
  await docShown(page);
  const doc = (await apiGet(base, '/doc/sample-001')).doc;
  checkEq(await page.getAttribute('.original-link', 'href'), doc.url, 'an article with a url links to it');
});

step('no article has every word: the page says the results have some of them', async ({ page, base }) => {
  const api = await apiGet(base, '/search?q=reservoir+zebra&limit=0');
  check(api.relaxed === true && api.total > 0, 'the daemon relaxes "reservoir zebra" to any word');
  await search(page, 'reservoir zebra');
  check(await page.isVisible('#relaxed'), 'the note is shown');
  check((await page.textContent('#relaxed')).startsWith('Few or no articles have all of these words'), 'the note says why');
  checkEq((await shown(page)).total, String(api.total), 'total of the relaxed search');
  await search(page, 'reservoir');
  check(!(await page.isVisible('#relaxed')), 'the note is gone for a query that matches whole');
});

step('did you mean: a link that searches the suggestion', async ({ page, base }) => {
  await page.selectOption('#sort', 'relevance');
  // A query that finds a page of results is not corrected, only given a
  // suggestion (one that finds fewer is answered with the correction's).
  await search(page, 'city OR resevoir');
  const api = await apiGet(base, `/search?q=${encodeURIComponent('city OR resevoir')}&limit=0`);
  check(api.suggestion, 'the daemon suggests a spelling for "city OR resevoir"');
  check(await page.isVisible('#did-you-mean'), 'did you mean shown');
  checkEq(await page.textContent('#did-you-mean a'), api.suggestion, 'the suggestion');
  await page.click('#did-you-mean a');
  await page.waitForFunction((want) => new URLSearchParams(location.search).get('q') === want, api.suggestion, { timeout: STEP_TIMEOUT_MS });
  await settled(page);
  const fixed = await apiGet(base, `/search?q=${encodeURIComponent(api.suggestion)}&limit=0`);
  check(fixed.total > 0, 'the suggestion has results');
  checkEq((await shown(page)).total, String(fixed.total), 'total after did you mean');
  checkEq(await page.inputValue('#q'), api.suggestion, 'the box shows the new query');
});

step('a misspelling that finds nothing: "Showing results for", and a link to search it as typed', async ({ page, base, out }) => {
  const api = await apiGet(base, '/search?q=resevoir&limit=0');
  checkEq(JSON.stringify(api.corrected), JSON.stringify({ q: 'reservoir', from: 'resevoir' }), 'the daemon corrects "resevoir"');
  check(api.total > 0, 'the correction finds articles');
  await search(page, 'resevoir');
  check(await page.isVisible('#corrected'), 'the correction line');
  checkEq(await page.textContent('#corrected'), 'Showing results for reservoir. Search instead for resevoir', 'its words');
  checkEq(await page.textContent('#corrected strong'), 'reservoir', 'the query searched, in bold');
  check(await page.isHidden('#did-you-mean'), 'no "did you mean" with it');
  checkEq((await shown(page)).total, String(api.total), 'the corrected search\'s total');
  const marks = await page.$$eval('#results .snippet mark', (m) => m.map((e) => e.textContent.toLowerCase()));
  check(marks.some((m) => m.startsWith('reservoir')), `the corrected word highlighted: ${marks}`);
  await page.screenshot({ path: path.join(out, 'browser-corrected.png') });
  /* A source chosen: the other sources are counted for the corrected
   * query too. */
  const sources = (await apiGet(base, '/search?q=resevoir&limit=0&facets=source')).facets.source;
  check(Object.keys(sources).length > 1, `several sources: ${JSON.stringify(sources)}`);
  const source = Object.keys(sources)[0];
  await page.click(`#facet-source label:has(input[data-value="${source}"])`);
  await page.waitForFunction((v) => new URLSearchParams(location.search).get('source') === v, source);
  await settled(page);
  checkEq((await shown(page)).total, String(sources[source]), 'total of the source chosen');
  check(await page.isVisible('#corrected'), 'still corrected');
  const counts = await page.$$eval('#facet-source input', (i) => i.map((e) => [e.dataset.value, Number(e.closest('label').querySelector('.facet-count').dataset.count)]));
  checkEq(JSON.stringify(Object.fromEntries(counts)), JSON.stringify(sources), 'every source counted for "reservoir"');
  await page.goBack();
  await settled(page);
  /* The link searches what was typed, as typed: nothing, and no correction. */
  await page.focus('#corrected a');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('spelling') === 'off');
  await settled(page);
  checkEq(new URL(page.url()).searchParams.get('q'), 'resevoir', 'the query as typed');
  checkEq((await shown(page)).total, '0', 'no article has "resevoir"');
  check(await page.isHidden('#corrected'), 'no correction line');
  check(await page.isHidden('#did-you-mean'), 'no suggestion either');
  checkEq(await page.textContent('.notice-empty h2'), 'No articles match “resevoir”', 'the empty result');
  checkEq(await page.evaluate(() => document.activeElement.id), 'results-heading', 'focus on the results');
  /* A new query is corrected again. */
  await search(page, 'desalinaton');
  check(!new URL(page.url()).searchParams.has('spelling'), 'spelling=off is not kept for a new query');
  checkEq(await page.textContent('#corrected strong'), 'desalination', 'corrected again');
  await page.goBack();
  await settled(page);
  check(await page.isHidden('#corrected'), 'back: as typed again');
});

step('a query with a syntax error: its words are searched, and the page says so', async ({ page, base }) => {
  const q = 'title:(water AND';
  const api = await apiGet(base, `/search?q=${encodeURIComponent(q)}&limit=0`);
  check(api.query_fallback === true && api.total > 0, 'the daemon searches the words of a broken query');
  await search(page, q);
  check(await page.isVisible('#query-fallback'), 'the note');
  check((await page.textContent('#query-fallback')).includes('its words were searched instead'), 'its words');
  checkEq((await shown(page)).total, String(api.total), 'the total of the words');
  check(await page.isHidden('.notice-error'), 'not an error');
  await search(page, 'title:water');
  check(await page.isHidden('#query-fallback'), 'no note for a query that parses');
});

step('the empty state', async ({ page, base, out }) => {
  await search(page, 'qqzxvv wwyyjj');
  checkEq((await shown(page)).total, '0', 'no hits');
  check(await page.isVisible('.notice-empty'), 'the empty notice');
  checkEq(await page.textContent('.notice-empty h2'), 'No articles match “qqzxvv wwyyjj”', 'empty heading');
  check(await page.isHidden('#pager'), 'no pager');
  /* The way out is in this index's own words: its most common places,
   * categories and tags, each a link that browses them. */
  await page.waitForSelector('.notice-empty .tip-topics:not([hidden]) a');
  check(!(await page.textContent('.notice-empty')).includes('drought OR reservoir'), 'no tip from another corpus');
  const vocab = (await apiGet(base, '/search?limit=0&facets=place,category,tag')).facets;
  const top = (name) => Object.entries(vocab[name]).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 6).map(([v]) => v);
  const tips = await page.$$eval('.tip-topics .chips', (lists) => lists.map((l) => [l.getAttribute('aria-label'), [...l.querySelectorAll('a')].map((a) => a.textContent)]));
  checkEq(JSON.stringify(tips), JSON.stringify([['places', top('place')], ['categories', top('category')], ['tags', top('tag')]]), 'the tips are the index\'s top values');
  await page.screenshot({ path: path.join(out, 'browser-empty.png') });
  await page.click(`.tip-topics a:text-is("${top('place')[0]}")`);
  await page.waitForFunction((v) => new URLSearchParams(location.search).get('place') === v, top('place')[0]);
  await settled(page);
  checkEq((await shown(page)).total, String(vocab.place[top('place')[0]]), 'a tip browses its articles');
});

step('the error state shows the daemon\'s message', async ({ page, base }) => {
  const q = 'date:2022-13..';
  const res = await fetch(`${base}/search?q=${encodeURIComponent(q)}`);
  const body = await res.json();
  checkEq(res.status, 400, 'status of a bad date range');
  await search(page, q);
  check(await page.isVisible('.notice-error'), 'the error notice');
  check((await page.textContent('.notice-error')).includes(body.error.message), 'the daemon\'s message shown');
  checkEq(await page.getAttribute('.notice-error', 'role'), 'alert', 'announced');
});

step('opening an article: text, metadata, similar articles, back', async ({ page, base, out }) => {
  await search(page, 'desalination');
  const first = await shown(page);
  await page.click('#results .hit-title a >> nth=0');
  await page.waitForFunction((id) => new URLSearchParams(location.search).get('doc') === id, first.ids[0], { timeout: STEP_TIMEOUT_MS });
  await docShown(page);
  const doc = (await apiGet(base, `/doc/${encodeURIComponent(first.ids[0])}`)).doc;
  checkEq(await page.textContent('#doc-title'), doc.title, 'the headline');
  checkEq(await page.evaluate(() => document.activeElement.id), 'doc-title', 'focus on the headline');
  const paras = await page.$$eval('.doc-body p', (p) => p.map((e) => e.textContent));
  checkEq(paras.join('\n\n'), doc.body.split(/\n\s*\n/).map((p) => p.trim()).join('\n\n'), 'the full text');
  check((await page.textContent('.doc-header .meta')).includes(doc.source), 'the source');
  await page.waitForSelector('.similar-list li', { timeout: STEP_TIMEOUT_MS });
  const similar = await apiGet(base, `/similar/${encodeURIComponent(first.ids[0])}?limit=5`);
  checkEq(await page.$$eval('.similar-list li a', (a) => a.map((e) => e.textContent).join('\n')),
    similar.hits.map((h) => h.title).join('\n'), 'similar articles');
  await page.screenshot({ path: path.join(out, 'browser-doc.png'), fullPage: true });
  await page.click('.back-link');
  await page.waitForFunction(() => !new URLSearchParams(location.search).has('doc'), null, { timeout: STEP_TIMEOUT_MS });
  await settled(page);
  checkEq((await shown(page)).ids.join(), first.ids.join(), 'back to the same results');

  await page.goto(`${base}/?doc=no-such-article`);
  await docShown(page);
  check((await page.textContent('.notice-error')).includes('no-such-article'), 'a missing article says so');
});

step('a title with <script> is text, in results, suggestions and the article', async ({ page, base }) => {
  await page.goto(base + '/');
  await settled(page);
  await search(page, 'comment sections');
  const s = await shown(page);
  const i = s.ids.indexOf('sample-045');
  check(i >= 0, `sample-045 among the results: ${s.ids}`);
  check(s.titles[i].startsWith('<script>alert(1)</script> in comment sections'), `its title as text: ${s.titles[i]}`);
  await checkNothingInjected(page, 'results');
  await page.click(`#results .hit-title a[href*="doc=sample-045"]`);
  await docShown(page);
  const doc = (await apiGet(base, '/doc/sample-045')).doc;
  checkEq(await page.textContent('#doc-title'), doc.title, 'the headline as text');
  check((await page.textContent('.doc-body')).includes('<b>HTML</b>'), 'markup in the body as text');
  checkEq(await page.title(), `${doc.title} · lede`, 'the window title');
  await checkNothingInjected(page, 'article');

  /* An article that tries every field, and a query that is markup. */
  await typeAndSuggest(page, 'hostile');
  check((await page.textContent('#suggestions')).includes(HOSTILE[0].title), 'the hostile title suggested as text');
  await checkNothingInjected(page, 'suggestions');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === 'hostile', null, { timeout: STEP_TIMEOUT_MS });
  await settled(page);
  const hostile = '#results .hit:has(a[href*="doc=hostile-1"])';
  checkEq(await page.textContent(`${hostile} .hit-title`), HOSTILE[0].title, 'the hostile title as text');
  checkEq(await page.textContent(`${hostile} .byline`), `By ${HOSTILE[0].author}`, 'the hostile byline as text');
  await checkNothingInjected(page, 'hostile results');
  await page.click(`${hostile} .hit-title a`);
  await docShown(page);
  checkEq(await page.textContent('#doc-title'), HOSTILE[0].title, 'the hostile headline');
  check((await page.textContent('.doc-body')).includes('<script>window.__ledeInjected="body"</script>'), 'the hostile body as text');
  check((await page.textContent('.doc-footer')).includes(HOSTILE[0].tags[0]), 'the hostile tag as text');
  checkEq((await page.$$('.original-link')).length, 0, 'no link for a javascript: url');
  await checkNothingInjected(page, 'hostile article');

  const q = '<img src=x onerror="window.__ledeInjected=\'query\'"><script>window.__ledeInjected="q"</script>';
  await search(page, q);
  checkEq(await page.textContent('#results-heading'), `Results for “${q}”`, 'the query as text');
  await checkNothingInjected(page, 'query');
});

step('a phone-width viewport: one column, filters fold away', async ({ browser, base, out, newContext }) => {
  const ctx = await newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = ctx.page;
  await page.goto(`${base}/?q=water`);
  await settled(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  checkEq(overflow, 0, 'no sideways scrolling');
  check(await page.isHidden('#filters-panel'), 'filters folded');
  check(await page.isVisible('#filters-toggle'), 'a filters button');
  await page.screenshot({ path: path.join(out, 'browser-mobile.png') });
  await page.click('#filters-toggle');
  check(await page.isVisible('#facet-source'), 'filters open');
  checkEq(await page.getAttribute('#filters-toggle', 'aria-expanded'), 'true', 'aria-expanded');
  await page.screenshot({ path: path.join(out, 'browser-mobile-filters.png') });
  const source = await page.$eval('#facet-source input', (i) => ({ value: i.dataset.value, count: i.closest('label').querySelector('.facet-count').dataset.count }));
  await page.click(`#facet-source label:has(input[data-value="${source.value}"])`);
  await page.waitForFunction((v) => new URLSearchParams(location.search).get('source') === v, source.value);
  await settled(page);
  checkEq((await shown(page)).total, source.count, 'total after a facet on a phone');
  check(await page.isVisible('#facet-source'), 'filters stay open while choosing');
  checkEq(await page.textContent('#filters-done'), `Show ${source.count} article${source.count === '1' ? '' : 's'}`, 'the close button counts');
  /* A tap on a month of the timeline narrows to it. */
  const month = await page.$eval('#timeline-chart .tl-bar:not(.empty)', (b) => b.dataset.period);
  await page.tap(`#timeline-chart .tl-bar[data-period="${month}"]`);
  await page.waitForFunction((m) => new URLSearchParams(location.search).get('from') === `${m}-01`, month);
  await settled(page);
  checkEq(new URL(page.url()).searchParams.get('to'), monthEnd(month), 'a tap: to the end of the month');
  checkEq(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), 0, 'the timeline fits');
  await page.click('#filters-done');
  check(await page.isHidden('#filters-panel'), 'filters fold away again');
  checkEq(await page.textContent('#filters-count'), '2', 'the filters button counts active filters (source, dates)');
  await page.click('#results .hit-title a >> nth=0');
  await docShown(page);
  checkEq(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), 0, 'the article fits');
  await page.screenshot({ path: path.join(out, 'browser-mobile-doc.png') });
  await checkNothingInjected(page, 'phone');
});

step('dark mode', async ({ base, out, newContext }) => {
  const ctx = await newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
  await ctx.page.goto(`${base}/?q=water&source=Harbor+Wire`);
  await settled(ctx.page);
  const bg = await ctx.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const [r, g, b] = bg.match(/\d+/g).map(Number);
  check(r + g + b < 150, `a dark background: ${bg}`);
  await ctx.page.screenshot({ path: path.join(out, 'browser-dark.png') });
});

/* ---- the run -------------------------------------------------------------- */

async function main() {
  fs.mkdirSync(args.out, { recursive: true });
  for (const f of fs.readdirSync(args.out)) if (/^browser-.*\.(png|log)$/.test(f)) fs.rmSync(path.join(args.out, f));
  const watchdog = setTimeout(() => {
    console.error(`browser test: not done after ${RUN_DEADLINE_MS / 1000} s, giving up`);
    process.exit(1);
  }, RUN_DEADLINE_MS);
  watchdog.unref();

  const t0 = Date.now();
  const base = await startDaemon(buildIndex());
  console.log(`lede-searchd serves ${base}`);
  browser = await chromium.launch({
    executablePath: args.chromium,
    headless: true,
    timeout: 30_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-extensions', '--no-first-run', '--no-default-browser-check', '--mute-audio'],
  });

  const problems = [];
  const contexts = [];
  async function newContext(options) {
    const ctx = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', colorScheme: 'light', ...options });
    contexts.push(ctx);
    await ctx.addInitScript(() => {
      window.__ledeInjected = null;
      window.__ledeCspViolations = [];
      window.alert = (m) => { window.__ledeInjected = `alert(${m})`; };
      document.addEventListener('securitypolicyviolation', (e) => window.__ledeCspViolations.push(`${e.violatedDirective} ${e.sample}`));
    });
    ctx.page = await ctx.newPage();
    ctx.page.setDefaultTimeout(STEP_TIMEOUT_MS);
    ctx.page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    ctx.page.on('console', (m) => {
      /* A 404 or 400 from the API is logged by the browser; it is expected
       * where a step asks for one. */
      if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of (400|404)/.test(m.text()))
        problems.push(`console error: ${m.text()}`);
    });
    return ctx;
  }
  const desk = await newContext({ viewport: { width: 1280, height: 900 } });

  let passed = 0;
  let failed = 0;
  for (const { name, fn } of steps) {
    const before = problems.length;
    const ts = Date.now();
    try {
      await fn({ page: desk.page, base, browser, out: args.out, newContext });
      if (problems.length > before) throw new Failure(problems.slice(before).join('\n'));
      passed++;
      console.log(`ok   ${name} (${Date.now() - ts} ms)`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name}\n     ${String(e instanceof Failure ? e.message : e.stack || e).replace(/\n/g, '\n     ')}`);
      await desk.page.screenshot({ path: path.join(args.out, `browser-failure-${failed}.png`), fullPage: true }).catch(() => {});
      console.log(`     screenshot: ${path.join(args.out, `browser-failure-${failed}.png`)}; page URL: ${desk.page.url()}`);
      /* Later steps build on the page's state; start them from the top. */
      await desk.page.goto(base + '/').catch(() => {});
    }
  }
  for (const ctx of contexts) await ctx.close().catch(() => {});
  await browser.close();
  browser = null;
  try {
    await stopDaemon();
  } catch (e) {
    failed++;
    console.log(`FAIL lede-searchd stops cleanly\n     ${e.message}`);
  }
  if (failed) {
    fs.writeFileSync(path.join(args.out, 'browser-searchd.log'), readLog());
    console.log(`---- the end of the lede-searchd log ----\n${readLog().slice(-3000)}\n---- end ----`);
  }
  console.log(`screenshots in ${path.resolve(args.out)}; ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`browser: ${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code), async (e) => {
  console.error(`browser test: ${e.stack || e}`);
  if (browser) await browser.close().catch(() => {});
  process.exit(1);
});
