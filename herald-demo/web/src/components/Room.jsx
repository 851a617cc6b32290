import { usePresence, usePresenceListener } from 'ably/react';
import ChatRoom from './ChatRoom.jsx';
import PresenceList from './PresenceList.jsx';

/**
 * One chat room (channel): members enter presence (with a typing flag in the presence data), everyone sees the
 * presence set. Viewers have no `presence` capability, so they do not try to enter.
 */
export default function Room({ room, user, canPublish, canEnter }) {
  const { presenceData } = usePresenceListener(room);
  const { updateStatus } = usePresence({ channelName: room, skip: !canEnter }, { role: user.role, typing: false });
  const typing = presenceData.filter((p) => p.data?.typing && p.clientId !== user.username).map((p) => p.clientId);
  return (
    <div className="room">
      <ChatRoom room={room} user={user} canPublish={canPublish} setTyping={canEnter ? (t) => updateStatus({ role: user.role, typing: t }) : null} typing={[...new Set(typing)]} />
      <PresenceList members={presenceData} me={user.username} canEnter={canEnter} />
    </div>
  );
}
