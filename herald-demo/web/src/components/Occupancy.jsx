import { useOccupancy } from '@ably/chat/react';

/** "3 online": the room's occupancy (connections attached, members in presence), live. */
export default function Occupancy() {
  const { connections, presenceMembers } = useOccupancy();
  return (
    <span className="occupancy" data-testid="occupancy" data-connections={connections} data-presence-members={presenceMembers}
      title={`${connections} connection${connections === 1 ? '' : 's'} attached, ${presenceMembers} in presence`}>
      <span className="dot online" aria-hidden="true" /> {connections} online
    </span>
  );
}
