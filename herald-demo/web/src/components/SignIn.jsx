import { useState } from 'react';

export default function SignIn({ onSignIn }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function submit(e) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSignIn(username, password);
    } catch (err) {
      setError(err.message);
      setBusy(false);
    }
  }

  return (
    <form className="sign-in" onSubmit={submit}>
      <h2>Sign in</h2>
      <p>
        The app's own backend checks who you are before it signs an Ably TokenRequest for you. Demo users: alice and bob
        (members), mia (moderator), victor (viewer), ada (admin); the passwords are printed by <code>./herald demo</code>.
      </p>
      <label>
        Username
        <input data-testid="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} autoFocus />
      </label>
      <label>
        Password
        <input data-testid="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      <button data-testid="sign-in" type="submit" disabled={busy || !username || !password}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      {error && <p className="error" data-testid="sign-in-error">{error}</p>}
    </form>
  );
}
