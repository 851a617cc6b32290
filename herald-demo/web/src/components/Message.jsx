import { useState } from 'react';
import { ChatMessageAction } from '@ably/chat';
import { describeError } from '../ably.js';
import Reactions from './Reactions.jsx';

/**
 * One message: its author, text (or a marker once deleted), an "edited" note, reactions, and the actions the
 * user's capability offers: edit and delete their own (members), delete anyone's (moderators).
 */
export default function Message({ message: m, reactions, me, rights, chat }) {
  const [editing, setEditing] = useState(null); // the draft text while editing
  const [error, setError] = useState(null);
  const mine = m.clientId === me;
  const deleted = m.action === ChatMessageAction.MessageDelete;
  const edited = m.action === ChatMessageAction.MessageUpdate;
  const canEdit = !deleted && (rights.editAny || (mine && rights.editOwn));
  const canDelete = !deleted && (rights.deleteAny || (mine && rights.deleteOwn));

  async function act(fn) {
    try {
      setError(null);
      await fn();
    } catch (e) {
      setError(e);
    }
  }

  async function save(e) {
    e.preventDefault();
    const text = editing.trim();
    if (!text) return;
    await act(() => chat.edit(m, text));
    setEditing(null);
  }

  return (
    <li data-testid="message" data-client-id={m.clientId} data-serial={m.serial} data-action={m.action}
      data-deleted={deleted ? 'true' : 'false'} className={`${mine ? 'mine' : ''} ${deleted ? 'deleted' : ''}`}>
      <span className="from">{m.clientId}</span>
      {deleted ? (
        <em className="deleted-marker" data-testid="message-deleted">
          message deleted{m.version?.clientId && m.version.clientId !== m.clientId ? ` by ${m.version.clientId}` : ''}
        </em>
      ) : editing !== null ? (
        <form className="edit" onSubmit={save}>
          <input data-testid="message-edit-input" value={editing} onChange={(e) => setEditing(e.target.value)} maxLength={500} autoFocus />
          <button data-testid="message-edit-save" type="submit">Save</button>
          <button type="button" onClick={() => setEditing(null)}>Cancel</button>
        </form>
      ) : (
        <span className="text">{m.text}</span>
      )}
      {edited && <span className="edited" data-testid="message-edited">(edited)</span>}
      <time>{m.timestamp.toLocaleTimeString()}</time>
      <span className="actions">
        {canEdit && editing === null && <button data-testid="message-edit" onClick={() => setEditing(m.text)}>Edit</button>}
        {canDelete && <button data-testid="message-delete" onClick={() => act(() => chat.remove(m))}>Delete</button>}
      </span>
      {!deleted && <Reactions message={m} reactions={reactions} me={me} canReact={rights.react} chat={chat} onError={setError} />}
      {error && <p className="error" data-testid="message-error" data-code={error.code}>{describeError(error)}</p>}
    </li>
  );
}
