// The codegloss dashboard page: plain JavaScript, no libraries, no network beyond this server.
// It reads the JSON API once, then follows /api/events (server-sent events) for live snapshots.
(function () {
  'use strict';

  const STATES = ['enqueued', 'processing', 'succeeded', 'partial', 'split', 'failed', 'tooLarge'];
  const PALETTE = ['#ea580c', '#059669', '#7c3aed', '#db2777', '#0891b2', '#ca8a04', '#4b5563', '#65a30d'];
  const OVERALL_COLOR = '#1d4ed8';
  let lastSnapshot = null;
  let pollTimer = null;
  let config = { refreshSeconds: 2, workerDeadSeconds: 45, jobrunrDashboardUrl: 'http://localhost:8000' };

  // --- small DOM helpers (text only: every value goes through textContent) -------------------
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k.startsWith('data-') || k === 'href' || k === 'title' || k === 'target' || k === 'rel' || k === 'colspan' || k === 'rowspan') e.setAttribute(k, v);
      else e[k] = v;
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }
  const $ = (sel) => document.querySelector(sel);
  const fmt = (n) => (n === null || n === undefined) ? '–' : Number(n).toLocaleString('en-US');
  const fmt2 = (n) => (n === null || n === undefined) ? '–' : Number(n).toLocaleString('en-US', { maximumFractionDigits: 2 });
  const pct = (r) => (r * 100).toFixed(1) + '%';
  const time = (iso) => iso ? new Date(iso).toLocaleTimeString('en-GB') : '–';
  const dateTime = (iso) => iso ? new Date(iso).toLocaleString('en-GB') : '–';
  function setText(sel, text) { const e = $(sel); if (e) e.textContent = text; }
  function jobLink(id, url) {
    return id ? el('a', { href: url, target: '_blank', rel: 'noopener', 'data-testid': 'job-link' }, String(id).substring(0, 8) + '…') : '–';
  }

  // --- data ------------------------------------------------------------------------------------
  async function getJson(path) {
    const r = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
    return r.json();
  }

  async function loadAll() {
    const [summary, queue, throughput, workers, savings, failures] = await Promise.all([
      getJson('/api/summary'), getJson('/api/queue'), getJson('/api/throughput?minutes=60'),
      getJson('/api/workers'), getJson('/api/savings'), getJson('/api/failures?limit=50')]);
    return { summary, queue, throughput, workers, savings, failures };
  }

  function setLive(kind, text) {
    const e = $('#live-status');
    e.className = 'live ' + kind;
    e.textContent = text;
  }

  async function poll() {
    try {
      render(await loadAll());
      setLive('live-on', 'live (polling)');
    } catch (err) {
      setLive('problem', 'cannot reach the dashboard: ' + err.message);
    }
  }

  function startPolling() {
    if (!pollTimer) pollTimer = setInterval(poll, config.refreshSeconds * 1000);
  }

  function stopPolling() {
    if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
  }

  function connect() {
    if (!window.EventSource) { startPolling(); return; }
    const es = new EventSource('/api/events');
    es.addEventListener('snapshot', (e) => {
      stopPolling();
      render(JSON.parse(e.data));
      setLive('live-on', 'live');
    });
    es.addEventListener('problem', (e) => {
      setLive('problem', 'database: ' + JSON.parse(e.data).error);
    });
    es.onerror = () => {
      // EventSource reconnects by itself; poll meanwhile so the numbers keep moving.
      setLive('reconnecting', 'reconnecting…');
      startPolling();
    };
  }

  // --- rendering -------------------------------------------------------------------------------
  // Sections are redrawn only when their data changed, so that an operator can select text
  // in a table that is not moving.
  const drawn = {};
  function changed(key, data) {
    const text = JSON.stringify(data);
    if (drawn[key] === text) return false;
    drawn[key] = text;
    return true;
  }

  function render(s) {
    lastSnapshot = s;
    if (changed('summary', [s.summary, s.queue.maxLiveWorkerTokens])) renderSummary(s.summary, s.queue);
    if (changed('queue', s.queue)) renderQueue(s.queue);
    if (changed('throughput', s.throughput)) renderThroughput(s.throughput);
    if (changed('workers', s.workers)) renderWorkers(s.workers);
    if (changed('savings', s.savings)) renderSavings(s.savings);
    if (changed('failures', s.failures)) renderFailures(s.failures);
    setText('#updated-at', 'updated ' + time(s.summary.generatedAt));
    document.body.dataset.generatedAt = s.summary.generatedAt;
  }

  function renderSummary(sum, queue) {
    setText('#progress-percent', pct(sum.progress));
    $('#progress-bar').style.width = (sum.progress * 100).toFixed(2) + '%';
    setText('#progress-detail', fmt(sum.enrichedSpans) + ' of ' + fmt(sum.spans) + ' spans enriched in '
      + fmt(sum.repositories) + (sum.repositories === 1 ? ' repository' : ' repositories'));
    setText('[data-testid=summary-enqueued]', fmt(sum.jobs.enqueued));
    setText('[data-testid=summary-processing]', fmt(sum.jobs.processing));
    setText('[data-testid=summary-failed]', fmt(sum.jobs.failed));
    $('[data-testid=summary-workers]').replaceChildren(fmt(sum.workersAlive),
      sum.workersDead ? el('span', { class: 'small muted' }, ' (' + sum.workersDead + ' dead)') : '');
    setText('[data-testid=summary-spans-hour]', fmt(sum.spansLastHour));
    setText('[data-testid=summary-failed-spans]', fmt(sum.failedSpans));
    setText('[data-testid=summary-secrets-redacted]', fmt(sum.secretsRedacted));
    setText('[data-testid=max-live-tokens]', sum.maxLiveWorkerTokens === null ? 'no live worker' : fmt(sum.maxLiveWorkerTokens) + ' tokens');

    const warn = $('#capacity-warning');
    let text = '';
    if (sum.maxLiveWorkerTokens === null && (sum.jobs.enqueued + sum.jobs.processing) > 0) {
      text = 'No live worker: ' + fmt(sum.jobs.enqueued) + ' enqueued jobs are waiting. Start a worker.';
    } else if (sum.jobs.tooLarge > 0) {
      text = fmt(sum.jobs.tooLarge) + ' enqueued jobs are larger than every live worker (largest takes '
        + fmt(sum.maxLiveWorkerTokens) + ' tokens): start a worker with a larger --max-tokens.';
    }
    warn.textContent = text;
    warn.hidden = text === '';
  }

  function countCells(counts, repo, kind) {
    return STATES.map((st) => el('td', {
      class: counts[st] ? '' : 'zero', 'data-testid': 'queue-cell', 'data-repo': repo, 'data-kind': kind, 'data-state': st,
    }, fmt(counts[st])));
  }

  function renderQueue(q) {
    const body = $('#queue-table tbody');
    const rows = [];
    if (q.repositories.length === 0) {
      rows.push(el('tr', {}, el('td', { class: 'empty', colspan: 10 }, 'No repository indexed yet.')));
    }
    for (const r of q.repositories) {
      const progress = el('td', { class: 'text', rowspan: 2, 'data-testid': 'repo-progress', 'data-repo': r.name },
        el('span', { class: 'mini-bar' }, el('span', {})), pct(r.progress),
        el('div', { class: 'muted small' }, fmt(r.enrichedSpans) + ' / ' + fmt(r.spans) + ' spans'),
        el('div', { class: 'muted small', 'data-testid': 'repo-states' },
          fmt(r.factsOnlySpans) + ' facts only, ' + fmt(r.failedSpans) + ' prose failed, '
            + fmt(r.notIndexedSpans) + ' not indexed'));
      progress.querySelector('.mini-bar > span').style.width = (r.progress * 100).toFixed(2) + '%';
      rows.push(el('tr', { 'data-repo': r.name },
        el('td', { class: 'text', rowspan: 2, title: r.rootPath }, r.name), progress,
        el('td', { class: 'text' }, 'batch'), ...countCells(r.batch, r.name, 'batch')));
      rows.push(el('tr', { 'data-repo': r.name },
        el('td', { class: 'text' }, 'single'), ...countCells(r.single, r.name, 'single')));
    }
    body.replaceChildren(...rows);
    $('#queue-table tfoot').replaceChildren(
      el('tr', {}, el('td', { class: 'text', colspan: 2 }, 'All repositories'), el('td', { class: 'text' }, 'batch'), ...countCells(q.batch, '*', 'batch')),
      el('tr', {}, el('td', { class: 'text', colspan: 2 }, ''), el('td', { class: 'text' }, 'single'), ...countCells(q.single, '*', 'single')));
  }

  function renderWorkers(w) {
    setText('#dead-seconds', w.deadAfterSeconds);
    const rows = w.workers.map((x) => el('tr', { 'data-worker': x.name, 'data-status': x.status },
      el('td', { class: 'text' }, x.name),
      el('td', { class: 'text' }, x.host),
      el('td', { class: 'text' }, el('span', { class: 'status ' + x.status, 'data-testid': 'worker-status' }, x.status)),
      el('td', {}, fmt(x.maxTokens)),
      el('td', {}, fmt(x.concurrency)),
      el('td', { class: 'text' }, x.backend),
      el('td', { class: 'text' }, x.model),
      el('td', { 'data-testid': 'worker-calls' }, fmt(x.currentCalls) + ' / ' + fmt(x.concurrency)
        + (x.callsBusyPercent == null ? '' : ' · ' + fmt(x.callsBusyPercent) + ' % busy')),
      el('td', { 'data-testid': 'worker-jobs' }, fmt(x.currentJobs), ...x.processingJobs.map((id) =>
        el('div', {}, jobLink(id, config.jobrunrDashboardUrl + '/dashboard/jobs/' + id)))),
      el('td', { class: 'text', title: dateTime(x.lastHeartbeat) }, x.secondsSinceHeartbeat + ' s ago')));
    if (rows.length === 0) rows.push(el('tr', {}, el('td', { class: 'empty', colspan: 10 }, 'No worker has reported in the last hour.')));
    $('#workers-table tbody').replaceChildren(...rows);
  }

  function renderSavings(sv) {
    const b = sv.batch, s = sv.single;
    const ratio = (r) => r === null ? '–' : fmt2(r) + '×';
    const row = (label, key, bv, svv, r) => el('tr', {},
      el('td', { class: 'text' }, label),
      el('td', { 'data-testid': 'savings-batch-' + key }, bv),
      el('td', { 'data-testid': 'savings-single-' + key }, svv),
      el('td', { 'data-testid': 'savings-ratio-' + key }, r));
    $('#savings-table tbody').replaceChildren(
      row('LLM calls', 'calls', fmt(b.calls), fmt(s.calls), ''),
      row('Spans enriched', 'spans', fmt(b.spansEnriched), fmt(s.spansEnriched), ''),
      row('Failed calls', 'failed', fmt(b.failedCalls), fmt(s.failedCalls), ''),
      row('LLM calls per span', 'callsPerSpan', fmt2(b.callsPerSpan), fmt2(s.callsPerSpan), ratio(sv.callsRatio)),
      row('Tokens per span', 'tokensPerSpan', fmt2(b.tokensPerSpan), fmt2(s.tokensPerSpan), ratio(sv.tokensRatio)),
      row('Seconds per span', 'secondsPerSpan', fmt2(b.secondsPerSpan), fmt2(s.secondsPerSpan), ratio(sv.secondsRatio)));
    let sentence;
    if (sv.callsSaved !== null) {
      sentence = 'Batching saved about ' + fmt(sv.callsSaved) + ' LLM calls: ' + fmt2(b.callsPerSpan)
        + ' calls per span instead of ' + fmt2(s.callsPerSpan) + '.';
    } else if (b.calls + s.calls === 0) {
      sentence = 'No LLM call yet.';
    } else {
      sentence = 'A comparison needs spans enriched in both modes.';
    }
    setText('#savings-sentence', sentence);
  }

  function renderFailures(f) {
    const empty = (n, text) => [el('tr', {}, el('td', { class: 'empty', colspan: n }, text))];
    const calls = f.calls.map((c) => el('tr', { 'data-call': c.id },
      el('td', { class: 'text', title: dateTime(c.at) }, time(c.at)),
      el('td', { class: 'text' }, c.worker), el('td', { class: 'text' }, c.model),
      el('td', { class: 'text' }, c.mode), el('td', {}, fmt(c.spanCount)),
      el('td', { class: 'text' }, c.outcome), el('td', { class: 'error' }, c.error || ''),
      el('td', { class: 'text' }, jobLink(c.jobId, c.jobUrl))));
    $('#failed-calls tbody').replaceChildren(...(calls.length ? calls : empty(8, 'No failed call.')));
    const spans = f.spans.map((s) => el('tr', { 'data-span': s.spanId },
      el('td', { class: 'text', title: dateTime(s.updatedAt) }, time(s.updatedAt)),
      el('td', { class: 'text' }, s.repository),
      el('td', { class: 'text' }, s.symbol, el('div', { class: 'muted small' }, s.path + ':' + s.startLine + '-' + s.endLine)),
      el('td', {}, fmt(s.attempts)),
      el('td', { class: 'text' }, s.permanent ? 'gave up' : 'retries ' + time(s.nextAttemptAt)),
      el('td', { class: 'error' }, s.error),
      el('td', { class: 'text' }, jobLink(s.jobId, s.jobUrl))));
    $('#failed-spans tbody').replaceChildren(...(spans.length ? spans : empty(7, 'No failed span.')));
    const jobs = f.jobs.map((j) => el('tr', { 'data-job': j.jobId },
      el('td', { class: 'text', title: dateTime(j.updatedAt) }, time(j.updatedAt)),
      el('td', { class: 'text' }, j.repository), el('td', { class: 'text' }, j.kind),
      el('td', {}, fmt(j.tokens)), el('td', {}, fmt(j.attempts)),
      el('td', { class: 'text' }, j.worker || '–'), el('td', { class: 'error' }, j.error || ''),
      el('td', { class: 'text' }, jobLink(j.jobId, j.jobUrl))));
    $('#failed-jobs tbody').replaceChildren(...(jobs.length ? jobs : empty(8, 'No failed job.')));
  }

  // --- charts (canvas, drawn by hand) -----------------------------------------------------------
  function renderThroughput(t) {
    const series = (key) => {
      const list = [{ label: 'all workers', color: OVERALL_COLOR, width: 2.5, values: t.overall.map((p) => p[key]) }];
      t.series.forEach((s, i) => list.push({
        label: s.worker + ' · ' + s.model, color: PALETTE[i % PALETTE.length], width: 1.5, values: s.points.map((p) => p[key]),
      }));
      return list;
    };
    const times = t.overall.map((p) => p.minute);
    drawChart($('#chart-spans'), $('#legend-spans'), times, series('spans'), (v) => fmt2(v));
    drawChart($('#chart-tokens'), $('#legend-tokens'), times, series('tokensPerSecond'), (v) => fmt2(v));
  }

  function niceMax(v) {
    if (v <= 0) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
    return 10 * p;
  }

  function drawChart(canvas, legend, times, series, label) {
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth || 600, h = canvas.clientHeight || 220;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    const g = canvas.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    const left = 48, right = 10, top = 10, bottom = 24;
    const pw = w - left - right, ph = h - top - bottom;
    const n = times.length;
    const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
    const x = (i) => left + (n <= 1 ? pw : (i / (n - 1)) * pw);
    const y = (v) => top + ph - (v / max) * ph;

    g.font = '11px system-ui, sans-serif';
    g.fillStyle = '#6b7280';
    g.strokeStyle = '#e5e7eb';
    g.lineWidth = 1;
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    for (let k = 0; k <= 4; k++) {
      const v = (max * k) / 4;
      const yy = Math.round(y(v)) + 0.5;
      g.beginPath(); g.moveTo(left, yy); g.lineTo(left + pw, yy); g.stroke();
      g.fillText(label(v), left - 6, yy);
    }
    g.textAlign = 'center';
    g.textBaseline = 'top';
    for (let i = 0; i < n; i++) {
      const d = new Date(times[i]);
      if (d.getMinutes() % 10 === 0 || i === n - 1) {
        const txt = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
        if (i === n - 1) {
          g.textAlign = 'right';
          g.fillText(txt, x(i), top + ph + 6);
          g.textAlign = 'center';
        } else if (n - 1 - i >= 4 && i >= 2) {
          g.fillText(txt, x(i), top + ph + 6);
        }
      }
    }

    let nonZero = 0;
    // Per-worker lines first so that the overall line stays on top.
    for (const s of series.slice(1).concat(series.slice(0, 1))) {
      g.strokeStyle = s.color;
      g.lineWidth = s.width;
      g.lineJoin = 'round';
      g.beginPath();
      s.values.forEach((v, i) => (i === 0 ? g.moveTo(x(i), y(v)) : g.lineTo(x(i), y(v))));
      g.stroke();
    }
    nonZero = series[0].values.filter((v) => v > 0).length;
    if (nonZero === 0) {
      g.fillStyle = '#9ca3af';
      g.textAlign = 'center';
      g.textBaseline = 'middle';
      g.font = '13px system-ui, sans-serif';
      g.fillText('No LLM calls in the last hour', left + pw / 2, top + ph / 2 - 14);
    }
    canvas.dataset.points = String(nonZero);
    canvas.dataset.max = String(Math.max(0, ...series[0].values));
    canvas.dataset.series = String(series.length - 1);

    legend.replaceChildren(...series.map((s) => {
      const total = s.values.reduce((a, b) => a + b, 0);
      const sw = el('span', { class: 'swatch' });
      sw.style.background = s.color;
      return el('li', { 'data-series': s.label }, sw, s.label, el('span', { class: 'muted' }, ' peak ' + label(Math.max(0, ...s.values)) + (total ? '' : ' (idle)')));
    }));
  }

  // --- line-up: priorities and jobs too large for every live worker (its own endpoint) ---------
  async function refreshLineUp() {
    try {
      const l = await getJson('/api/lineup');
      if (changed('lineup', l)) renderLineUp(l);
    } catch (err) {
      // the live status line already reports an unreachable server
    }
  }

  function renderLineUp(l) {
    const body = $('#priority-table tbody');
    body.replaceChildren(...l.priorities.map((p) => el('tr', { 'data-priority': p.priority },
      el('td', { class: 'text' }, p.priority), el('td', {}, fmt(p.jobs)),
      el('td', { class: 'text' }, p.oldest ? dateTime(p.oldest) : '–'))));
    renderCut(l);
    const table = $('#oversize-table');
    if (l.maxLiveWorkerTokens === null || l.maxLiveWorkerTokens === undefined) {
      setText('#oversize-note', 'No live worker: every job waits.');
      table.hidden = true;
      return;
    }
    if (!l.oversizeTotal) {
      setText('#oversize-note', 'Every enqueued job fits the largest live worker (' + fmt(l.maxLiveWorkerTokens) + ' tokens).');
      table.hidden = true;
      return;
    }
    setText('#oversize-note', fmt(l.oversizeTotal) + ' enqueued job' + (l.oversizeTotal === 1 ? ' is' : 's are')
      + ' larger than every live worker (largest limit ' + fmt(l.maxLiveWorkerTokens) + ' tokens) and wait'
      + (l.oversizeTotal === 1 ? 's' : '') + ' for a worker with a larger --max-tokens'
      + (l.oversizeTotal > l.oversize.length ? '; the ' + l.oversize.length + ' largest:' : ':'));
    table.hidden = false;
    $('#oversize-table tbody').replaceChildren(...l.oversize.map((j) => el('tr', { 'data-testid': 'oversize-job' },
      el('td', { class: 'text' }, j.kind + ' ' + j.path + ':' + j.startLine + '-' + j.endLine),
      el('td', { class: 'text' }, j.symbols.length <= 3 ? j.symbols.join(', ') : j.symbols.slice(0, 3).join(', ') + ' and ' + (j.symbols.length - 3) + ' more'),
      el('td', {}, fmt(j.jobTokens)), el('td', {}, fmt(j.minMaxTokens)),
      el('td', { class: 'text' }, j.kind === 'batch'
        ? 'a batch: split into single-span jobs by a worker that cannot take it whole'
        : j.cutToTokens === null || j.cutToTokens === undefined
          ? 'whole'
          : 'with its code cut to ' + fmt(j.cutToTokens) + ' of ' + fmt(j.spanTokens) + ' tokens (about ' + fmt(j.cutToLines) + ' of ' + fmt(j.endLine - j.startLine + 1) + ' lines); whole with --max-tokens ' + fmt(j.wholeMaxTokens)))));
  }

  // single spans larger than a default worker: enqueued at its size, they run with their code cut
  function renderCut(l) {
    const cut = l.cut || [];
    const table = $('#cut-table');
    const note = $('#cut-note');
    if (!l.cutTotal) {
      table.hidden = true;
      note.hidden = true;
      return;
    }
    note.hidden = false;
    setText('#cut-note', fmt(l.cutTotal) + ' enqueued span' + (l.cutTotal === 1 ? ' is' : 's are')
      + ' larger than a default worker and ' + (l.cutTotal === 1 ? 'runs' : 'run')
      + ' with ' + (l.cutTotal === 1 ? 'its' : 'their') + ' code cut to fit; the note records the cut'
      + (l.cutTotal > cut.length ? '; the ' + cut.length + ' largest:' : ':'));
    table.hidden = false;
    $('#cut-table tbody').replaceChildren(...cut.map((j) => el('tr', { 'data-testid': 'cut-job' },
      el('td', { class: 'text' }, j.path + ':' + j.startLine + '-' + j.endLine),
      el('td', { class: 'text' }, j.symbols.join(', ')),
      el('td', {}, fmt(j.spanTokens)),
      el('td', {}, fmt(j.cutToTokens) + ' (' + fmt(j.minMaxTokens) + ')'),
      el('td', {}, fmt(j.wholeMaxTokens)))));
  }

  window.addEventListener('resize', () => { if (lastSnapshot) renderThroughput(lastSnapshot.throughput); });

  async function main() {
    try {
      config = await getJson('/api/config');
      $('#jobrunr-link').href = config.jobrunrDashboardUrl + '/dashboard';
      render(await loadAll());
    } catch (err) {
      setLive('problem', 'cannot load: ' + err.message);
    }
    connect();
    refreshLineUp();
    setInterval(refreshLineUp, config.refreshSeconds * 1000);
  }

  main();
})();
