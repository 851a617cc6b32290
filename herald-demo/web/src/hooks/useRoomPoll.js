import { useCallback, useEffect, useRef, useState } from 'react';
import { useAbly } from 'ably/react';
import { pollChannel } from '../capability.js';

/**
 * The room's poll, kept by Herald as LiveObjects on the channel `poll:<room>`: the channel's root map holds one
 * entry per voter (username → the choice). Each vote is a MAP_SET on the voter's own key, so votes never overwrite
 * each other, a voter who changes their mind replaces only their own entry, and every client converges on the
 * same map whatever order the operations arrive in. The tally is counted from the map.
 *
 * Everyone attaches with OBJECT_SUBSCRIBE and OBJECT_PUBLISH: Herald grants only what the token's capability allows
 * (a viewer's token has `object-subscribe` only), so a viewer's vote is refused, and the UI shows why.
 */
export function useRoomPoll(room, username) {
  const client = useAbly();
  const [votes, setVotes] = useState({});
  const [status, setStatus] = useState('loading');
  const [error, setError] = useState(null);
  const root = useRef(null);

  useEffect(() => {
    const channel = client.channels.get(pollChannel(room), { modes: ['OBJECT_SUBSCRIBE', 'OBJECT_PUBLISH'] });
    let subscription = null;
    let gone = false;
    channel.object
      .get()
      .then((entry) => {
        if (gone) return;
        root.current = entry;
        const read = () => {
          const next = {};
          for (const [voter, choice] of entry.entries()) {
            const value = choice.value();
            if (typeof value === 'string') next[voter] = value;
          }
          setVotes(next);
        };
        read();
        subscription = entry.subscribe(read);
        setStatus('ready');
      })
      .catch((e) => {
        if (!gone) {
          setError(e);
          setStatus('failed');
        }
      });
    return () => {
      gone = true;
      root.current = null;
      subscription?.unsubscribe();
      channel.detach().catch(() => {});
    };
  }, [client, room]);

  const vote = useCallback(
    async (choice) => {
      setError(null);
      try {
        if (!root.current) throw new Error('the poll is not loaded yet');
        await root.current.set(username, choice);
      } catch (e) {
        setError(e);
      }
    },
    [username],
  );

  return { votes, status, error, vote };
}
