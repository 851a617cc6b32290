/** Who is in the room now (one row per clientId, however many tabs), with their role. */
export default function PresenceList({ members, me, canEnter }) {
  const byClient = new Map();
  for (const m of members) byClient.set(m.clientId, { clientId: m.clientId, role: m.data?.role });
  const list = [...byClient.values()].sort((a, b) => a.clientId.localeCompare(b.clientId));
  return (
    <aside className="presence">
      <h3>Here now ({list.length})</h3>
      <ul data-testid="presence-list">
        {list.map((m) => (
          <li key={m.clientId} data-testid="presence-member" data-client-id={m.clientId}>
            <span className="dot online" aria-label="online" />
            {m.clientId}
            {m.clientId === me && ' (you)'}
            {m.role && <span className={`role ${m.role}`}>{m.role}</span>}
          </li>
        ))}
      </ul>
      {!canEnter && <p className="hint">Viewers see presence but cannot enter it (no <code>presence</code> capability).</p>}
    </aside>
  );
}
