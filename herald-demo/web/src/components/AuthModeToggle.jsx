/** Switches between the tutorial's two ways to get a TokenRequest; the client is recreated on change. */
export default function AuthModeToggle({ mode, onChange }) {
  return (
    <fieldset className="auth-mode" title="How the Ably SDK gets its TokenRequest from /api/ably/token">
      <legend>Auth mode</legend>
      {['authUrl', 'authCallback'].map((m) => (
        <label key={m}>
          <input type="radio" name="auth-mode" data-testid={`auth-mode-${m}`} checked={mode === m} onChange={() => onChange(m)} />
          <code>{m}</code>
        </label>
      ))}
    </fieldset>
  );
}
