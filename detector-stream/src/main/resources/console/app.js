// The hostwatch operator console: renders what the detector's /api says and refetches it when the change feed
// (/api/events, server-sent events) says something moved. No build step, no framework: one ES module.

const STATES = ['DEAD', 'ISOLATED', 'PARTITIONED', 'SERVICE_UNREACHABLE', 'UNKNOWN', 'DEGRADED', 'RUNNING'];
const PAGE = 50;
// Poll anyway: heartbeat ages move without transitions, and a lost event must not leave a wrong page up.
const REFRESH_MS = 2000;
// The page's own staleness bound: no successful refresh for this long means the data on screen may be old.
const STALE_MS = 6000;

const view = { state: '', domain: '', q: '', offset: 0, selected: null };
const seen = new Map(); // host -> last rendered state, to stamp rows when they change
let lastOk = 0;
let serverOffset = 0; // server clock minus browser clock
let feedUp = false;
let problems = [];
let requested = 0; // refreshes started
let rendered = 0; // newest refresh on screen

const $ = (sel) => document.querySelector(sel);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null) continue;
    if (k === 'class') node.className = v; else if (k === 'text') node.textContent = v; else node.setAttribute(k, v);
  }
  for (const child of children) node.append(child);
  return node;
}

// A detector with ops.auth.token.file answers 401: the operator pastes the token once per browser session. It goes
// into a session cookie (no expiry, this path only, same-site) because EventSource, unlike fetch, cannot send an
// Authorization header; the ops endpoint accepts the cookie as it accepts the header.
function askToken() {
  const token = window.prompt('This detector requires its ops token (the content of ops.auth.token.file):');
  if (!token) return false;
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `hostwatch_token=${token.trim()}; path=/; SameSite=Strict${secure}`;
  return true;
}

async function api(path) {
  let response = await fetch(path, { cache: 'no-store' });
  if (response.status === 401 && askToken()) response = await fetch(path, { cache: 'no-store' });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(`${path}: ${response.status} ${body.error ?? ''}`);
  return body;
}

function stateClass(row) {
  return row.state === 'RUNNING' && row.conditions.length > 0 ? 'DEGRADED' : row.state;
}

function ago(ms) {
  if (ms < 0 || !Number.isFinite(ms)) return '–';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s ago`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min ago`;
}

const now = () => Date.now() + serverOffset;
const iso = (ms) => (ms > 0 ? new Date(ms).toISOString().replace('T', ' ').replace('Z', ' UTC') : '–');
const time = (ms) => (ms > 0 ? new Date(ms).toISOString().substring(11, 23) : '–');

function hostQuery() {
  const p = new URLSearchParams({ offset: view.offset, limit: PAGE });
  if (view.state) p.set('state', view.state);
  if (view.domain) p.set('domain', view.domain);
  if (view.q) p.set('q', view.q);
  return p;
}

function renderCounts(summary) {
  const nav = $('#counts');
  nav.replaceChildren();
  const all = el('button', { type: 'button', 'data-state': '', 'aria-pressed': String(view.state === '') },
    el('span', { class: 'n', text: summary.total }), 'ALL');
  nav.append(all);
  for (const state of STATES) {
    const n = summary.counts[state] ?? 0;
    const label = state === 'DEGRADED' ? 'degraded' : state;
    nav.append(el('button', {
      type: 'button', class: `count s-${state}${n === 0 ? ' zero' : ''}`, 'data-state': state,
      'aria-pressed': String(view.state === state),
    }, el('span', { class: 'n', text: n }), label));
  }
}

function renderHosts(page) {
  const body = $('#hosts tbody');
  const stamp = Date.now();
  const rows = page.rows.map((row) => {
    const shown = `${stateClass(row)}/${row.reason}`;
    const changed = seen.has(row.host) && seen.get(row.host).shown !== shown;
    const changedAt = changed ? stamp : seen.get(row.host)?.changedAt ?? 0;
    seen.set(row.host, { shown, changedAt });
    const tr = el('tr', {
      'data-host': row.host, 'data-state': row.state, 'data-changed-at': changedAt,
      class: row.host === view.selected ? 'selected' : null,
    },
    el('td', { text: row.host }),
    el('td', { class: `state s-${stateClass(row)}`, text: row.state }),
    el('td', { class: 'reason', text: row.reason }),
    el('td', { class: 'conditions', text: row.conditions.join(', ') }),
    el('td', { text: row.domain }),
    el('td', { title: iso(row.since), text: ago(page.serverTime - row.since) }),
    el('td', { class: 'age', 'data-last-heartbeat': row.lastHeartbeatAt, title: iso(row.lastHeartbeatAt), text: '' }));
    return tr;
  });
  body.replaceChildren(...rows);
  const last = Math.min(page.offset + page.rows.length, page.matched);
  $('#range').textContent = page.matched === 0 ? 'no hosts match' : `${page.offset + 1}–${last} of ${page.matched}`;
  $('#prev').disabled = page.offset === 0;
  $('#next').disabled = last >= page.matched;
  tickAges();
}

function tickAges() {
  for (const td of document.querySelectorAll('#hosts td.age')) {
    const at = Number(td.dataset.lastHeartbeat);
    td.textContent = at > 0 ? ago(now() - at) : '–';
  }
  $('#clock').textContent = iso(now());
}

function renderDomains(domains) {
  const select = $('#domain');
  const wanted = ['', ...domains.map((d) => d.domain)];
  const have = [...select.options].map((o) => o.value);
  if (wanted.join('\n') !== have.join('\n')) {
    select.replaceChildren(el('option', { value: '', text: 'all domains' }),
      ...domains.map((d) => el('option', { value: d.domain, text: d.domain })));
    select.value = view.domain;
  }
  $('#domains tbody').replaceChildren(...domains.map((d) => el('tr', {
    'data-domain': d.domain, 'data-holding': String(d.holding), class: d.holding ? 'held' : null,
  },
  el('td', { text: d.domain }),
  el('td', { text: d.hosts }),
  el('td', { text: d.notRunning }),
  el('td', { text: `${d.known} / ${d.silent}` }),
  el('td', { class: 'guard', text: d.holding ? 'HOLDING evacuations' : 'not holding' }))));
}

function renderDetail(d) {
  const row = d.row;
  $('#detail').hidden = false;
  $('#detail').dataset.host = row.host;
  $('#detail-host').textContent = row.host;
  $('#detail-verdict').replaceChildren(
    el('span', { class: `state s-${stateClass(row)}`, text: row.state }), ` ${row.reason} `,
    el('span', { class: 'muted', text: row.conditions.join(', ') }));
  const facts = [
    ['since', `${iso(row.since)} (${ago(d.serverTime - row.since)})`],
    ['decided on', iso(d.observedAt)],
    ['previous state', d.previousState ?? '–'],
    ['domain', row.domain],
    ['last heartbeat', `${iso(row.lastHeartbeatAt)} (${ago(d.serverTime - row.lastHeartbeatAt)})`],
    ['address', d.address],
    ['agent', d.agentInstance],
    ['service (agent says)', d.serviceStatus],
    ['storage writes', d.storageWriteOk ? 'OK' : 'FAILING'],
    ['storage sequence (last heartbeat)', d.storageSequence],
    ['detector phase', `${d.phase}${d.probeAttempt > 0 ? `, probe attempt ${d.probeAttempt}` : ''}`],
  ];
  $('#detail-facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]));
  $('#detail-probers tbody').replaceChildren(...(d.probers.length === 0
    ? [el('tr', {}, el('td', { colspan: 6, class: 'muted', text: 'no probe answers (host heartbeating, or not probed yet)' }))]
    : d.probers.map((p) => el('tr', { 'data-prober': p.prober },
      el('td', { text: p.prober }),
      el('td', { class: `ping ${p.ping === 'OK' ? 'ok' : 'bad'}`, title: p.pingDetail ?? '',
        text: `${p.ping ?? '–'}${p.pingMethod ? ` (${p.pingMethod}${p.pingRttMicros != null ? `, ${p.pingRttMicros} µs` : ''})` : ''}` }),
      el('td', { class: 'storage', title: p.storageDetail ?? '', text: p.storage ?? '–' }),
      el('td', { text: p.storageSequence ?? '–' }),
      el('td', { class: 'self-isolated', text: p.selfIsolated == null ? '–' : (p.selfIsolated ? 'YES' : 'no') }),
      el('td', { title: iso(p.receivedAt), text: `${time(p.receivedAt)} (attempt ${p.attempt})` })))));
  $('#detail-combined').textContent = d.ping
    ? `Combined: ping ${d.ping}, storage ${d.storage}, self-isolation marker ${d.selfIsolated ? 'present' : 'absent'}.`
    : '';
  $('#timeline tbody').replaceChildren(...d.timeline.map((t) => el('tr', { 'data-state': t.state },
    el('td', { title: iso(t.observedAt), text: iso(t.observedAt) }),
    el('td', { class: `state s-${t.state === 'RUNNING' && t.conditions.length ? 'DEGRADED' : t.state}`, text: t.state }),
    el('td', { text: `${t.reason}${t.conditions.length ? ` +${t.conditions.join(',')}` : ''}` }),
    el('td', { class: 'muted', text: t.previousState ?? '–' }))));
}

function renderBanner() {
  const banner = $('#banner');
  const stale = lastOk > 0 && Date.now() - lastOk > STALE_MS;
  const messages = [...problems];
  if (stale) messages.push(`data on this page is ${Math.round((Date.now() - lastOk) / 1000)} s old`);
  if (!feedUp) messages.push('live updates disconnected (retrying)');
  banner.hidden = messages.length === 0;
  banner.textContent = messages.join(' · ');
}

// Every refresh starts at once (a click never waits for a poll in flight); a response older than what is on
// screen is dropped, so out-of-order answers cannot put an older page back.
async function refresh() {
  const mine = ++requested;
  const detailPath = view.selected ? `/api/hosts/${encodeURIComponent(view.selected)}` : null;
  try {
    const [summary, page, domains, detail] = await Promise.all([
      api('/api/summary'), api(`/api/hosts?${hostQuery()}`), api('/api/domains'),
      detailPath ? api(detailPath).catch((e) => ({ failed: e.message })) : null]);
    if (mine < rendered) return;
    rendered = mine;
    serverOffset = summary.serverTime - Date.now();
    problems = summary.instances
      .filter((i) => i.streamsState !== 'RUNNING' || i.stale)
      .map((i) => `detector ${i.instance} is ${i.streamsState}${i.stale ? ` and stale (no tick processed for ${ago(i.lastTickAgeMs).replace(' ago', '')})` : ''}`);
    renderCounts(summary);
    renderHosts(page);
    renderDomains(domains);
    if (detail?.failed) problems.push(`detail of ${view.selected}: ${detail.failed}`);
    else if (detail && view.selected === detail.row.host) renderDetail(detail);
    lastOk = Date.now();
  } catch (e) {
    if (mine < rendered) return;
    rendered = mine;
    problems = [`detector not answering: ${e.message}`];
  }
  renderBanner();
}

function connectFeed() {
  const feed = new EventSource('/api/events');
  feed.addEventListener('change', () => { feedUp = true; $('#live').textContent = 'live'; refresh(); });
  feed.onerror = () => { feedUp = false; $('#live').textContent = 'reconnecting…'; renderBanner(); };
}

function wire() {
  $('#counts').addEventListener('click', (e) => {
    const button = e.target.closest('button');
    if (!button) return;
    view.state = button.dataset.state;
    view.offset = 0;
    refresh();
  });
  let typing;
  $('#search').addEventListener('input', (e) => {
    clearTimeout(typing);
    typing = setTimeout(() => { view.q = e.target.value.trim(); view.offset = 0; refresh(); }, 150);
  });
  $('#domain').addEventListener('change', (e) => { view.domain = e.target.value; view.offset = 0; refresh(); });
  $('#prev').addEventListener('click', () => { view.offset = Math.max(0, view.offset - PAGE); refresh(); });
  $('#next').addEventListener('click', () => { view.offset += PAGE; refresh(); });
  $('#hosts tbody').addEventListener('click', (e) => {
    const tr = e.target.closest('tr[data-host]');
    if (!tr) return;
    view.selected = tr.dataset.host;
    refresh();
  });
  $('#detail-close').addEventListener('click', () => { view.selected = null; $('#detail').hidden = true; refresh(); });
}

wire();
connectFeed();
refresh();
setInterval(refresh, REFRESH_MS);
setInterval(() => { tickAges(); renderBanner(); }, 1000);
