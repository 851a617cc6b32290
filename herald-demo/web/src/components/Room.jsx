import { useEffect } from 'react';
import { usePresence, usePresenceListener, useRoom } from '@ably/chat/react';
import { useRoomMessages } from '../hooks/useRoomMessages.js';
import { useRoomRecovery } from '../hooks/useRoomRecovery.js';
import { describeError } from '../ably.js';
import MessageList from './MessageList.jsx';
import Composer from './Composer.jsx';
import TypingLine from './TypingLine.jsx';
import Occupancy from './Occupancy.jsx';
import PresenceList from './PresenceList.jsx';
import Poll from './Poll.jsx';

/**
 * Enters the room's presence while mounted (members and up; a viewer has no `presence` capability). A room that
 * failed has lost its presence member (the SDK clears it, and the hook re-enters only after a detach), so after each
 * re-attach from failed (`recovered` counts them) it enters again.
 */
function EnterPresence({ role, recovered }) {
  const { enter } = usePresence({ initialData: { role } });
  useEffect(() => {
    if (recovered > 0) enter({ role }).catch(() => {});
  }, [recovered, enter, role]);
  return null;
}

/**
 * One @ably/chat room (inside a ChatRoomProvider, which attaches it): messages with edits, deletes and reactions,
 * a composer, who is typing, how many are online and who is here. `rights` come from the token's capability and
 * only decide which buttons to offer: Herald enforces the capability itself.
 */
export default function Room({ user, rights }) {
  const { roomName, roomStatus } = useRoom();
  const chat = useRoomMessages();
  const { presenceData } = usePresenceListener();
  const recovery = useRoomRecovery();
  return (
    <div className="room" data-testid="room" data-room={roomName} data-status={roomStatus}>
      {rights.enter && <EnterPresence role={user.role} recovered={recovery.recovered} />}
      <div className="chat">
        <div className="room-bar">
          <p className="history-note" data-testid="history-note">{chat.historyNote}</p>
          <Occupancy />
        </div>
        <RoomTrouble recovery={recovery} />
        <MessageList messages={chat.messages} me={user.username} rights={rights} chat={chat} />
        <TypingLine me={user.username} />
        <Composer room={roomName} canSend={rights.send} send={chat.send} />
      </div>
      <aside className="side">
        <PresenceList members={presenceData} me={user.username} canEnter={rights.enter} />
        {rights.seePoll && <Poll room={roomName} user={user} rights={rights} />}
      </aside>
    </div>
  );
}

/** Shown while the room is failed: why, when the app re-attaches it, and a button to do it now. */
function RoomTrouble({ recovery }) {
  if (recovery.status !== 'failed') return null;
  return (
    <p className="error room-trouble" data-testid="room-failed">
      Room failed{recovery.error ? `: ${describeError(recovery.error)}` : ''}.{' '}
      {recovery.retryInMs != null ? `Re-attaching in ${Math.round(recovery.retryInMs / 1000)} s` : 'Waiting for the connection'}
      {recovery.attempts > 0 ? ` (attempt ${recovery.attempts + 1})` : ''}.{' '}
      <button data-testid="room-reattach" onClick={recovery.reattachNow}>Re-attach now</button>
    </p>
  );
}
