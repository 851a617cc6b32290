import { useCallback, useEffect, useState } from 'react';
import { ChatMessageEventType } from '@ably/chat';
import { useMessages } from '@ably/chat/react';
import { useAbly } from 'ably/react';
import { describeError, withFreshToken } from '../ably.js';

/** Oldest first: by the original message's time, then serial. */
function ordered(messages) {
  return [...messages.values()].sort((a, b) => a.timestamp - b.timestamp || (a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0));
}

/**
 * Puts `m` in the map unless the map already holds a later version of it: `Message.with` keeps whichever version has
 * the greater version serial (Herald's serials sort as strings, as the SDK expects).
 */
function put(map, m) {
  const old = map.get(m.serial);
  map.set(m.serial, old ? old.with(m) : m);
}

/**
 * The room's messages as they stand now: history on join (everything before this client subscribed), then every
 * live create, update and delete, each message with its latest reaction summary. A history page that arrives after
 * a live edit does not undo it.
 */
export function useRoomMessages() {
  const [messages, setMessages] = useState(() => new Map());
  const [reactions, setReactions] = useState(() => new Map()); // serial → the latest summary event's reactions
  const [historyNote, setHistoryNote] = useState('Loading history…');

  const merge = useCallback((items) => {
    setMessages((prev) => {
      const next = new Map(prev);
      items.forEach((m) => put(next, m));
      return next;
    });
  }, []);

  const onMessage = useCallback((event) => {
    setMessages((prev) => {
      if (event.type === ChatMessageEventType.Created && prev.has(event.message.serial)) return prev;
      const next = new Map(prev);
      put(next, event.message);
      return next;
    });
  }, []);

  const onReactions = useCallback((event) => {
    setReactions((prev) => new Map(prev).set(event.messageSerial, event.reactions));
  }, []);

  // After a discontinuity (the room re-attached without continuity, e.g. after it failed) the subscription's
  // history point moves to the new attach: reading historyBeforeSubscribe again fills the gap.
  const [discontinuities, setDiscontinuities] = useState(0);
  const onDiscontinuity = useCallback(() => setDiscontinuities((n) => n + 1), []);

  const api = useMessages({ listener: onMessage, reactionsListener: onReactions, onDiscontinuity });
  const client = useAbly();
  const rest = (call) => withFreshToken(client, call);
  const { historyBeforeSubscribe } = api;

  useEffect(() => {
    if (!historyBeforeSubscribe) return undefined;
    let cancelled = false;
    historyBeforeSubscribe({ limit: 100 })
      .then((page) => {
        if (cancelled) return;
        merge(page.items);
        const again = discontinuities > 0 ? ` (read again after ${discontinuities} discontinuit${discontinuities === 1 ? 'y' : 'ies'})` : '';
        setHistoryNote(`${page.items.length} earlier message${page.items.length === 1 ? '' : 's'} loaded from history${again}`);
      })
      .catch((e) => !cancelled && setHistoryNote(`History unavailable: ${describeError(e)}`));
    return () => {
      cancelled = true;
    };
  }, [historyBeforeSubscribe, merge, discontinuities]);

  // What the REST calls answer is the message as it now stands: apply it at once (the live event may follow).
  const applied = async (promise) => {
    const message = await promise;
    merge([message]);
    return message;
  };
  return {
    messages: ordered(messages).map((m) => ({ message: m, reactions: reactions.get(m.serial) || m.reactions })),
    historyNote,
    send: (text) => applied(rest(() => api.sendMessage({ text }))),
    edit: (message, text) => applied(rest(() => api.updateMessage(message.serial, { text, metadata: message.metadata, headers: message.headers }, { description: 'edited' }))),
    remove: (message) => applied(rest(() => api.deleteMessage(message.serial, { description: 'deleted in the demo' }))),
    react: (message, name) => rest(() => api.sendReaction(message.serial, { name })),
    unreact: (message, name) => rest(() => api.deleteReaction(message.serial, { name })),
  };
}
