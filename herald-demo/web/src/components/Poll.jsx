import { useRoomPoll } from '../hooks/useRoomPoll.js';
import { describeError } from '../ably.js';

/** The choices of every room's poll. */
export const CHOICES = ['Ship it', 'One more test', 'Rewrite it in Rust'];

/**
 * The room's poll (LiveObjects): one vote per user, changeable, the tally live on every page. The buttons are
 * offered to everyone: a viewer may try, and Herald refuses (the UI only shows the error).
 */
export default function Poll({ room, user, rights }) {
  const { votes, status, error, vote } = useRoomPoll(room, user.username);
  const mine = votes[user.username];
  const counts = Object.fromEntries(CHOICES.map((c) => [c, 0]));
  for (const choice of Object.values(votes)) if (choice in counts) counts[choice] += 1;
  return (
    <section className="poll" data-testid="poll" data-status={status} data-votes={JSON.stringify(votes)}>
      <h3>Poll: what now? <small>(LiveObjects{rights.vote ? '' : ', view only'})</small></h3>
      <ul>
        {CHOICES.map((c) => (
          <li key={c}>
            <button data-testid="poll-choice" data-choice={c} data-count={counts[c]} className={mine === c ? 'active' : ''}
              disabled={status !== 'ready'} onClick={() => vote(c)}>
              {c} <span className="count">{counts[c]}</span>
            </button>
          </li>
        ))}
      </ul>
      {error && <p className="error" data-testid="poll-error">{describeError(error)}</p>}
    </section>
  );
}
