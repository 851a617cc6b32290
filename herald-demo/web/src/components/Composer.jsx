import { useState } from 'react';
import { useTyping } from '@ably/chat/react';
import { describeError } from '../ably.js';

/** The message box: sends with @ably/chat (REST, `publish` capability) and tells the room while I type. */
export default function Composer({ room, canSend, send }) {
  const [text, setText] = useState('');
  const [error, setError] = useState(null);
  const { keystroke, stop } = useTyping();

  function onInput(e) {
    setText(e.target.value);
    if (!canSend) return; // typing indicators are messages too: a viewer may not publish them
    (e.target.value ? keystroke() : stop()).catch(() => {});
  }

  async function submit(e) {
    e.preventDefault();
    const body = text.trim();
    if (!body) return;
    setText('');
    if (canSend) stop().catch(() => {});
    try {
      await send(body);
      setError(null);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <>
      <form className="composer" onSubmit={submit}>
        <input
          data-testid="composer-input"
          value={text}
          onChange={onInput}
          placeholder={canSend ? `Message #${room}` : 'Viewers may not send: try it to see Herald refuse'}
          maxLength={500}
        />
        <button data-testid="composer-send" type="submit" disabled={!text.trim()}>Send</button>
      </form>
      {error && (
        <p className="error" data-testid="publish-error" data-code={error.code}>
          Herald refused the message: {describeError(error)}
        </p>
      )}
    </>
  );
}
