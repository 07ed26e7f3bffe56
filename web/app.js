/* The lede search page: plain JavaScript over the HTTP/JSON API of
 * lede-searchd (docs/http.md). Everything the page shows is built with DOM
 * calls: text from a query or a document only ever becomes a Text node, so
 * it cannot turn into markup. The state of the page lives in the URL. */
'use strict';

(() => {
  /* Hits per page. */
  const PAGE_SIZE = 10;
  /* The daemon's default max_offset: pages past it cannot be asked for. */
  const MAX_OFFSET = 10000;
  /* Facets shown in the sidebar, in this order. */
  const FACETS = ['source', 'category', 'place', 'author', 'tag', 'year'];
  const FACET_LABELS = { source: 'Source', category: 'Category', place: 'Place', author: 'Author', tag: 'Tag', year: 'Year' };
  const FACET_PLURALS = { source: 'sources', category: 'categories', place: 'places', author: 'authors', tag: 'tags', year: 'years' };
  /* Filters kept in the URL that the API takes as repeatable parameters. */
  const LIST_FILTERS = ['source', 'category', 'place', 'author', 'tag'];
  const FILTER_LABELS = { source: 'Source', category: 'Category', tag: 'Tag', place: 'Place', author: 'Author' };
  /* Facet values shown before "Show more". */
  const FACET_VALUES_SHOWN = 8;
  /* A facet with more values than this, once expanded, gets a search box. */
  const FACET_SEARCH_MIN = 12;
  /* Date presets, in the URL as range=KEY: how far back each one reaches. */
  const RANGES = { day: 'Past day', week: 'Past week', month: 'Past month', year: 'Past year' };
  /* The index's most common values of these facets are offered when a
   * search finds nothing, so many of each. */
  const TIP_FACETS = ['place', 'category', 'tag'];
  const TIP_VALUES = 6;
  /* Values asked for per facet (facet_limit): enough for "show more" and
   * the search box of a long facet. */
  const FACET_LIMIT = 50;
  /* The timeline asks for days when the dates span at most this many,
   * else months; more months than TIMELINE_MONTHS_MAX are drawn as years. */
  const TIMELINE_DAYS_MAX = 92;
  const TIMELINE_MONTHS_MAX = 120;
  /* Typing pauses this long before suggestions are asked for. */
  const SUGGEST_DELAY_MS = 120;
  const SUGGEST_LIMIT = 6;
  const SIMILAR_LIMIT = 5;
  /* A request that takes longer is abandoned with an error. */
  const REQUEST_TIMEOUT_MS = 15000;
  /* The loading state shows only for requests slower than this, so that
   * fast answers do not flicker. */
  const LOADING_DELAY_MS = 150;
  /* Snippet match markers (docs/protocol.md). */
  const MARK_START = '\u0002';
  const MARK_END = '\u0003';

  const $ = (id) => document.getElementById(id);
  const el = {
    form: $('search-form'), q: $('q'), suggestions: $('suggestions'),
    searchView: $('search-view'), docView: $('doc-view'),
    heading: $('results-heading'), count: $('result-count'), sort: $('sort'),
    active: $('active-filters'), didYouMean: $('did-you-mean'), relaxed: $('relaxed'), notice: $('notice'),
    results: $('results'), pager: $('pager'), facets: $('facets'),
    dateForm: $('date-form'), from: $('from'), to: $('to'), clearDates: $('clear-dates'),
    presets: $('date-presets'), dateAnchor: $('date-anchor'),
    filtersToggle: $('filters-toggle'), filtersCount: $('filters-count'),
    corrected: $('corrected'), timeline: $('timeline'), timelineChart: $('timeline-chart'),
    timelineFirst: $('timeline-first'), timelineLast: $('timeline-last'), timelineNote: $('timeline-note'),
  };

  /* ---- building DOM ----------------------------------------------------- */

  /* h('a', {href, class}, child...): an element. Children that are strings
   * become Text nodes; attributes are set with setAttribute, never parsed. */
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat(Infinity)) if (c != null && c !== false) node.append(c);
    return node;
  }

  /* A snippet as nodes: the text between U+0002 and U+0003 in <mark>. */
  function highlighted(text) {
    const out = [];
    let inMark = false;
    for (const part of String(text).split(/([\u0002\u0003])/)) {
      if (part === MARK_START) inMark = true;
      else if (part === MARK_END) inMark = false;
      else if (part) out.push(inMark ? h('mark', null, part) : part);
    }
    return out;
  }

  /* An article's url for an href, only when it is http(s): a document
   * cannot smuggle in a javascript: link. An article without a url has no
   * link (not one to "undefined" next to the page). */
  function safeUrl(u) {
    if (typeof u !== 'string' || !u.trim()) return null;
    try {
      const url = new URL(String(u), location.href);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch {
      return null;
    }
  }

  const dateFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
  const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
  const numberFormat = new Intl.NumberFormat();

  /* "2022-06-14T08:15:00Z" or "2022-06-14": a Date (UTC), or null. */
  function parseDate(s) {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(String(s || ''));
    if (!m) return null;
    const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] || 0), +(m[5] || 0), +(m[6] || 0)));
    return Number.isNaN(d.getTime()) ? null : { date: d, hasTime: m[4] != null };
  }

  /* <time> with a human date (and the time, when long and known). */
  function timeNode(s, long) {
    const p = parseDate(s);
    if (!p) return null;
    let text = dateFormat.format(p.date);
    if (long && p.hasTime) text += `, ${timeFormat.format(p.date)} UTC`;
    return h('time', { datetime: s }, text);
  }

  /* A date's day as a Date at 00:00 UTC, or null. */
  function dayOf(s) {
    const p = parseDate(s);
    return p ? new Date(Date.UTC(p.date.getUTCFullYear(), p.date.getUTCMonth(), p.date.getUTCDate())) : null;
  }
  const isoDay = (d) => d.toISOString().slice(0, 10);

  const authorsOf = (a) => (Array.isArray(a) ? a.join(', ') : a ? String(a) : '');
  const plural = (n, one, many) => `${numberFormat.format(n)} ${n === 1 ? one : many}`;

  /* ---- state in the URL ------------------------------------------------- */

  /* A date parameter as YYYY-MM-DD for a date input; YYYY and YYYY-MM
   * stand for their first day (from) or their last (to). */
  function normDate(v, isEnd) {
    const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(v || '');
    if (!m) return '';
    const [, y, mo, d] = m;
    if (d) return `${y}-${mo}-${d}`;
    if (mo) return isEnd ? `${y}-${mo}-${String(new Date(Date.UTC(+y, +mo, 0)).getUTCDate()).padStart(2, '0')}` : `${y}-${mo}-01`;
    return isEnd ? `${y}-12-31` : `${y}-01-01`;
  }

  function readState(search) {
    const p = new URLSearchParams(search);
    const sort = p.get('sort');
    const s = {
      q: p.get('q') || '',
      from: normDate(p.get('from'), false),
      to: normDate(p.get('to'), true),
      sort: sort === 'newest' || sort === 'oldest' || sort === 'relevance' ? sort : '',
      page: Math.max(1, Math.min(Number.parseInt(p.get('page'), 10) || 1, lastPossiblePage())),
      doc: p.get('doc') || '',
      /* A date preset; its dates are worked out when searching. */
      range: Object.hasOwn(RANGES, p.get('range')) ? p.get('range') : '',
      /* "off": search the query as typed, without spelling correction. */
      spelling: p.get('spelling') === 'off' ? 'off' : '',
    };
    if (s.range) s.from = s.to = '';
    for (const k of LIST_FILTERS) s[k] = [...new Set(p.getAll(k).filter(Boolean))];
    return s;
  }

  function stateUrl(s) {
    const p = new URLSearchParams();
    if (s.q) p.set('q', s.q);
    for (const k of LIST_FILTERS) for (const v of s[k]) p.append(k, v);
    if (s.range) p.set('range', s.range);
    else {
      if (s.from) p.set('from', s.from);
      if (s.to) p.set('to', s.to);
    }
    if (s.sort) p.set('sort', s.sort);
    if (s.spelling) p.set('spelling', s.spelling);
    if (s.page > 1) p.set('page', String(s.page));
    if (s.doc) p.set('doc', s.doc);
    const qs = p.toString();
    return location.pathname + (qs ? `?${qs}` : '');
  }

  /* The sort in effect: relevance means nothing without a query, so an
   * empty query lists the newest first. */
  const effectiveSort = (s) => s.sort || (s.q.trim() ? 'relevance' : 'newest');
  const lastPossiblePage = () => Math.floor(MAX_OFFSET / PAGE_SIZE) + 1;
  const hasFilters = (s) => LIST_FILTERS.some((k) => s[k].length) || !!(s.from || s.to || s.range);
  /* Every filter off. */
  const NO_FILTERS = Object.freeze({ ...Object.fromEntries(LIST_FILTERS.map((k) => [k, []])), from: '', to: '', range: '' });
  const yearOf = (s) => {
    if (s.range) return null;
    const m = /^(\d{4})-01-01$/.exec(s.from);
    return m && s.to === `${m[1]}-12-31` ? m[1] : null;
  };

  /* A copy of s with changes; any change but the page goes back to page 1,
   * and a new query is searched with spelling correction again. */
  function withChanges(s, changes) {
    const next = { ...s, ...changes, doc: changes.doc || '' };
    for (const k of LIST_FILTERS) next[k] = [...(changes[k] || s[k])];
    if (!('page' in changes)) next.page = 1;
    if ('q' in changes && changes.q !== s.q && !('spelling' in changes)) next.spelling = '';
    delete next.anchor;
    return next;
  }

  /* ---- date presets ----------------------------------------------------- */

  /* d moved back by a preset's window; a month back from March 31 is the
   * last day of February. */
  function backBy(d, range) {
    const y = d.getUTCFullYear(), m = d.getUTCMonth(), day = d.getUTCDate();
    if (range === 'day') return new Date(Date.UTC(y, m, day - 1));
    if (range === 'week') return new Date(Date.UTC(y, m, day - 7));
    const [ty, tm] = range === 'month' ? [y, m - 1] : [y - 1, m];
    const last = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
    return new Date(Date.UTC(ty, tm, Math.min(day, last)));
  }

  /* A preset's dates, counted back from today; or, in an archive whose
   * newest article is older than the preset's window, back from that
   * article's day (anchor), so that "Past week" is the archive's last week. */
  function presetDates(range, newest) {
    const now = new Date();
    const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const anchor = newest && newest < backBy(today, range) ? newest : today;
    return { from: isoDay(backBy(anchor, range)), to: isoDay(anchor), anchor: anchor === today ? null : anchor };
  }

  /* The day of the newest article in the index, or null; asked once. */
  let newestPromise = null;
  function newestArticle() {
    newestPromise ||= api('/search', new URLSearchParams({ limit: '1', sort: 'date', snippet: '0', suggest: '0' }))
      .then((r) => dayOf(r.hits?.[0]?.date), () => { newestPromise = null; return null; });
    return newestPromise;
  }

  /* s with its preset's dates in from and to (and anchor), for searching. */
  async function withDates(s) {
    if (!s.range) return s;
    return { ...s, ...presetDates(s.range, await newestArticle()) };
  }

  /* ---- the API ---------------------------------------------------------- */

  class ApiError extends Error {
    constructor(code, message, status) {
      super(message);
      this.code = code;
      this.status = status || 0;
    }
  }

  /* GET path?params: the JSON reply when it is ok, else an ApiError. An
   * aborted signal rejects with an AbortError. */
  async function api(path, params, signal) {
    const ctl = new AbortController();
    const onAbort = () => ctl.abort();
    signal?.addEventListener('abort', onAbort);
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; ctl.abort(); }, REQUEST_TIMEOUT_MS);
    const qs = params ? params.toString() : '';
    let res;
    try {
      res = await fetch(path + (qs ? `?${qs}` : ''), { signal: ctl.signal, headers: { Accept: 'application/json' } });
      let body = null;
      try { body = await res.json(); } catch (e) { if (ctl.signal.aborted) throw e; }
      if (body && body.ok === true) return body;
      const err = body && body.error;
      throw new ApiError(err?.code || 'http', err?.message || `HTTP ${res.status} ${res.statusText}`.trim(), res.status);
    } catch (e) {
      if (e instanceof ApiError) throw e;
      if (signal?.aborted) throw new DOMException('aborted', 'AbortError');
      if (timedOut) throw new ApiError('timeout', 'The search service took too long to answer.');
      throw new ApiError('network', 'Cannot reach the search service. Is lede-searchd running?');
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  const isAbort = (e) => e && e.name === 'AbortError';

  /* The /search parameters for s; without names a filter group left out
   * (for the counts of that group's other values). */
  function searchParams(s, extra, without) {
    const p = new URLSearchParams();
    if (s.q.trim()) p.set('q', s.q);
    for (const k of LIST_FILTERS) if (k !== without) for (const v of s[k]) p.append(k, v);
    if (without !== 'year') {
      if (s.from) p.set('from', s.from);
      if (s.to) p.set('to', s.to);
    }
    const sort = effectiveSort(s);
    if (sort !== 'relevance') p.set('sort', sort === 'newest' ? 'date' : '-date');
    if (s.spelling) p.set('spelling', s.spelling);
    for (const [k, v] of Object.entries(extra)) p.set(k, String(v));
    return p;
  }

  /* ---- loading, errors -------------------------------------------------- */

  let loadingTimer = 0;
  function setLoading(on) {
    clearTimeout(loadingTimer);
    const area = el.searchView.hidden ? el.docView : el.results;
    el.results.setAttribute('aria-busy', String(on && area === el.results));
    el.docView.setAttribute('aria-busy', String(on && area === el.docView));
    if (!on) return document.body.classList.remove('is-loading');
    loadingTimer = setTimeout(() => document.body.classList.add('is-loading'), LOADING_DELAY_MS);
  }

  function errorNotice(e, retry) {
    const what = e.code === 'network' || e.code === 'timeout'
      ? e.message
      : `The search service answered: ${e.message}`;
    return h('div', { class: 'notice notice-error', role: 'alert' },
      h('h2', null, e.code === 'not_found' ? 'Not found' : 'Something went wrong'),
      h('p', null, what),
      e.code && !['network', 'timeout', 'http'].includes(e.code) ? h('p', { class: 'notice-code' }, `Error code: ${e.code}`) : null,
      retry ? h('button', { type: 'button', class: 'button', onclick: retry }, 'Try again') : null);
  }

  function skeleton() {
    return Array.from({ length: 4 }, () => h('li', { class: 'hit skeleton', 'aria-hidden': 'true' },
      h('span', { class: 'sk sk-meta' }), h('span', { class: 'sk sk-title' }),
      h('span', { class: 'sk sk-line' }), h('span', { class: 'sk sk-line short' })));
  }

  /* ---- search view ------------------------------------------------------ */

  let searchCtl = null;
  const expandedFacets = new Set();

  async function runSearch(state) {
    searchCtl?.abort();
    const ctl = (searchCtl = new AbortController());
    renderSearchFrame(state);
    if (!el.results.children.length) el.results.replaceChildren(...skeleton());
    setLoading(true);
    const s = await withDates(state);
    if (ctl.signal.aborted) return;
    renderDates(s);
    const offset = (s.page - 1) * PAGE_SIZE;
    const main = mainSearch(s, offset, ctl.signal);
    /* A facet group with a value chosen counts its other values without
     * its own filter, so that a reader can widen as well as narrow. Their
     * spelling is the main search's, so that a query corrected there is
     * corrected here too. */
    const groups = FACETS.filter((g) => (g === 'year' ? s.from || s.to : s[g].length));
    const others = groups.map((g) =>
      api('/search', searchParams(s, { limit: 0, facets: g, facet_limit: FACET_LIMIT, snippet: 0 }, g), ctl.signal)
        .then((r) => [g, r.facets?.[g] || {}], () => null));
    try {
      const reply = await main;
      const counts = Object.fromEntries((await Promise.all(others)).filter(Boolean));
      if (ctl.signal.aborted) return;
      setLoading(false);
      renderResults(s, reply, counts);
    } catch (e) {
      if (isAbort(e) || ctl.signal.aborted) return;
      setLoading(false);
      renderSearchError(s, e);
    }
  }

  /* The page of hits with the facets and the timeline. A timeline of more
   * periods than the daemon gives (max_timeline_buckets: months over a
   * century of articles) is asked for again by year, then left out. */
  async function mainSearch(s, offset, signal) {
    const periods = timelinePeriod(s) === 'day' ? ['day', null] : ['month', 'year', null];
    for (const period of periods) {
      const extra = { limit: PAGE_SIZE, offset, facets: [...FACETS, ...(period ? ['timeline'] : [])].join(','), facet_limit: FACET_LIMIT };
      if (period) extra.timeline = period;
      try {
        return await api('/search', searchParams(s, extra), signal);
      } catch (e) {
        if (!period || e.code !== 'over_limit' || !/max_timeline_buckets/.test(e.message)) throw e;
      }
    }
    throw new ApiError('http', 'no search was made'); /* not reached: the last try has no timeline */
  }

  /* What does not depend on the reply: the heading, the controls, the
   * active filters. */
  function renderSearchFrame(s) {
    const q = s.q.trim();
    el.heading.textContent = q ? `Results for “${q}”` : hasFilters(s) ? 'Filtered articles' : 'Latest news';
    document.title = q ? `${q} · lede search` : 'lede · news search';
    const sort = effectiveSort(s);
    el.sort.value = sort;
    el.sort.querySelector('option[value="relevance"]').disabled = !q;
    renderDates(s);
  }

  /* The date controls and the active filters, once a preset's dates are
   * known (s.from, s.to, s.anchor). */
  function renderDates(s) {
    el.from.value = s.from;
    el.to.value = s.to;
    el.clearDates.hidden = !(s.from || s.to || s.range);
    const checked = s.range || (s.from || s.to ? 'custom' : '');
    for (const radio of el.presets.querySelectorAll('input')) radio.checked = radio.value === checked;
    el.dateAnchor.hidden = !s.anchor;
    el.dateAnchor.textContent = s.anchor ? `Counted back from the newest article, ${dateFormat.format(s.anchor)}.` : '';
    renderActiveFilters(s);
  }

  function renderActiveFilters(s) {
    const chips = [];
    const chip = (label, value, without) => chips.push(h('li', null,
      h('a', { class: 'chip', href: stateUrl(without), 'data-nav': '', 'data-focus': 'results-heading', 'aria-label': `Remove filter ${label}: ${value}` },
        h('span', { class: 'chip-label' }, `${label}: `), value, h('span', { class: 'chip-x', 'aria-hidden': 'true' }, '×'))));
    for (const k of LIST_FILTERS)
      for (const v of s[k]) chip(FILTER_LABELS[k], v, withChanges(s, { [k]: s[k].filter((x) => x !== v) }));
    const year = yearOf(s);
    if (year) chip('Year', year, withChanges(s, { from: '', to: '' }));
    else if (s.range) chip('Date', RANGES[s.range] + (s.anchor ? ` to ${dateFormat.format(s.anchor)}` : ''), withChanges(s, { range: '', from: '', to: '' }));
    else if (s.from || s.to) {
      const range = `${s.from ? dateFormat.format(parseDate(s.from).date) : '…'} – ${s.to ? dateFormat.format(parseDate(s.to).date) : '…'}`;
      chip('Date', range, withChanges(s, { from: '', to: '' }));
    }
    const n = chips.length;
    el.filtersCount.hidden = n === 0;
    el.filtersCount.textContent = String(n);
    el.active.hidden = n === 0;
    if (!n) return el.active.replaceChildren();
    const clearAll = withChanges(s, NO_FILTERS);
    el.active.replaceChildren(
      h('ul', { class: 'chips', 'aria-label': 'Active filters' }, chips),
      ...(n > 1 || s.q ? [h('a', { class: 'button-link', href: stateUrl(clearAll), 'data-nav': '', 'data-focus': 'results-heading' }, 'Clear all filters')] : []));
  }

  function renderResults(s, r, groupCounts) {
    const total = r.total || 0;
    /* total_exact false: the total is Xapian's estimate. */
    const about = r.total_exact === false && total > 0 ? 'About ' : '';
    el.count.dataset.total = String(total);
    el.count.dataset.exact = String(!about);
    el.count.replaceChildren(
      total ? h('strong', null, about + plural(total, 'article', 'articles')) : 'No articles',
      typeof r.took_ms === 'number' ? h('span', { class: 'took' }, ` · ${r.took_ms < 10 ? r.took_ms.toFixed(1) : Math.round(r.took_ms)} ms`) : null);
    renderCorrected(s, r.corrected);
    renderDidYouMean(s, r.suggestion);
    el.relaxed.hidden = !r.relaxed;
    $('query-fallback').hidden = !r.query_fallback;
    $('filters-done').textContent = total ? `Show ${about.toLowerCase()}${plural(total, 'article', 'articles')}` : 'Show results';
    el.notice.replaceChildren();
    const hits = r.hits || [];
    el.results.replaceChildren(...hits.map((hit) => hitItem(s, hit)));
    if (!hits.length) el.notice.replaceChildren(emptyNotice(s, total));
    renderPager(s, total);
    renderFacets(s, { ...(r.facets || {}), ...groupCounts });
    renderTimeline(s, r.facets?.timeline);
    restoreFocus();
    shownFor(el.results);
    settled();
  }

  /* The hits are those of the corrected query (the one typed found
   * nothing): say so, with a link that searches what was typed, as typed. */
  function renderCorrected(s, corrected) {
    const show = !!(corrected && corrected.q && corrected.from);
    el.corrected.hidden = !show;
    if (!show) return el.corrected.replaceChildren();
    el.corrected.replaceChildren('Showing results for ', h('strong', null, corrected.q), '. Search instead for ',
      h('a', { href: stateUrl(withChanges(s, { q: corrected.from, spelling: 'off' })), 'data-nav': '', 'data-focus': 'results-heading' }, corrected.from));
  }

  function renderDidYouMean(s, suggestion) {
    const show = suggestion && suggestion !== s.q;
    el.didYouMean.hidden = !show;
    if (!show) return el.didYouMean.replaceChildren();
    el.didYouMean.replaceChildren('Did you mean ',
      h('a', { href: stateUrl(withChanges(s, { q: suggestion })), 'data-nav': '', 'data-focus': 'results-heading' }, suggestion), '?');
  }

  /* A headline the indexer made from the article's first sentence (the
   * article had none) looks and reads as such. */
  const untitledNote = (item) => (item.title_from_body ? h('span', { class: 'untitled' }, 'No headline: first sentence') : null);

  function hitItem(s, hit) {
    const href = stateUrl({ ...s, doc: hit.id });
    const byline = authorsOf(hit.author);
    return h('li', { class: 'hit' },
      h('article', { 'aria-labelledby': `hit-${hit.rank}` },
        h('p', { class: 'meta' },
          hit.source ? h('span', { class: 'source' }, hit.source) : null,
          hit.category ? h('span', { class: 'category' }, hit.category) : null,
          timeNode(hit.date, false),
          untitledNote(hit)),
        h('h2', { class: `hit-title${hit.title_from_body ? ' from-body' : ''}`, id: `hit-${hit.rank}` },
          h('a', { href, 'data-nav': '', 'data-focus': 'doc-title' }, hit.title || hit.id)),
        hit.snippet ? h('p', { class: 'snippet' }, highlighted(hit.snippet)) : null,
        byline ? h('p', { class: 'byline' }, `By ${byline}`) : null));
  }

  function emptyNotice(s, total) {
    const q = s.q.trim();
    const filtered = hasFilters(s);
    const clear = withChanges(s, NO_FILTERS);
    const topics = q && !(total && s.page > 1) ? h('li', { class: 'tip-topics', hidden: true }) : null;
    if (topics) fillTopics(topics);
    return h('div', { class: 'notice notice-empty' },
      h('h2', null, total && s.page > 1 ? 'No more results' : q ? `No articles match “${q}”` : 'No articles match these filters'),
      h('ul', null,
        total && s.page > 1 ? h('li', null, h('a', { href: stateUrl({ ...s, page: 1 }), 'data-nav': '' }, 'Go to the first page')) : null,
        q ? h('li', null, 'Check the spelling, or try fewer or more general words.') : null,
        filtered ? h('li', null, h('a', { href: stateUrl(clear), 'data-nav': '', 'data-focus': 'results-heading' }, 'Search without filters')) : null,
        topics));
  }

  /* The index's most common places, categories and tags, asked once: a
   * way out of an empty result in the words of this index. */
  let vocabularyPromise = null;
  function indexVocabulary() {
    vocabularyPromise ||= api('/search', new URLSearchParams({ limit: '0', facets: TIP_FACETS.join(','), snippet: '0', suggest: '0' }))
      .then((r) => r.facets || {}, () => { vocabularyPromise = null; return {}; });
    return vocabularyPromise;
  }

  async function fillTopics(item) {
    const facets = await indexVocabulary();
    const rows = TIP_FACETS.map((name) => {
      const top = Object.entries(facets[name] || {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, TIP_VALUES);
      return top.length ? h('li', null, h('span', { class: 'tip-label' }, `${FACET_PLURALS[name][0].toUpperCase()}${FACET_PLURALS[name].slice(1)}`),
        h('ul', { class: 'chips', 'aria-label': FACET_PLURALS[name] },
          top.map(([value]) => h('li', null, filterLink(name, value, `chip${name === 'place' ? ' chip-place' : ''}`)))))
        : null;
    }).filter(Boolean);
    if (!rows.length || !item.isConnected) return;
    item.replaceChildren('Or browse what this index covers most:', h('ul', { class: 'tip-rows' }, rows));
    item.hidden = false;
  }

  function renderSearchError(s, e) {
    el.count.dataset.total = '';
    el.count.textContent = '';
    el.didYouMean.hidden = true;
    el.corrected.hidden = true;
    el.relaxed.hidden = true;
    $('query-fallback').hidden = true;
    el.timeline.hidden = true;
    el.results.replaceChildren();
    el.pager.hidden = true;
    el.notice.replaceChildren(errorNotice(e, () => runSearch(s)));
    shownFor(el.results);
  }

  /* Page numbers around the current one: 1 … 4 5 6 … 20. */
  function pageNumbers(cur, last) {
    const want = new Set([1, last, cur - 1, cur, cur + 1]);
    if (cur <= 3) [2, 3, 4].forEach((n) => want.add(n));
    if (cur >= last - 2) [last - 1, last - 2, last - 3].forEach((n) => want.add(n));
    const pages = [...want].filter((n) => n >= 1 && n <= last).sort((a, b) => a - b);
    const out = [];
    pages.forEach((n, i) => {
      if (i && n - pages[i - 1] === 2) out.push(n - 1);
      else if (i && n - pages[i - 1] > 2) out.push(null);
      out.push(n);
    });
    return out;
  }

  function renderPager(s, total) {
    const last = Math.min(Math.ceil(total / PAGE_SIZE), lastPossiblePage());
    el.pager.hidden = last <= 1;
    if (last <= 1) return el.pager.replaceChildren();
    const link = (n, label, attrs) => h('a', { href: stateUrl({ ...s, page: n }), 'data-nav': '', 'data-focus': 'results-heading', ...attrs }, label);
    const cur = s.page;
    el.pager.replaceChildren(
      cur > 1 ? link(cur - 1, '← Previous', { class: 'pager-step', rel: 'prev' })
        : h('span', { class: 'pager-step disabled', 'aria-disabled': 'true' }, '← Previous'),
      h('ol', { class: 'pager-pages' }, pageNumbers(cur, last).map((n) => h('li', null,
        n == null ? h('span', { class: 'gap', 'aria-hidden': 'true' }, '…')
          : n === cur ? h('a', { class: 'current', 'aria-current': 'page', 'aria-label': `Page ${n}, current page`, href: stateUrl(s), 'data-nav': '' }, String(n))
            : link(n, String(n), { 'aria-label': `Page ${n}` })))),
      cur < last ? link(cur + 1, 'Next →', { class: 'pager-step', rel: 'next' })
        : h('span', { class: 'pager-step disabled', 'aria-disabled': 'true' }, 'Next →'));
  }

  /* ---- facets ----------------------------------------------------------- */

  function facetValues(name, counts, s) {
    let entries = Object.entries(counts || {});
    const chosen = name === 'year' ? [yearOf(s)].filter(Boolean) : s[name];
    for (const v of chosen) if (!entries.some(([k]) => k === v)) entries.push([v, 0]);
    if (name === 'year') entries.sort((a, b) => b[0].localeCompare(a[0]));
    else entries.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    return entries.map(([value, count]) => ({ value, count, checked: chosen.includes(value) }));
  }

  function toggleFacet(s, name, value, on) {
    if (name === 'year') return withChanges(s, on ? { from: `${value}-01-01`, to: `${value}-12-31`, range: '' } : { from: '', to: '' });
    return withChanges(s, { [name]: on ? [...s[name], value] : s[name].filter((v) => v !== value) });
  }

  /* What a reader typed into the search box of a facet, by facet. */
  const facetQueries = new Map();

  /* Folds case and accents: "zurich" finds "Zürich". */
  const folded = (t) => t.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

  function facetOption(s, name, v) {
    return h('li', null,
      h('label', { class: 'facet-option' },
        h('input', {
          type: 'checkbox', checked: v.checked, 'data-focus-key': `${name}\u0000${v.value}`,
          'data-facet': name, 'data-value': v.value,
          onchange: (e) => navigate(toggleFacet(s, name, v.value, e.target.checked), null, true),
        }),
        h('span', { class: 'facet-name' }, v.value),
        h('span', { class: 'facet-count', 'data-count': v.count }, numberFormat.format(v.count),
          h('span', { class: 'visually-hidden' }, v.count === 1 ? ' article' : ' articles'))));
  }

  /* The search box of a long facet: it narrows the values shown as the
   * reader types, without a request. */
  function facetSearch(name, list, values, s) {
    const status = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    const input = h('input', {
      type: 'search', class: 'facet-search', placeholder: `Search ${FACET_PLURALS[name]}`,
      'aria-label': `Search ${FACET_PLURALS[name]}`, 'data-focus-key': `search\u0000${name}`,
      'aria-controls': `facet-${name}-values`, enterkeyhint: 'search', spellcheck: 'false', autocomplete: 'off',
    });
    const show = () => {
      const q = folded(input.value.trim());
      facetQueries.set(name, input.value);
      const match = values.filter((v) => v.checked || !q || folded(v.value).includes(q));
      list.replaceChildren(...match.map((v) => facetOption(s, name, v)));
      if (!match.length) list.append(h('li', { class: 'facet-none muted' }, `No ${FACET_PLURALS[name]} match “${input.value.trim()}”.`));
      status.textContent = q ? `${plural(match.length, FACET_LABELS[name].toLowerCase(), FACET_PLURALS[name])} shown` : '';
    };
    input.value = facetQueries.get(name) || '';
    input.addEventListener('input', show);
    /* Enter in the box must not submit anything; Escape empties it. */
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') e.preventDefault();
      if (e.key === 'Escape' && input.value) { e.preventDefault(); input.value = ''; show(); }
    });
    return { node: h('div', { class: 'facet-search-box' }, input, status), show };
  }

  function renderFacets(s, facets) {
    const groups = FACETS.map((name) => {
      const values = facetValues(name, facets[name], s);
      if (!values.length) return null;
      const expanded = expandedFacets.has(name);
      const shown = expanded ? values : values.filter((v, i) => i < FACET_VALUES_SHOWN || v.checked);
      const id = `facet-${name}`;
      const list = h('ul', { class: `facet-values${expanded ? ' expanded' : ''}`, id: `${id}-values` });
      const search = expanded && values.length > FACET_SEARCH_MIN ? facetSearch(name, list, values, s) : null;
      if (search) search.show();
      else list.replaceChildren(...shown.map((v) => facetOption(s, name, v)));
      /* The daemon gave as many values as asked for: there may be more. */
      const capped = Object.keys(facets[name] || {}).length >= FACET_LIMIT;
      return h('fieldset', { class: 'facet', id },
        h('legend', null, FACET_LABELS[name]),
        search?.node, list,
        expanded && capped ? h('p', { class: 'facet-note' }, `Only the ${FACET_LIMIT} most common ${FACET_PLURALS[name]} are listed.`) : null,
        values.length > shown.length || expanded && values.length > FACET_VALUES_SHOWN
          ? h('button', {
            type: 'button', class: 'button-link facet-more', 'aria-expanded': String(expanded), 'aria-controls': `${id}-values`,
            'data-focus-key': `more\u0000${name}`,
            onclick: () => {
              if (expanded) expandedFacets.delete(name), facetQueries.delete(name);
              else expandedFacets.add(name);
              rememberFocus();
              renderFacets(s, facets);
              restoreFocus();
            },
          }, expanded ? 'Show fewer' : `Show ${values.length - shown.length} more`)
          : null);
    });
    el.facets.replaceChildren(...groups.filter(Boolean));
  }

  /* ---- timeline --------------------------------------------------------- */

  /* The results by period as a bar chart (the timeline facet). Dragging
   * across it, or the arrow keys with Shift then Enter, narrows the dates
   * to the periods chosen; the chart then shows those, by day once they
   * span at most TIMELINE_DAYS_MAX days. */

  /* The period to ask the daemon for. */
  function timelinePeriod(s) {
    if (!s.from || !s.to) return 'month';
    const days = (Date.parse(s.to) - Date.parse(s.from)) / 86_400_000 + 1;
    return days <= TIMELINE_DAYS_MAX ? 'day' : 'month';
  }

  /* The period after key ("2023", "2023-04" or "2023-04-12"). */
  function nextPeriod(key) {
    const [y, m, d] = key.split('-').map(Number);
    if (d) return isoDay(new Date(Date.UTC(y, m - 1, d + 1)));
    if (m) return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
    return String(y + 1);
  }

  const monthsBetween = (a, b) => (+b.slice(0, 4) - +a.slice(0, 4)) * 12 + (+b.slice(5, 7) - +a.slice(5, 7)) + 1;

  /* The bars: every period from the first with an article (or the start
   * of the date filter) to the last (or its end), empty ones included so
   * that the width of the chart is time. */
  function timelineBars(counts, s) {
    let entries = Object.entries(counts || {}).filter(([k, n]) => /^\d{4}(-\d{2}){0,2}$/.test(k) && n >= 0);
    if (!entries.length) return [];
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    let len = entries[0][0].length;
    let first = entries[0][0], last = entries[entries.length - 1][0];
    if (s.from && s.from.slice(0, len) < first) first = s.from.slice(0, len);
    if (s.to && s.to.slice(0, len) > last) last = s.to.slice(0, len);
    if (len === 7 && monthsBetween(first, last) > TIMELINE_MONTHS_MAX) {
      const years = new Map();
      for (const [k, n] of entries) years.set(k.slice(0, 4), (years.get(k.slice(0, 4)) || 0) + n);
      entries = [...years];
      len = 4, first = first.slice(0, 4), last = last.slice(0, 4);
    }
    const counted = new Map(entries);
    const bars = [];
    for (let k = first; k <= last && bars.length < 1000; k = nextPeriod(k)) bars.push({ period: k, count: counted.get(k) || 0 });
    return bars;
  }

  const monthFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', timeZone: 'UTC' });
  /* "2023", "Apr 2023", "Apr 12, 2023". */
  function periodLabel(key) {
    const [y, m, d] = key.split('-').map(Number);
    if (d) return dateFormat.format(new Date(Date.UTC(y, m - 1, d)));
    if (m) return monthFormat.format(new Date(Date.UTC(y, m - 1, 1)));
    return String(y);
  }

  const TIMELINE_HELP = 'Drag across the bars to narrow the dates; with the keyboard, Shift and the arrow keys choose, Enter applies.';
  /* bars, the bar under the keyboard (cursor), the chosen span (sel:
   * [first, last] or null) and where a Shift or a drag began (anchor). */
  const tl = { bars: [], cursor: -1, anchor: -1, sel: null, dragging: false };

  function renderTimeline(s, counts) {
    tl.bars = timelineBars(counts, s);
    tl.cursor = tl.bars.length - 1;
    tl.anchor = -1, tl.sel = null, tl.dragging = false;
    el.timeline.hidden = tl.bars.length < 2;
    const most = Math.max(1, ...tl.bars.map((b) => b.count));
    const chart = el.timelineChart;
    chart.dataset.period = tl.bars[0]?.period.length === 10 ? 'day' : tl.bars[0]?.period.length === 7 ? 'month' : 'year';
    chart.replaceChildren(...tl.bars.map((b) => {
      const bar = h('span', { class: `tl-bar${b.count ? '' : ' empty'}`, 'data-period': b.period, 'data-count': b.count },
        h('span', { class: 'tl-fill' }));
      /* Style through the CSSOM: the page's CSP allows no style attribute. */
      bar.firstChild.style.height = `${(100 * b.count) / most}%`;
      bar.title = `${periodLabel(b.period)}: ${plural(b.count, 'article', 'articles')}`;
      return bar;
    }));
    el.timelineFirst.textContent = tl.bars.length ? periodLabel(tl.bars[0].period) : '';
    el.timelineLast.textContent = tl.bars.length ? periodLabel(tl.bars[tl.bars.length - 1].period) : '';
    chart.setAttribute('aria-valuemin', '0');
    chart.setAttribute('aria-valuemax', String(Math.max(0, tl.bars.length - 1)));
    showTimelineState();
  }

  /* The chosen bars, the cursor and what they say (to the eye and to a
   * screen reader). */
  function showTimelineState() {
    const [a, b] = tl.sel || [-1, -1];
    [...el.timelineChart.children].forEach((bar, i) => {
      bar.classList.toggle('selected', i >= a && i <= b);
      bar.classList.toggle('cursor', i === tl.cursor);
    });
    const at = tl.bars[tl.cursor];
    if (!at) return;
    const n = tl.sel ? tl.bars.slice(a, b + 1).reduce((t, x) => t + x.count, 0) : 0;
    const span = tl.sel ? (a === b ? periodLabel(tl.bars[a].period) : `${periodLabel(tl.bars[a].period)} – ${periodLabel(tl.bars[b].period)}`) : '';
    el.timelineChart.setAttribute('aria-valuenow', String(tl.cursor));
    el.timelineChart.setAttribute('aria-valuetext',
      `${periodLabel(at.period)}: ${plural(at.count, 'article', 'articles')}${tl.sel ? `; chosen ${span}, Enter to show them` : ''}`);
    el.timelineNote.textContent = tl.sel ? `${span}: ${plural(n, 'article', 'articles')}. Enter or release to show them.` : TIMELINE_HELP;
  }

  function chooseBars(a, b) {
    tl.sel = a < 0 ? null : [Math.min(a, b), Math.max(a, b)];
    showTimelineState();
  }

  /* Narrows the dates to the chosen bars (or the one under the cursor). */
  function applyTimeline() {
    const [a, b] = tl.sel || [tl.cursor, tl.cursor];
    if (!tl.bars[a] || !tl.bars[b]) return;
    const from = normDate(tl.bars[a].period, false), to = normDate(tl.bars[b].period, true);
    navigate(withChanges(current, { from, to, range: '' }), null, true);
  }

  /* The bar nearest to x (a client coordinate). */
  function barAt(x) {
    let best = 0, dist = Infinity;
    [...el.timelineChart.children].forEach((bar, i) => {
      const r = bar.getBoundingClientRect();
      const d = x < r.left ? r.left - x : x > r.right ? x - r.right : 0;
      if (d < dist) best = i, dist = d;
    });
    return best;
  }

  el.timelineChart.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 || !tl.bars.length) return;
    e.preventDefault();
    el.timelineChart.setPointerCapture(e.pointerId);
    tl.dragging = true;
    tl.anchor = tl.cursor = barAt(e.clientX);
    chooseBars(tl.anchor, tl.anchor);
  });
  el.timelineChart.addEventListener('pointermove', (e) => {
    if (!tl.dragging) return;
    tl.cursor = barAt(e.clientX);
    chooseBars(tl.anchor, tl.cursor);
  });
  el.timelineChart.addEventListener('pointerup', () => {
    if (!tl.dragging) return;
    tl.dragging = false;
    applyTimeline();
  });
  el.timelineChart.addEventListener('pointercancel', () => {
    if (!tl.dragging) return;
    tl.dragging = false;
    tl.anchor = -1;
    chooseBars(-1);
  });

  /* Arrows move along the bars; with Shift they choose a span; Enter (or
   * Space) narrows the dates to it; Escape forgets it. */
  el.timelineChart.addEventListener('keydown', (e) => {
    const n = tl.bars.length;
    if (!n) return;
    const moves = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1, PageDown: -12, PageUp: 12 };
    let to;
    if (e.key in moves) to = tl.cursor + moves[e.key];
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = n - 1;
    else if (e.key === 'Enter' || e.key === ' ') return e.preventDefault(), applyTimeline();
    else if (e.key === 'Escape' && tl.sel) return e.preventDefault(), (tl.anchor = -1), chooseBars(-1);
    else return;
    e.preventDefault();
    to = Math.max(0, Math.min(n - 1, to));
    if (e.shiftKey) {
      if (tl.anchor < 0) tl.anchor = tl.cursor;
      tl.cursor = to;
      chooseBars(tl.anchor, to);
    } else {
      tl.anchor = -1;
      tl.cursor = to;
      chooseBars(-1);
    }
  });

  /* Re-rendering replaces the controls; a keyboard user keeps their place. */
  let focusKey = null;
  function rememberFocus() {
    focusKey = document.activeElement?.dataset?.focusKey ?? null;
  }
  function restoreFocus() {
    if (focusKey == null) return;
    const key = focusKey;
    focusKey = null;
    for (const node of document.querySelectorAll('[data-focus-key]'))
      if (node.dataset.focusKey === key) return node.focus({ preventScroll: true });
  }

  /* ---- document view ---------------------------------------------------- */

  let docCtl = null;

  async function showDoc(s) {
    docCtl?.abort();
    const ctl = (docCtl = new AbortController());
    const id = s.doc;
    const back = backLink(s);
    el.docView.replaceChildren(back, h('div', { class: 'doc-skeleton', 'aria-hidden': 'true' },
      h('span', { class: 'sk sk-meta' }), h('span', { class: 'sk sk-h1' }), h('span', { class: 'sk sk-line' }),
      h('span', { class: 'sk sk-line' }), h('span', { class: 'sk sk-line short' })));
    setLoading(true);
    const similar = api(`/similar/${encodeURIComponent(id)}`, new URLSearchParams({ limit: String(SIMILAR_LIMIT) }), ctl.signal);
    similar.catch(() => {}); /* handled below, once the article is shown */
    try {
      const r = await api(`/doc/${encodeURIComponent(id)}`, null, ctl.signal);
      if (ctl.signal.aborted) return;
      setLoading(false);
      renderDoc(s, r.doc || {}, back);
      shownFor(el.docView);
      settled();
    } catch (e) {
      if (isAbort(e) || ctl.signal.aborted) return;
      setLoading(false);
      document.title = 'Article not available · lede';
      el.docView.replaceChildren(back, errorNotice(e, e.code === 'not_found' ? null : () => showDoc(s)));
      shownFor(el.docView);
      return;
    }
    const section = el.docView.querySelector('.similar');
    try {
      const r = await similar;
      if (ctl.signal.aborted) return;
      renderSimilar(s, section, r.hits || []);
    } catch (e) {
      if (isAbort(e) || ctl.signal.aborted) return;
      section.replaceChildren(h('h2', null, 'Similar articles'), h('p', { class: 'muted' }, `Similar articles are not available: ${e.message}`));
    }
  }

  function backLink(s) {
    const results = stateUrl({ ...s, doc: '', page: s.page });
    const label = s.q.trim() || hasFilters(s) ? 'Back to results' : 'Latest news';
    return h('nav', { class: 'doc-nav', 'aria-label': 'Article' },
      h('a', { class: 'back-link', href: results, 'data-nav': '', 'data-back': '' }, h('span', { 'aria-hidden': 'true' }, '← '), label));
  }

  /* A link that searches with one filter. */
  const filterLink = (kind, value, cls) =>
    h('a', { class: cls, href: stateUrl(withChanges(readState(''), { [kind]: [value] })), 'data-nav': '', 'data-focus': 'results-heading' }, value);

  function renderDoc(s, doc, back) {
    const title = doc.title || doc.id || s.doc;
    document.title = `${title} · lede`;
    const byline = authorsOf(doc.author);
    const paragraphs = String(doc.body || '').split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
    const words = paragraphs.join(' ').split(/\s+/).filter(Boolean).length;
    const url = safeUrl(doc.url);
    const tags = Array.isArray(doc.tags) ? doc.tags : [];
    const places = Array.isArray(doc.places) ? doc.places : [];
    el.docView.replaceChildren(back,
      h('header', { class: 'doc-header' },
        h('p', { class: 'meta' },
          doc.source ? filterLink('source', doc.source, 'source') : null,
          doc.category ? filterLink('category', doc.category, 'category') : null,
          untitledNote(doc)),
        h('h1', { id: 'doc-title', tabindex: '-1', class: doc.title_from_body ? 'from-body' : null }, title),
        h('p', { class: 'doc-byline' },
          byline ? h('span', { class: 'byline' }, `By ${byline}`) : null,
          timeNode(doc.date, true),
          words > 60 ? h('span', null, `${Math.max(1, Math.round(words / 230))} min read`) : null)),
      h('div', { class: 'doc-body' },
        paragraphs.length ? paragraphs.map((p) => h('p', null, p))
          : h('p', { class: 'muted' }, 'This article has no text beyond its headline.')),
      h('footer', { class: 'doc-footer' },
        tags.length || places.length ? h('ul', { class: 'chips', 'aria-label': 'Tags and places' },
          places.map((p) => h('li', null, filterLink('place', p, 'chip chip-place'))),
          tags.map((t) => h('li', null, filterLink('tag', t, 'chip')))) : null,
        url ? h('p', null, h('a', { class: 'original-link', href: url, rel: 'noopener noreferrer nofollow', target: '_blank' },
          'Read the original', h('span', { class: 'visually-hidden' }, ' (opens in a new tab)'), h('span', { 'aria-hidden': 'true' }, ' ↗'))) : null),
      h('section', { class: 'similar', 'aria-labelledby': 'similar-heading' },
        h('h2', { id: 'similar-heading' }, 'Similar articles'), h('p', { class: 'muted' }, 'Looking for similar articles…')));
  }

  function renderSimilar(s, section, hits) {
    section.replaceChildren(h('h2', { id: 'similar-heading' }, 'Similar articles'),
      hits.length ? h('ol', { class: 'similar-list' }, hits.map((hit) => h('li', null,
        h('a', { href: stateUrl({ ...s, doc: hit.id }), 'data-nav': '', 'data-focus': 'doc-title' }, hit.title || hit.id),
        h('p', { class: 'meta' },
          hit.source ? h('span', { class: 'source' }, hit.source) : null,
          timeNode(hit.date, false)))))
        : h('p', { class: 'muted' }, 'No similar articles found.'));
  }

  /* ---- routing ---------------------------------------------------------- */

  let current = readState(location.search);
  let pendingScrollY = null;

  /* Marks which URL a view shows (for tests and for styling). */
  function shownFor(view) {
    view.dataset.for = location.search;
  }

  /* After the content of a history entry is shown. */
  function settled() {
    if (pendingScrollY == null) return;
    window.scrollTo(0, pendingScrollY);
    pendingScrollY = null;
  }

  function route(focusId) {
    const s = (current = readState(location.search));
    el.q.value = s.q;
    closeSuggestions();
    if (s.doc) {
      searchCtl?.abort();
      el.searchView.hidden = true;
      el.docView.hidden = false;
      showDoc(s).then(() => focusId && focusTo(focusId));
      if (focusId) focusTo(focusId);
    } else {
      docCtl?.abort();
      el.docView.hidden = true;
      el.searchView.hidden = false;
      runSearch(s);
      if (focusId) focusTo(focusId);
    }
  }

  function focusTo(id) {
    const target = document.getElementById(id);
    if (target && !target.closest('[hidden]')) target.focus({ preventScroll: true });
  }

  /* Goes to state s (or a URL) as a new history entry, then moves the
   * focus to focusId (if any) and to the top of the page unless keepScroll. */
  function navigate(s, focusId, keepScroll, entry) {
    rememberFocus();
    history.replaceState({ ...(history.state || {}), scrollY: window.scrollY }, '');
    history.pushState({ scrollY: 0, ...entry }, '', typeof s === 'string' ? s : stateUrl(s));
    if (!keepScroll) window.scrollTo(0, 0);
    route(focusId);
  }

  window.addEventListener('popstate', (e) => {
    /* Back where the reader was, once the content is there. */
    pendingScrollY = e.state?.scrollY || 0;
    route();
  });

  /* In-page links: data-nav links change the state without a reload. */
  document.addEventListener('click', (e) => {
    const a = e.target.closest('a[data-nav]');
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin) return;
    e.preventDefault();
    /* "Back to results" after opening an article from them: the browser's
     * back keeps the reader's scroll position. */
    if (a.hasAttribute('data-back') && history.state?.fromResults) return history.back();
    navigate(url.pathname + url.search, a.dataset.focus || null, false,
      { fromResults: !current.doc && !!readState(url.search).doc });
  });

  /* ---- search box and suggestions -------------------------------------- */

  let suggestTimer = 0;
  let suggestCtl = null;
  let options = []; /* [{node, choose}] */
  let active = -1;

  function closeSuggestions() {
    clearTimeout(suggestTimer);
    suggestCtl?.abort();
    suggestCtl = null;
    el.suggestions.hidden = true;
    el.suggestions.replaceChildren();
    delete el.suggestions.dataset.for;
    el.q.setAttribute('aria-expanded', 'false');
    el.q.removeAttribute('aria-activedescendant');
    options = [];
    active = -1;
  }

  async function fetchSuggestions(text) {
    suggestCtl?.abort();
    const ctl = (suggestCtl = new AbortController());
    let r;
    try {
      r = await api('/suggest', new URLSearchParams({ q: text, limit: String(SUGGEST_LIMIT) }), ctl.signal);
    } catch (e) {
      if (!isAbort(e) && suggestCtl === ctl) closeSuggestions();
      return;
    }
    /* A stale answer (the box has changed since) is dropped. */
    if (ctl.signal.aborted || el.q.value !== text || document.activeElement !== el.q) return;
    renderSuggestions(text, r);
  }

  /* A suggested word as the whole query: the daemon completes the last
   * word and keeps the words before it ("port cal" -> "port calder"); a
   * bare completed word ("calder") gets those words put back. */
  function suggestedQuery(text, w) {
    const head = text.slice(0, text.length - /\S*$/.exec(text)[0].length);
    return head && w.toLowerCase().startsWith(head.toLowerCase()) ? w : head + w;
  }

  function renderSuggestions(text, r) {
    const seen = new Set([text.trim().toLowerCase()]);
    const queries = [];
    for (const w of r.suggestions || []) {
      const q = suggestedQuery(text, String(w));
      if (!seen.has(q.trim().toLowerCase())) seen.add(q.trim().toLowerCase()), queries.push(q);
    }
    const titles = (r.titles || []).slice(0, SUGGEST_LIMIT);
    options = [];
    const nodes = [];
    const option = (content, choose, cls) => {
      const node = h('li', { id: `suggestion-${options.length}`, role: 'option', class: `suggestion ${cls}`, 'aria-selected': 'false' }, content);
      const i = options.length;
      node.addEventListener('mousedown', (e) => e.preventDefault()); /* keep focus in the box */
      node.addEventListener('click', () => { setActive(i); choose(); });
      options.push({ node, choose });
      nodes.push(node);
    };
    for (const q of queries.slice(0, SUGGEST_LIMIT)) {
      /* What was typed stays plain; the completion is bold. */
      const typed = q.toLowerCase().startsWith(text.toLowerCase()) ? text.length : 0;
      option([h('span', { class: 'sg-icon', 'aria-hidden': 'true' }, '⌕'), h('span', null, q.slice(0, typed), h('b', null, q.slice(typed)))],
        () => submitQuery(q), 'suggestion-word');
    }
    if (titles.length) nodes.push(h('li', { role: 'presentation', class: 'suggestion-heading' }, 'Articles'));
    for (const t of titles)
      option([h('span', { class: 'sg-icon', 'aria-hidden': 'true' }, '▤'), h('span', null, t.title || t.id)],
        () => navigate({ ...withChanges(current, { q: el.q.value }), doc: t.id }, 'doc-title'), 'suggestion-title');
    if (!options.length) return closeSuggestions();
    el.suggestions.replaceChildren(...nodes);
    el.suggestions.dataset.for = text;
    el.suggestions.hidden = false;
    el.q.setAttribute('aria-expanded', 'true');
    active = -1;
    el.q.removeAttribute('aria-activedescendant');
  }

  function setActive(i) {
    if (active >= 0 && options[active]) {
      options[active].node.setAttribute('aria-selected', 'false');
      options[active].node.classList.remove('active');
    }
    active = i;
    if (i < 0) return el.q.removeAttribute('aria-activedescendant');
    const { node } = options[i];
    node.setAttribute('aria-selected', 'true');
    node.classList.add('active');
    node.scrollIntoView({ block: 'nearest' });
    el.q.setAttribute('aria-activedescendant', node.id);
  }

  function submitQuery(text) {
    closeSuggestions();
    el.q.value = text;
    navigate(withChanges(current, { q: text.trim(), sort: current.sort === 'relevance' && !text.trim() ? '' : current.sort }));
  }

  el.q.addEventListener('input', () => {
    clearTimeout(suggestTimer);
    const text = el.q.value;
    if (!text.trim()) return closeSuggestions();
    suggestTimer = setTimeout(() => fetchSuggestions(text), SUGGEST_DELAY_MS);
  });

  el.q.addEventListener('keydown', (e) => {
    const open = !el.suggestions.hidden && options.length > 0;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!open) {
        if (e.key === 'ArrowDown' && el.q.value.trim()) { e.preventDefault(); fetchSuggestions(el.q.value); }
        return;
      }
      e.preventDefault();
      const n = options.length;
      const next = e.key === 'ArrowDown' ? (active + 1 > n - 1 ? -1 : active + 1) : (active - 1 < -1 ? n - 1 : active - 1);
      setActive(next);
    } else if (e.key === 'Enter' && open && active >= 0) {
      e.preventDefault();
      options[active].choose();
    } else if (e.key === 'Escape') {
      if (open) { e.preventDefault(); closeSuggestions(); }
    } else if (e.key === 'Tab') {
      closeSuggestions();
    }
  });

  el.q.addEventListener('blur', () => setTimeout(() => { if (document.activeElement !== el.q) closeSuggestions(); }, 100));

  el.form.addEventListener('submit', (e) => {
    e.preventDefault();
    submitQuery(el.q.value);
  });

  /* "/" anywhere but in a text field goes to the search box. */
  document.addEventListener('keydown', (e) => {
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t.closest && t.closest('input, textarea, select, [contenteditable]')) return;
    e.preventDefault();
    el.q.focus();
    el.q.select();
  });

  /* ---- the other controls ----------------------------------------------- */

  el.sort.addEventListener('change', () => {
    navigate(withChanges(current, { sort: el.sort.value }), null, true);
  });
  el.sort.dataset.focusKey = 'sort';

  el.dateForm.addEventListener('submit', (e) => {
    e.preventDefault();
    let from = el.from.value, to = el.to.value;
    if (from && to && from > to) [from, to] = [to, from];
    navigate(withChanges(current, { from, to, range: '' }), null, true);
  });
  el.clearDates.addEventListener('click', () => navigate(withChanges(current, { from: '', to: '', range: '' }), 'results-heading'));
  /* A preset searches at once; "Custom" moves to the date fields. */
  el.presets.addEventListener('change', (e) => {
    const range = e.target.value;
    if (range === 'custom') return el.from.focus();
    navigate(withChanges(current, { range, from: '', to: '' }), null, true);
  });

  function showFilters(open) {
    el.filtersToggle.setAttribute('aria-expanded', String(open));
    document.body.classList.toggle('filters-open', open);
  }
  el.filtersToggle.addEventListener('click', () => showFilters(el.filtersToggle.getAttribute('aria-expanded') !== 'true'));
  /* On a phone the open filters cover the results: this folds them away. */
  $('filters-done').addEventListener('click', () => {
    showFilters(false);
    el.heading.focus({ preventScroll: true });
    el.heading.scrollIntoView({ block: 'start' });
  });

  history.scrollRestoration = 'manual';
  route();
})();
