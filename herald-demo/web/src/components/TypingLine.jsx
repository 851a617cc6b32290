import { useTyping } from '@ably/chat/react';

/** "bob is typing…": everyone typing in the room but me. */
export default function TypingLine({ me }) {
  const { currentlyTyping } = useTyping();
  const others = [...currentlyTyping].filter((c) => c !== me).sort();
  return (
    <p className="typing" data-testid="typing">
      {others.length > 0 ? `${others.join(', ')} ${others.length === 1 ? 'is' : 'are'} typing…` : '\u00a0'}
    </p>
  );
}
