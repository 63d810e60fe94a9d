// The span browser. Every text from code or models is set with textContent (never as HTML):
// a symbol named <script> or a summary holding markup shows as the characters it is.
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function spanLink(id, text) {
    const a = el('a', text);
    // the id is a number from our API; Number() keeps anything else out of the URL
    a.href = '/spans?id=' + encodeURIComponent(Number(id));
    a.setAttribute('data-testid', 'span-link');
    return a;
  }

  function message(text) {
    $('message').textContent = text || '';
  }

  async function getJson(url) {
    const r = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    if (!r.ok) {
      let detail = r.status + ' ' + r.statusText;
      try {
        const body = await r.json();
        if (body && (body.error || body.title)) detail = body.error || body.title;
      } catch (e) { /* not JSON */ }
      throw new Error(detail);
    }
    return r.json();
  }

  async function search(q) {
    $('search-input').value = q;
    $('span').hidden = true;
    message('searching…');
    const data = await getJson('/api/search?limit=50&q=' + encodeURIComponent(q));
    const body = $('results-body');
    body.replaceChildren();
    for (const h of data.hits) {
      const tr = el('tr');
      tr.setAttribute('data-testid', 'result');
      const sym = el('td');
      sym.appendChild(spanLink(h.spanId, h.symbol));
      tr.appendChild(sym);
      tr.appendChild(el('td', h.kind));
      tr.appendChild(el('td', h.path + ':' + h.startLine + '-' + h.endLine));
      tr.appendChild(el('td', h.state));
      tr.appendChild(el('td', h.summary || '', 'summary'));
      body.appendChild(tr);
    }
    $('results').hidden = false;
    message(data.hits.length === 0 ? 'no span matches' : data.hits.length + ' spans');
  }

  function value(v) {
    if (Array.isArray(v)) {
      const ul = el('ul', null, 'values');
      for (const x of v) ul.appendChild(el('li', x));
      return ul;
    }
    return el('span', v);
  }

  function source(f) {
    if (f.source === 'model') {
      return 'model ' + f.model + (f.promptVersion ? ', prompt v' + f.promptVersion : '') +
        (f.stale ? ' (stale: the code changed since)' : '');
    }
    if (f.source === 'docstring') return 'the docstring';
    return 'analysis';
  }

  function calls(list, target) {
    const ul = $(target);
    ul.replaceChildren();
    if (list.length === 0) {
      ul.appendChild(el('li', 'none', 'muted'));
      return;
    }
    for (const c of list) {
      const li = el('li');
      if (c.spanId !== null && c.spanId !== undefined) {
        li.appendChild(spanLink(c.spanId, c.symbol));
        li.appendChild(el('span', ' ' + c.path + ':' + c.startLine, 'muted'));
      } else {
        li.appendChild(el('span', c.symbol + ' (not indexed)'));
      }
      li.appendChild(el('span', '  line ' + c.line + ': ', 'muted'));
      li.appendChild(el('code', c.lineText));
      ul.appendChild(li);
    }
  }

  async function showSpan(id) {
    $('results').hidden = true;
    message('loading…');
    const data = await getJson('/api/spans/' + encodeURIComponent(id));
    const n = data.note;
    document.title = n.symbol + ' – codegloss';
    $('span-symbol').textContent = n.symbol;
    $('span-where').textContent = n.path + ':' + n.startLine + '-' + n.endLine;
    $('span-meta').textContent = n.kind + ', ' + n.language + ', ' + (n.state || 'unknown') +
      ' — ' + data.repositoryRoot;
    const body = $('note-body');
    body.replaceChildren();
    for (const f of n.fields) {
      const tr = el('tr');
      tr.setAttribute('data-testid', 'note-field');
      tr.setAttribute('data-field', f.name);
      tr.appendChild(el('th', f.name));
      const td = el('td');
      td.appendChild(value(f.value));
      tr.appendChild(td);
      const src = el('td', source(f), 'source');
      src.setAttribute('data-testid', 'note-source');
      tr.appendChild(src);
      body.appendChild(tr);
    }
    if (n.fields.length === 0) body.appendChild(el('tr', 'no note yet'));
    // e.g. the model saw the code cut to fit its worker: a reader must know what the prose rests on
    const notes = $('note-notes');
    notes.textContent = n.proseNotes ? 'Prose written with: ' + n.proseNotes : '';
    notes.hidden = !n.proseNotes;
    calls(n.calls, 'callees');
    calls(n.calledBy, 'callers');
    $('code').textContent = n.code;
    $('span').hidden = false;
    message('');
  }

  function route() {
    const params = new URLSearchParams(location.search);
    const id = params.get('id');
    const q = params.get('q');
    const run = id ? showSpan(id) : q ? search(q) : Promise.resolve(message('search the index'));
    run.catch((e) => message('error: ' + e.message));
  }

  $('search-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = $('search-input').value.trim();
    if (q) location.search = '?q=' + encodeURIComponent(q);
  });
  route();
}());
