import { usePresence, usePresenceListener, useRoom } from '@ably/chat/react';
import { useRoomMessages } from '../hooks/useRoomMessages.js';
import MessageList from './MessageList.jsx';
import Composer from './Composer.jsx';
import TypingLine from './TypingLine.jsx';
import Occupancy from './Occupancy.jsx';
import PresenceList from './PresenceList.jsx';

/** Enters the room's presence while mounted (members and up; a viewer has no `presence` capability). */
function EnterPresence({ role }) {
  usePresence({ initialData: { role } });
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
  return (
    <div className="room" data-testid="room" data-room={roomName} data-status={roomStatus}>
      {rights.enter && <EnterPresence role={user.role} />}
      <div className="chat">
        <div className="room-bar">
          <p className="history-note" data-testid="history-note">{chat.historyNote}</p>
          <Occupancy />
        </div>
        <MessageList messages={chat.messages} me={user.username} rights={rights} chat={chat} />
        <TypingLine me={user.username} />
        <Composer room={roomName} canSend={rights.send} send={chat.send} />
      </div>
      <PresenceList members={presenceData} me={user.username} canEnter={rights.enter} />
    </div>
  );
}
