'use strict';
// Fault injection with ably-js (FaultsIT): one scenario per run. The scenario injects faults through the control API
// (/control/faults, Bearer token) and records what the SDK shows: connection and channel state changes with their
// error codes, messages received, and timings. It clears its faults at the end, and shows the client recovers.
// input: { port, binary, scenario, controlToken, appId, key, revocableKey, channel, clientId }
const { Ably, run, options, connectionState, within, note, errorInfo, closeQuietly } = require('./lib');

function control(input) {
  const base = 'http://127.0.0.1:' + input.port + '/control/faults';
  const headers = { Authorization: 'Bearer ' + input.controlToken, 'Content-Type': 'application/json' };
  return {
    async inject(fault) {
      const r = await fetch(base, { method: 'POST', headers, body: JSON.stringify(Object.assign({ appId: input.appId }, fault)) });
      const body = await r.json();
      note('inject', fault.kind, r.status, body);
      if (r.status !== 201) throw new Error('inject ' + fault.kind + ' answered ' + r.status + ' ' + JSON.stringify(body));
      return body;
    },
    /** How many times the fault has acted so far (its listing's `applied`), or -1 when it is not active. */
    async applied(id) {
      const r = await fetch(base + '?appId=' + encodeURIComponent(input.appId), { headers });
      const f = (await r.json()).faults.find(x => x.id === id);
      return f ? f.applied : -1;
    },
    /** Resolves once the fault has acted at least n times (polled; the control API is the only place that says). */
    async appliedAtLeast(id, n) {
      return within(10000, 'fault ' + id + ' applied ' + n + ' times', (async () => {
        while ((await this.applied(id)) < n) await new Promise(r => setTimeout(r, 10));
      })());
    },
    async clear(id) {
      const r = await fetch(base + '/' + id, { method: 'DELETE', headers });
      if (r.status !== 204) throw new Error('clear ' + id + ' answered ' + r.status);
    },
  };
}

/**
 * Records every state change of an EventEmitter (connection or channel); next() waits for the first change after the
 * last one it returned that matches, so a change that came before the call (e.g. while a control request was
 * answered) is not missed.
 */
function recorder(emitter, label) {
  const changes = [];
  let cursor = 0;
  let waiter = null;
  function scan() {
    if (!waiter) return;
    for (let i = cursor; i < changes.length; i++) {
      if (waiter.pred(changes[i])) {
        cursor = i + 1;
        const w = waiter;
        waiter = null;
        w.resolve(changes[i]);
        return;
      }
    }
  }
  emitter.on(change => {
    const c = { event: change.previous === change.current ? 'update' : change.current, previous: change.previous,
      current: change.current, resumed: change.resumed, reason: errorInfo(change.reason) };
    note(label, c);
    changes.push(c);
    scan();
  });
  return {
    changes,
    /** Forgets the changes so far: next() looks only at those that come after. */
    mark() { cursor = changes.length; },
    next(what, pred, ms) {
      return within(ms || 15000, label + ' ' + what, new Promise(resolve => { waiter = { pred, resolve }; scan(); }));
    },
  };
}

/** A subscriber that collects message data and can wait for a given one. */
function collector(channel) {
  const got = [];
  const waiters = [];
  const ready = channel.subscribe(m => {
    got.push({ data: m.data, at: Date.now() });
    for (const w of waiters.slice()) {
      if (w.data === m.data) { waiters.splice(waiters.indexOf(w), 1); w.resolve(); }
    }
  });
  return {
    ready,
    got,
    data: () => got.map(g => g.data),
    waitFor(data, ms) {
      if (got.some(g => g.data === data)) return Promise.resolve();
      return within(ms || 10000, 'message ' + data, new Promise(resolve => waiters.push({ data, resolve })));
    },
  };
}

const scenarios = {
  // connection.drop / connection.disconnect: disconnected -> connected, same id (resumed), nothing lost
  async drop(input, ctl, kind, error) {
    const rt = new Ably.Realtime(options(input, { key: input.key, disconnectedRetryTimeout: 500 }));
    const rest = new Ably.Rest(options(input, { key: input.key }));
    try {
      const conn = recorder(rt.connection, 'connection');
      await connectionState(rt, 'connected');
      const idBefore = rt.connection.id;
      const ch = rt.channels.get(input.channel);
      const msgs = collector(ch);
      await within(10000, 'attach', msgs.ready);
      await rest.channels.get(input.channel).publish('m', 'before');
      await msgs.waitFor('before');
      conn.mark();
      const fault = await ctl.inject(Object.assign({ kind, connectionId: idBefore }, error ? { error } : {}));
      const disconnected = await conn.next('disconnected', c => c.current === 'disconnected');
      await rest.channels.get(input.channel).publish('m', 'during');
      await conn.next('connected again', c => c.current === 'connected');
      await rest.channels.get(input.channel).publish('m', 'after');
      await msgs.waitFor('after');
      return { fault, disconnected, idBefore, idAfter: rt.connection.id, received: msgs.data(),
        errorReason: errorInfo(rt.connection.errorReason) };
    } finally { closeQuietly(rt); }
  },

  disconnect(input, ctl) {
    return scenarios.drop(input, ctl, 'connection.disconnect', { code: 80003, statusCode: 400, message: 'go away for a bit' });
  },

  // connection.failResume: the next resume gets a new connection id and 80008; the channel re-attaches
  async failResume(input, ctl) {
    const rt = new Ably.Realtime(options(input, { key: input.key, disconnectedRetryTimeout: 500 }));
    const rest = new Ably.Rest(options(input, { key: input.key }));
    try {
      const conn = recorder(rt.connection, 'connection');
      await connectionState(rt, 'connected');
      const idBefore = rt.connection.id;
      const ch = rt.channels.get(input.channel);
      const chan = recorder(ch, 'channel');
      const msgs = collector(ch);
      await within(10000, 'attach', msgs.ready);
      conn.mark();
      chan.mark();
      const resumeFault = await ctl.inject({ kind: 'connection.failResume', connectionId: idBefore });
      await ctl.inject({ kind: 'connection.drop', connectionId: idBefore });
      await conn.next('disconnected', c => c.current === 'disconnected');
      const connected = await conn.next('connected again', c => c.current === 'connected');
      const reattached = await chan.next('re-attached', c => c.current === 'attached' || c.event === 'update');
      await rest.channels.get(input.channel).publish('m', 'after');
      await msgs.waitFor('after');
      return { resumeFault, connected, reattached, idBefore, idAfter: rt.connection.id,
        errorReason: errorInfo(rt.connection.errorReason), received: msgs.data() };
    } finally { closeQuietly(rt); }
  },

  // connection.fail: FAILED with the chosen code; a new client connects fine
  async fail(input, ctl) {
    const rt = new Ably.Realtime(options(input, { key: input.key }));
    try {
      const conn = recorder(rt.connection, 'connection');
      await connectionState(rt, 'connected');
      conn.mark();
      await ctl.inject({ kind: 'connection.fail', connectionId: rt.connection.id,
        error: { code: 40300, statusCode: 403, message: 'account disabled for the test' } });
      const failed = await conn.next('failed', c => c.current === 'failed');
      rt.connect();
      const reconnected = await conn.next('connected after connect()', c => c.current === 'connected');
      return { failed, reconnected };
    } finally { closeQuietly(rt); }
  },

  // token.expire / token.revoke: 40142 / 40141, the SDK renews through its authCallback and resumes
  async token(input, ctl, kind) {
    const key = kind === 'token.revoke' ? input.revocableKey : input.key;
    const rest = new Ably.Rest(options(input, { key }));
    let calls = 0;
    const rt = new Ably.Realtime(options(input, { clientId: input.clientId, disconnectedRetryTimeout: 500,
      authCallback: (params, cb) => { calls++; rest.auth.requestToken({ clientId: input.clientId }).then(t => cb(null, t), e => cb(e)); } }));
    try {
      const conn = recorder(rt.connection, 'connection');
      await connectionState(rt, 'connected');
      const idBefore = rt.connection.id;
      conn.mark();
      const fault = await ctl.inject({ kind, clientId: input.clientId });
      const disconnected = await conn.next('disconnected', c => c.current === 'disconnected');
      await conn.next('connected again', c => c.current === 'connected');
      return { fault, disconnected, calls, idBefore, idAfter: rt.connection.id };
    } finally { closeQuietly(rt); }
  },
  expire(input, ctl) { return scenarios.token(input, ctl, 'token.expire'); },
  revoke(input, ctl) { return scenarios.token(input, ctl, 'token.revoke'); },

  // token.requestFail x2: the SDK's connection attempts fail with the error, then it connects
  async requestFail(input, ctl) {
    const rest = new Ably.Rest(options(input, { key: input.key }));
    const fault = await ctl.inject({ kind: 'token.requestFail', count: 2,
      error: { code: 50300, statusCode: 503, message: 'token service down for the test' } });
    let calls = 0;
    const errors = [];
    const rt = new Ably.Realtime(options(input, { disconnectedRetryTimeout: 300, autoConnect: false,
      authCallback: (params, cb) => { calls++; rest.auth.requestToken().then(t => cb(null, t), e => { errors.push(errorInfo(e)); cb(e); }); } }));
    try {
      const conn = recorder(rt.connection, 'connection');
      rt.connect();
      const disconnected = await conn.next('disconnected', c => c.current === 'disconnected');
      await conn.next('connected', c => c.current === 'connected', 20000);
      return { fault, disconnected, calls, errors };
    } finally { closeQuietly(rt); }
  },

  // channel.detach: attaching (with the error) then attached again by the SDK itself
  async detach(input, ctl) {
    return scenarios.channel(input, ctl, 'channel.detach', async (ch, chan) => {
      const attaching = await chan.next('attaching', c => c.current === 'attaching');
      const attached = await chan.next('attached', c => c.current === 'attached');
      return { attaching, attached };
    });
  },

  // channel.fail: FAILED with the error; attach() brings it back
  async channelFail(input, ctl) {
    return scenarios.channel(input, ctl, 'channel.fail', async (ch, chan) => {
      const failed = await chan.next('failed', c => c.current === 'failed');
      await within(10000, 'attach() after failed', ch.attach());
      return { failed };
    });
  },

  // channel.suspend: SUSPENDED while the fault lasts (re-attaches refused); attached once it is cleared
  async suspend(input, ctl) {
    return scenarios.channel(input, ctl, 'channel.suspend', async (ch, chan, fault) => {
      const suspended = await chan.next('suspended', c => c.current === 'suspended');
      await ctl.clear(fault.id);
      const attached = await chan.next('attached', c => c.current === 'attached', 20000);
      return { suspended, attached };
    });
  },

  // channel.update: an UPDATE with resumed false
  async update(input, ctl) {
    return scenarios.channel(input, ctl, 'channel.update', async (ch, chan) => {
      const update = await chan.next('update', c => c.event === 'update');
      return { update };
    });
  },

  async channel(input, ctl, kind, react) {
    const rt = new Ably.Realtime(options(input, { key: input.key, channelRetryTimeout: 300 }));
    const rest = new Ably.Rest(options(input, { key: input.key }));
    try {
      await connectionState(rt, 'connected');
      const ch = rt.channels.get(input.channel);
      const chan = recorder(ch, 'channel');
      const msgs = collector(ch);
      await within(10000, 'attach', msgs.ready);
      chan.mark();
      const fault = await ctl.inject({ kind, channel: input.channel });
      const seen = await react(ch, chan, fault);
      await rest.channels.get(input.channel).publish('m', 'after');
      await msgs.waitFor('after');
      return Object.assign({ fault, state: ch.state, received: msgs.data(), changes: chan.changes }, seen);
    } finally { closeQuietly(rt); }
  },

  // delivery.drop / duplicate / delay, then cleared: what the subscriber got, in order, and when
  async delivery(input, ctl) {
    const rt = new Ably.Realtime(options(input, { key: input.key }));
    const rest = new Ably.Rest(options(input, { key: input.key }));
    try {
      await connectionState(rt, 'connected');
      const ch = rt.channels.get(input.channel);
      const chan = recorder(ch, 'channel');
      const msgs = collector(ch);
      await within(10000, 'attach', msgs.ready);
      const pub = rest.channels.get(input.channel);
      const out = {};

      chan.mark();
      let f = await ctl.inject({ kind: 'delivery.drop', channel: input.channel });
      const dropUpdate = chan.next('update after a drop', c => c.event === 'update');
      await pub.publish('m', 'dropped');
      out.dropUpdate = await dropUpdate;
      await ctl.clear(f.id);

      f = await ctl.inject({ kind: 'delivery.duplicate', channel: input.channel });
      await pub.publish('m', 'twice');
      await msgs.waitFor('twice');
      await ctl.clear(f.id);

      f = await ctl.inject({ kind: 'delivery.delay', channel: input.channel, delayMs: 700 });
      const sent = Date.now();
      await pub.publish('m', 'late1');
      await pub.publish('m', 'late2');
      // the fault acts when the subscriber's connection takes each event, which can be after both publishes were
      // answered: clear it only once it has held both, so that afterDelay (published after) must wait behind them
      await ctl.appliedAtLeast(f.id, 2);
      await ctl.clear(f.id);
      await pub.publish('m', 'afterDelay');
      await msgs.waitFor('afterDelay');
      const late = msgs.got.find(g => g.data === 'late1');
      out.delayMs = late.at - sent;

      await pub.publish('m', 'last');
      await msgs.waitFor('last');
      out.received = msgs.data();
      out.changes = chan.changes;
      return out;
    } finally { closeQuietly(rt); }
  },

  // connection.latency: the ACK of a publish comes late while it lasts, on time once it is cleared
  async latency(input, ctl) {
    const rt = new Ably.Realtime(options(input, { key: input.key }));
    try {
      await connectionState(rt, 'connected');
      const ch = rt.channels.get(input.channel);
      await within(10000, 'attach', ch.attach());
      const f = await ctl.inject({ kind: 'connection.latency', connectionId: rt.connection.id, delayMs: 800 });
      let t = Date.now();
      await within(10000, 'publish under latency', ch.publish('m', 'slow'));
      const slowMs = Date.now() - t;
      await ctl.clear(f.id);
      await within(10000, 'publish in flight when cleared', ch.publish('m', 'flush'));
      t = Date.now();
      await within(10000, 'publish after clearing', ch.publish('m', 'fast'));
      const fastMs = Date.now() - t;
      return { slowMs, fastMs, state: rt.connection.state };
    } finally { closeQuietly(rt); }
  },

  // rest.fail x2 on history: the SDK sees the error twice, then the answer
  async restFail(input, ctl) {
    const rest = new Ably.Rest(options(input, { key: input.key }));
    const fault = await ctl.inject({ kind: 'rest.fail', method: 'GET', path: '/channels/*/messages', count: 2,
      error: { code: 50000, statusCode: 500, message: 'history is down for the test' } });
    const errors = [];
    for (let i = 0; i < 2; i++) {
      try { await rest.channels.get(input.channel).history(); errors.push(null); }
      catch (e) { errors.push(errorInfo(e)); }
    }
    const page = await rest.channels.get(input.channel).history();
    return { fault, errors, thirdOk: Array.isArray(page.items) };
  },
};

run(60000, async input => {
  const s = scenarios[input.scenario];
  if (!s) throw new Error('unknown scenario ' + input.scenario);
  return input.scenario === 'drop'
    ? s(input, control(input), 'connection.drop')
    : s(input, control(input));
});
