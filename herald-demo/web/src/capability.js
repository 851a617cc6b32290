// What a token's capability allows on a channel, for the UI only (to offer or hide buttons): Herald enforces it.
// Resource matching as Herald does it (docs/protocol.md §5.3): names split into `:` segments, a `*` segment stands
// for one whole segment, or in the last position for one or more trailing segments.

/** True when the capability resource `resource` covers the channel `channel`. */
export function resourceMatches(resource, channel) {
  if (resource === channel) return true;
  if (resource === '*') return !channel.startsWith('[');
  const r = resource.split(':');
  const c = channel.split(':');
  for (let i = 0; i < r.length; i++) {
    const last = i === r.length - 1;
    if (r[i] === '*' && last) return c.length > i;
    if (i >= c.length) return false;
    if (r[i] !== '*' && r[i] !== c[i]) return false;
  }
  return r.length === c.length;
}

/** The set of operations a capability JSON grants on a channel (`*` expanded by `can`). */
export function operationsOn(capability, channel) {
  const ops = new Set();
  try {
    for (const [resource, list] of Object.entries(JSON.parse(capability))) {
      if (resourceMatches(resource, channel)) list.forEach((o) => ops.add(o));
    }
  } catch {
    /* no capability, no ops */
  }
  return ops;
}

/** The chat room `room`'s channel, as @ably/chat names it. */
export const roomChannel = (room) => `${room}::$chat`;

/** The room `room`'s poll channel (LiveObjects: a map of username → choice). */
export const pollChannel = (room) => `poll:${room}`;

/** What the signed-in user may do in a room, as the UI needs it. */
export function roomRights(capability, room) {
  const ops = operationsOn(capability, roomChannel(room));
  const can = (...names) => ops.has('*') || names.some((n) => ops.has(n));
  return {
    send: can('publish'),
    enter: can('presence'),
    react: can('annotation-publish'),
    editOwn: can('message-update-own', 'message-update-any'),
    editAny: can('message-update-any'),
    deleteOwn: can('message-delete-own', 'message-delete-any'),
    deleteAny: can('message-delete-any'),
    ...pollRights(capability, room),
  };
}

/** Whether the user sees the room's poll and may vote in it. */
export function pollRights(capability, room) {
  const ops = operationsOn(capability, pollChannel(room));
  return { seePoll: ops.has('*') || ops.has('object-subscribe'), vote: ops.has('*') || ops.has('object-publish') };
}
