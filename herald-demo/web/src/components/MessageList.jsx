import { useEffect, useRef } from 'react';
import Message from './Message.jsx';

/** The room's messages, oldest first, kept scrolled to the newest. */
export default function MessageList({ messages, me, rights, chat }) {
  const listEnd = useRef(null);
  useEffect(() => {
    // a block, not an expression: newer browsers return a Promise from scrollIntoView, which React must not get
    listEnd.current?.scrollIntoView({ block: 'end' });
  }, [messages.length]);
  return (
    <ol className="messages" data-testid="messages">
      {messages.map(({ message, reactions }) => (
        <Message key={message.serial} message={message} reactions={reactions} me={me} rights={rights} chat={chat} />
      ))}
      <li ref={listEnd} className="end" aria-hidden="true" />
    </ol>
  );
}
