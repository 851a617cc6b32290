import { useEffect, useState } from 'react';

const POLL_MS = 250;

/**
 * Watches an Ably client's token and connection: the current token's expiry, clientId and capability, and every
 * token renewal, split into renewals on the same live connection (in-band AUTH: no reconnect) and renewals after
 * the token expired (DISCONNECTED 40142, then a resume). Also tells whether the connectionId ever changed.
 * ably-js has no "token changed" event, so `auth.tokenDetails` is polled; connection events mark reconnects.
 */
export function useTokenWatch(client) {
  const [snap, setSnap] = useState(() => read(client, initial()));

  useEffect(() => {
    const t = initial();
    const onChange = (change) => {
      if (change.current !== 'connected') t.reconnectedSinceToken = true;
      if (change.current === 'connected') {
        const id = client.connection.id;
        if (t.firstConnectionId == null) t.firstConnectionId = id;
        else if (id !== t.lastConnectionId) t.connectionIdChanges += 1;
        t.lastConnectionId = id;
      }
      t.reason = change.reason || (change.current === 'connected' ? null : t.reason);
      t.lastChange = change;
      setSnap(read(client, t));
    };
    const onUpdate = () => {
      t.updates += 1;
      setSnap(read(client, t));
    };
    client.connection.on(onChange);
    client.connection.on('update', onUpdate);
    const timer = setInterval(() => setSnap(read(client, t)), POLL_MS);
    return () => {
      clearInterval(timer);
      client.connection.off(onChange);
      client.connection.off('update', onUpdate);
    };
  }, [client]);

  return snap;
}

function initial() {
  return {
    lastToken: null, renewals: 0, inBand: 0, afterExpiry: 0, updates: 0, reconnectedSinceToken: false,
    firstConnectionId: null, lastConnectionId: null, connectionIdChanges: 0, reason: null, lastChange: null,
  };
}

function read(client, t) {
  const td = client.auth.tokenDetails;
  if (td && td.token !== t.lastToken) {
    if (t.lastToken != null) {
      t.renewals += 1;
      if (t.reconnectedSinceToken) t.afterExpiry += 1;
      else t.inBand += 1;
    }
    t.lastToken = td.token;
    t.reconnectedSinceToken = client.connection.state !== 'connected';
  }
  return {
    state: client.connection.state,
    connectionId: client.connection.id || null,
    firstConnectionId: t.firstConnectionId,
    connectionIdChanges: t.connectionIdChanges,
    clientId: client.auth.clientId || td?.clientId || null,
    capability: td?.capability || null,
    issued: td?.issued || null,
    expires: td?.expires || null,
    renewals: t.renewals,
    inBand: t.inBand,
    afterExpiry: t.afterExpiry,
    updates: t.updates,
    reason: t.reason,
    now: Date.now(),
  };
}
