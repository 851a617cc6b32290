/** The reactions the demo offers; @ably/chat's default type is distinct: one of each per user, counted. */
export const REACTIONS = ['👍', '❤️', '😂'];

/** Reaction buttons with their counts; pressing one adds mine, pressing it again takes it back. */
export default function Reactions({ message, reactions, me, canReact, chat, onError }) {
  const distinct = reactions?.distinct || {};
  async function toggle(name, mine) {
    try {
      await (mine ? chat.unreact(message, name) : chat.react(message, name));
    } catch (e) {
      onError(e);
    }
  }
  return (
    <span className="reactions">
      {REACTIONS.map((name) => {
        const summary = distinct[name];
        const count = summary?.total || 0;
        const mine = !!summary?.clientIds?.includes(me);
        return (
          <button key={name} type="button" data-testid="reaction" data-name={name} data-count={count} aria-pressed={mine}
            className={`reaction ${mine ? 'mine' : ''} ${count ? '' : 'none'}`} disabled={!canReact}
            title={summary ? summary.clientIds.join(', ') : canReact ? 'React' : 'Viewers may not react'}
            onClick={() => toggle(name, mine)}>
            {name}{count > 0 && <span className="count">{count}</span>}
          </button>
        );
      })}
    </span>
  );
}
