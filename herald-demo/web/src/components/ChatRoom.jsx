import { useCallback, useEffect, useRef, useState } from 'react';
import { useChannel } from 'ably/react';
import { describeError } from '../ably.js';

const TYPING_IDLE_MS = 2500;

/** Messages (history on join, then live), a composer and the typing line. */
export default function ChatRoom({ room, user, canPublish, setTyping, typing }) {
  const [messages, setMessages] = useState([]);
  const [historyNote, setHistoryNote] = useState('Loading history…');
  const [text, setText] = useState('');
  const [publishError, setPublishError] = useState(null);
  const typingTimer = useRef(null);
  const typingNow = useRef(false);
  const listEnd = useRef(null);

  const add = useCallback((items) => {
    const chat = items.filter((m) => m.name === 'chat' && m.data && typeof m.data.text === 'string');
    if (chat.length === 0) return;
    setMessages((prev) => {
      const byId = new Map(prev.map((m) => [m.id, m]));
      for (const m of chat) byId.set(m.id, { id: m.id, clientId: m.clientId, text: m.data.text, timestamp: m.timestamp });
      return [...byId.values()].sort((a, b) => a.timestamp - b.timestamp || (a.id < b.id ? -1 : 1));
    });
  }, []);

  const { channel, publish } = useChannel(room, (msg) => add([msg]));

  // History on join: everything published before this attach (untilAttach), merged with live messages by id.
  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        await channel.attach();
        const page = await channel.history({ untilAttach: true, limit: 100 });
        if (cancelled) return;
        add(page.items);
        setHistoryNote(`${page.items.length} earlier message${page.items.length === 1 ? '' : 's'} loaded from history`);
      } catch (e) {
        if (!cancelled) setHistoryNote(`History unavailable: ${describeError(e)}`);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [channel, add]);

  useEffect(() => {
    // a block, not an expression: newer browsers return a Promise from scrollIntoView, which React must not get
    listEnd.current?.scrollIntoView({ block: 'end' });
  }, [messages]);

  const markTyping = useCallback(
    (isTyping) => {
      if (!setTyping || typingNow.current === isTyping) return;
      typingNow.current = isTyping;
      setTyping(isTyping).catch(() => {});
    },
    [setTyping],
  );

  function onInput(e) {
    setText(e.target.value);
    if (!setTyping) return;
    markTyping(e.target.value.length > 0);
    clearTimeout(typingTimer.current);
    typingTimer.current = setTimeout(() => markTyping(false), TYPING_IDLE_MS);
  }

  useEffect(() => () => clearTimeout(typingTimer.current), []);

  async function send(e) {
    e.preventDefault();
    const body = text.trim();
    if (!body) return;
    setText('');
    clearTimeout(typingTimer.current);
    markTyping(false);
    try {
      await publish('chat', { text: body });
      setPublishError(null);
    } catch (err) {
      setPublishError(err);
    }
  }

  return (
    <div className="chat">
      <p className="history-note" data-testid="history-note">{historyNote}</p>
      <ol className="messages" data-testid="messages">
        {messages.map((m) => (
          <li key={m.id} data-testid="message" data-client-id={m.clientId} className={m.clientId === user.username ? 'mine' : ''}>
            <span className="from">{m.clientId}</span>
            <span className="text">{m.text}</span>
            <time>{new Date(m.timestamp).toLocaleTimeString()}</time>
          </li>
        ))}
        <li ref={listEnd} className="end" aria-hidden="true" />
      </ol>
      <p className="typing" data-testid="typing">
        {typing.length > 0 ? `${typing.join(', ')} ${typing.length === 1 ? 'is' : 'are'} typing…` : '\u00a0'}
      </p>
      <form className="composer" onSubmit={send}>
        <input
          data-testid="composer-input"
          value={text}
          onChange={onInput}
          placeholder={canPublish ? `Message #${room.replace(/^chat:/, '')}` : 'Viewers may not publish: try it to see Herald refuse'}
          maxLength={500}
        />
        <button data-testid="composer-send" type="submit" disabled={!text.trim()}>Send</button>
      </form>
      {publishError && (
        <p className="error" data-testid="publish-error" data-code={publishError.code}>
          Herald refused the message: {describeError(publishError)}
        </p>
      )}
    </div>
  );
}
