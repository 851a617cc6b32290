// Herald's admin page: asks for the admin token, keeps it in this tab's sessionStorage (never in a URL) and
// polls GET /admin/api/summary with it as a Bearer header every 2 s. Everything from the server is shown with
// textContent, never parsed as HTML: channel names, clientIds and reasons are chosen by clients.
'use strict';

(function () {
  const KEY = 'herald-admin-token';
  const PERIOD_MS = 2000;
  const $ = (id) => document.getElementById(id);
  const byTest = (id) => document.querySelector(`[data-testid="${id}"]`);
  let timer = null;

  function setStatus(text, cls) {
    const s = $('status');
    s.textContent = text;
    s.className = `status ${cls || ''}`;
  }

  function setNumber(testId, value) {
    const el = byTest(testId);
    el.textContent = String(value);
    el.dataset.value = String(value);
  }

  function fillTable(testId, rows, columns) {
    const body = byTest(testId).querySelector('tbody');
    const out = [];
    for (const row of rows) {
      const tr = document.createElement('tr');
      for (const value of row) {
        const td = document.createElement('td');
        td.textContent = value === null || value === undefined ? '' : String(value);
        tr.appendChild(td);
      }
      out.push(tr);
    }
    if (out.length === 0) {
      const tr = document.createElement('tr');
      const td = document.createElement('td');
      td.colSpan = columns;
      td.className = 'empty';
      td.textContent = 'none';
      tr.appendChild(td);
      out.push(tr);
    }
    body.replaceChildren(...out);
  }

  function render(s) {
    $('server').textContent = `server ${s.serverId}${s.ready ? '' : ' (not ready)'}`;
    setNumber('connections-total', s.connections.total);
    setNumber('connections-connected', s.connections.connected);
    setNumber('channels-total', s.channels.total);
    setNumber('rate-in', s.messages.inPerSecond);
    setNumber('rate-out', s.messages.outPerSecond);
    setNumber('total-in', s.messages.inTotal);
    setNumber('total-out', s.messages.outTotal);
    for (const w of document.querySelectorAll('.window')) w.textContent = String(s.messages.windowSeconds);

    const apps = new Set([...Object.keys(s.connections.byApp), ...Object.keys(s.channels.byApp)]);
    fillTable('apps', [...apps].sort().map((a) => [a, s.connections.byApp[a] || 0, s.channels.byApp[a] || 0]), 3);
    fillTable('top-channels', s.channels.top.map((c) => [c.app, c.channel, c.subscribers]), 3);
    fillTable('refusals', s.tokenRefusals.map((r) => [
      new Date(r.time).toLocaleTimeString(), r.keyName, r.clientId, r.remote, r.code, r.reason]), 6);
    byTest('updated').textContent = `Last update ${new Date(s.time).toLocaleTimeString()}.`;
  }

  function showLogin(message) {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    $('dashboard').hidden = true;
    $('signout').hidden = true;
    $('login').hidden = false;
    const err = $('login-error');
    err.textContent = message || '';
    err.hidden = !message;
    setStatus('signed out', '');
    $('token').focus();
  }

  async function refresh() {
    timer = null;
    const token = sessionStorage.getItem(KEY);
    if (!token) {
      showLogin('');
      return;
    }
    try {
      const r = await fetch('/admin/api/summary', {
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
        cache: 'no-store',
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
      });
      if (r.status === 401) {
        sessionStorage.removeItem(KEY);
        showLogin('That token was refused.');
        return;
      }
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      render(await r.json());
      $('login').hidden = true;
      $('dashboard').hidden = false;
      $('signout').hidden = false;
      setStatus('live', 'ok');
    } catch (e) {
      setStatus(`unreachable (${e.message}), retrying`, 'bad');
    }
    if (sessionStorage.getItem(KEY)) timer = setTimeout(refresh, PERIOD_MS);
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('login').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const input = $('token');
      const token = input.value.trim();
      input.value = '';
      if (!token) return;
      sessionStorage.setItem(KEY, token);
      if (timer !== null) clearTimeout(timer);
      refresh();
    });
    $('signout').addEventListener('click', () => {
      sessionStorage.removeItem(KEY);
      showLogin('');
    });
    if (sessionStorage.getItem(KEY)) refresh();
    else showLogin('');
  });
})();
