import { useState } from 'react';
import { useAbly } from 'ably/react';
import { fetchTokenRequest } from '../api.js';
import { describeError } from '../ably.js';
import { useTokenWatch } from '../useTokenWatch.js';

/** What the tutorial is about, live: connection, identity, capability, token expiry and renewals. */
export default function LivePanel({ config, mode }) {
  const client = useAbly();
  const w = useTokenWatch(client);
  const left = w.expires ? Math.max(0, Math.round((w.expires - w.now) / 1000)) : null;
  const ttl = w.expires && w.issued ? Math.round((w.expires - w.issued) / 1000) : null;
  return (
    <aside className="live" data-testid="live-panel">
      <h3>Live: token auth</h3>
      <dl>
        <dt>Connection</dt>
        <dd>
          <span className={`state ${w.state}`} data-testid="conn-state">{w.state}</span>
          {w.reason && w.state !== 'connected' && (
            <div className="error" data-testid="conn-reason">{describeError(w.reason)}</div>
          )}
        </dd>
        <dt>connectionId</dt>
        <dd>
          <code data-testid="conn-id">{w.connectionId || '–'}</code>{' '}
          <span data-testid="conn-id-changed" data-value={w.connectionIdChanges}>
            {w.firstConnectionId == null ? '' : w.connectionIdChanges === 0 ? 'unchanged since first connect' : `changed ${w.connectionIdChanges}×`}
          </span>
        </dd>
        <dt>clientId</dt>
        <dd><code data-testid="client-id">{w.clientId || '–'}</code></dd>
        <dt>Capability granted</dt>
        <dd><pre data-testid="capability">{pretty(w.capability)}</pre></dd>
        <dt>Token expires</dt>
        <dd data-testid="token-expires" data-expires={w.expires || ''}>
          {left == null ? '–' : `in ${left} s`}{ttl != null && <span className="muted"> (ttl {ttl} s)</span>}
          {left != null && ttl ? <progress max={ttl} value={left} /> : null}
        </dd>
        <dt>Renewals</dt>
        <dd>
          <strong data-testid="renewals" data-value={w.renewals}>{w.renewals}</strong>{' '}
          <span className="muted">
            (<span data-testid="renewals-inband" data-value={w.inBand}>{w.inBand}</span> in-band without reconnecting,{' '}
            <span data-testid="renewals-resumed" data-value={w.afterExpiry}>{w.afterExpiry}</span> after expiry with a resume;{' '}
            <span data-testid="updates" data-value={w.updates}>{w.updates}</span> connection update events)
          </span>
        </dd>
        <dt>Auth</dt>
        <dd>
          <code data-testid="live-auth-mode">{mode}</code> → <code>/api/ably/token</code> → Herald at{' '}
          <code>{config.herald.host}:{config.herald.port}</code>
        </dd>
      </dl>
      <TamperTest client={client} />
    </aside>
  );
}

/**
 * Shows that the browser cannot widen its own rights: take a genuine TokenRequest, change its capability to
 * everything, and ask Herald for a token with it. The MAC no longer matches, so Herald refuses.
 */
function TamperTest({ client }) {
  const [result, setResult] = useState(null);
  async function run() {
    setResult({ pending: true });
    try {
      const genuine = await fetchTokenRequest();
      const tampered = { ...genuine, capability: JSON.stringify({ '*': ['*'] }) };
      const token = await client.auth.requestToken(null, { authCallback: (_p, cb) => cb(null, tampered) });
      setResult({ ok: false, text: `Herald accepted a tampered request?! capability ${token.capability}` });
    } catch (e) {
      setResult({ ok: true, code: e.code, text: `Refused by Herald: ${describeError(e)}` });
    }
  }
  return (
    <div className="tamper">
      <button data-testid="tamper-button" onClick={run}>Tamper test: ask for {'{"*":["*"]}'}</button>
      {result && !result.pending && (
        <p className={result.ok ? 'ok' : 'error'} data-testid="tamper-result" data-code={result.code || ''}>{result.text}</p>
      )}
    </div>
  );
}

function pretty(capability) {
  if (!capability) return '–';
  try {
    return JSON.stringify(JSON.parse(capability));
  } catch {
    return capability;
  }
}
