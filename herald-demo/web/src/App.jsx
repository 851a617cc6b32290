import { useCallback, useEffect, useState } from 'react';
import { AblyProvider } from 'ably/react';
import { ChatClient, LogLevel } from '@ably/chat';
import { ChatClientProvider, ChatRoomProvider } from '@ably/chat/react';
import { getConfig, getMe, signIn, signOut } from './api.js';
import { createClient } from './ably.js';
import { roomRights } from './capability.js';
import SignIn from './components/SignIn.jsx';
import AuthModeToggle from './components/AuthModeToggle.jsx';
import Room from './components/Room.jsx';
import LivePanel from './components/LivePanel.jsx';
import BreakItPanel from './components/BreakItPanel.jsx';

const MODE_KEY = 'herald-demo-auth-mode';
let clientSeq = 0;

export default function App() {
  const [config, setConfig] = useState(null);
  const [user, setUser] = useState(undefined); // undefined: still asking the backend
  const [fatal, setFatal] = useState(null);
  const [mode, setMode] = useState(() => localStorage.getItem(MODE_KEY));

  useEffect(() => {
    Promise.all([getConfig(), getMe()])
      .then(([cfg, me]) => {
        setConfig(cfg);
        setMode((m) => m || cfg.authMode);
        setUser(me);
      })
      .catch((e) => setFatal(e.message));
  }, []);

  const chooseMode = useCallback((m) => {
    localStorage.setItem(MODE_KEY, m);
    setMode(m);
  }, []);

  const onSignIn = useCallback(async (username, password) => setUser(await signIn(username, password)), []);
  const onSignOut = useCallback(async () => {
    await signOut();
    setUser(null);
  }, []);

  if (fatal) return <p className="fatal">Cannot reach the demo backend: {fatal}</p>;
  if (!config || user === undefined) return <p className="loading">Loading…</p>;

  return (
    <div className="app">
      <header>
        <h1>Herald demo <small>Ably token auth, self-hosted</small></h1>
        <AuthModeToggle mode={mode} onChange={chooseMode} />
        {user && (
          <div className="who">
            <span data-testid="current-user">{user.username}</span> <span className={`role ${user.role}`}>{user.role}</span>
            <button data-testid="sign-out" onClick={onSignOut}>Sign out</button>
          </div>
        )}
      </header>
      {user ? <SignedIn config={config} user={user} mode={mode} /> : <SignIn onSignIn={onSignIn} />}
    </div>
  );
}

/** What every room asks for beyond the defaults: live occupancy ("3 online"). */
const ROOM_OPTIONS = { occupancy: { enableEvents: true } };

/**
 * One Ably client per (user, auth mode), and the @ably/chat ChatClient over it; both closed when either changes
 * or on sign-out. The live panel reads the Realtime client, the rooms the ChatClient.
 */
function SignedIn({ config, user, mode }) {
  const [current, setCurrent] = useState(null);
  const [room, setRoom] = useState(config.rooms[0]);

  useEffect(() => {
    const client = createClient(config, mode);
    const chat = new ChatClient(client, { logLevel: LogLevel.Warn });
    setCurrent({ client, chat, id: ++clientSeq });
    return () => {
      chat.dispose().catch(() => {}).finally(() => client.close());
    };
  }, [config, mode, user.username]);

  if (!current) return null;
  return (
    <AblyProvider client={current.client} key={current.id}>
      <ChatClientProvider client={current.chat}>
        <main>
          <section className="rooms">
            <nav>
              {config.rooms.map((r) => (
                <button key={r} data-testid={`room-tab-${r}`} className={r === room ? 'active' : ''} onClick={() => setRoom(r)}>
                  #{r}
                </button>
              ))}
            </nav>
            <ChatRoomProvider name={room} options={ROOM_OPTIONS} key={room}>
              <Room user={user} rights={roomRights(user.capability, room)} />
              {user.role === 'admin' && config.breakIt && <BreakItPanel />}
            </ChatRoomProvider>
          </section>
          <LivePanel config={config} mode={mode} />
        </main>
      </ChatClientProvider>
    </AblyProvider>
  );
}
