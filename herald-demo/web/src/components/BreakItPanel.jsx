import { useCallback, useEffect, useRef, useState } from 'react';
import { useAbly } from 'ably/react';
import { useRoom } from '@ably/chat/react';
import { breakIt } from '../api.js';
import { describeError } from '../ably.js';

const GIVE_UP_MS = 30000;

const ACTIONS = [
  { id: 'drop', label: 'Drop my connection', hint: 'the socket closes; the SDK reconnects and resumes' },
  { id: 'expire', label: 'Expire my token', hint: 'DISCONNECTED 40142; the SDK fetches a new token and resumes' },
  { id: 'fail-channel', label: 'Fail the channel', hint: "the room's channel fails; the app re-attaches it" },
];

const code = (reason) => (reason?.code ? ` ${reason.code}` : '');

/**
 * The admin's "break it" panel: each button asks the backend to have Herald do to this user's connection what the
 * real service can do (docs/faults.md), and the status line shows what the SDK reports until it has recovered:
 * the connection states (and whether the connection resumed), the token renewal, the room's states.
 * Shown only to the admin role, and only when the backend has Herald's control token.
 */
export default function BreakItPanel() {
  const client = useAbly();
  const run = useRef(null); // the experiment being watched: { action, baseline, steps, done }
  const [view, setView] = useState(null);

  const show = useCallback(() => {
    const r = run.current;
    if (r) setView({ action: r.action, phase: r.phase, steps: [...r.steps], outcome: r.outcome, resumed: r.resumed });
  }, []);

  const finish = useCallback((phase, outcome, extra = {}) => {
    const r = run.current;
    if (!r || r.phase === 'recovered' || r.phase === 'error') return;
    Object.assign(r, { phase, outcome }, extra);
    r.stop();
    show();
  }, [show]);

  const onRoomStatus = useCallback((change) => {
    const r = run.current;
    if (!r || r.phase === 'recovered' || r.phase === 'error') return;
    r.steps.push(`room ${change.current}${code(change.error)}`);
    if (r.action === 'fail-channel') {
      if (change.current === 'failed') r.phase = 'disrupted';
      else if (change.current === 'attached' && r.phase === 'disrupted') {
        finish('recovered', 'room failed → re-attached');
        return;
      }
    }
    show();
  }, [finish, show]);
  const { roomName } = useRoom({ onStatusChange: onRoomStatus });

  const onConnection = useCallback((change) => {
    const r = run.current;
    if (!r || r.phase === 'recovered' || r.phase === 'error') return;
    if (change.current === 'update') return;
    r.steps.push(`${change.current}${code(change.reason)}`);
    if (change.current !== 'connected') {
      if (r.action !== 'fail-channel') r.phase = 'disrupted';
    } else if (r.phase === 'disrupted') {
      const resumed = client.connection.id === r.baseline.connectionId;
      const renewed = client.auth.tokenDetails?.token !== r.baseline.token;
      const how = resumed ? 'resumed, same connectionId' : 'a new connection';
      if (r.action === 'expire') {
        finish('recovered', renewed ? `token renewed, connection ${how}` : `reconnected (${how}) but the token did not change`, { resumed, renewed });
      } else {
        finish('recovered', `connection ${how}`, { resumed });
      }
      return;
    }
    show();
  }, [client, finish, show]);

  useEffect(() => () => run.current?.stop(), []);

  async function start(action) {
    run.current?.stop();
    const listener = (change) => onConnection(change);
    client.connection.on(listener);
    const timer = setTimeout(() => finish('error', `no recovery seen within ${GIVE_UP_MS / 1000} s`), GIVE_UP_MS);
    run.current = {
      action,
      phase: 'requested',
      steps: [],
      outcome: '',
      baseline: { connectionId: client.connection.id, token: client.auth.tokenDetails?.token },
      stop: () => {
        clearTimeout(timer);
        client.connection.off(listener);
      },
    };
    show();
    try {
      await breakIt(action, action === 'fail-channel' ? { room: roomName } : {});
    } catch (e) {
      finish('error', `the backend refused: ${describeError(e)}`);
    }
  }

  const busy = view && (view.phase === 'requested' || view.phase === 'disrupted');
  return (
    <div className="break-it" data-testid="break-it">
      <h3>Break it <small className="muted">admin only: Herald's fault control API, on your own connection</small></h3>
      <div className="break-buttons">
        {ACTIONS.map((a) => (
          <button key={a.id} data-testid={`break-${a.id}`} title={a.hint} disabled={!!busy} onClick={() => start(a.id)}>
            {a.label}
          </button>
        ))}
      </div>
      {view && (
        <p
          className={`break-status ${view.phase}`}
          data-testid="break-status"
          data-action={view.action}
          data-phase={view.phase}
          data-resumed={view.resumed === undefined ? '' : String(view.resumed)}
        >
          <strong>{view.action}</strong>: {view.steps.length ? view.steps.join(' → ') : 'asking Herald…'}
          {view.outcome && <> <span data-testid="break-outcome">({view.outcome})</span></>}
        </p>
      )}
    </div>
  );
}
