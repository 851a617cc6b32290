import { useCallback, useEffect, useRef, useState } from 'react';
import { useRoom } from '@ably/chat/react';

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 15000;

/**
 * What a real app does when its room fails: the SDK will not re-attach a `failed` room by itself (a channel ERROR,
 * a failed attach), so once the connection is up the app attaches it again, after 1 s, then backing off to 15 s
 * while attaching keeps failing. `reattachNow()` skips the wait. Returns the recovery's state for the UI:
 * `{ status, error, retryInMs, attempts, recovered, reattachNow }`.
 */
export function useRoomRecovery() {
  const { roomStatus, roomError, connectionStatus, attach } = useRoom();
  const [attempts, setAttempts] = useState(0); // failed re-attach attempts since the room failed
  const [recovered, setRecovered] = useState(0); // rooms brought back from failed
  const [retryInMs, setRetryInMs] = useState(null);
  const [lastError, setLastError] = useState(null);
  const busy = useRef(false);

  const reattach = useCallback(async () => {
    if (busy.current) return;
    busy.current = true;
    setRetryInMs(null);
    try {
      await attach();
      setAttempts(0);
      setLastError(null);
      setRecovered((n) => n + 1);
    } catch (e) {
      setLastError(e);
      setAttempts((n) => n + 1);
    } finally {
      busy.current = false;
    }
  }, [attach]);

  useEffect(() => {
    if (roomStatus !== 'failed' || connectionStatus !== 'connected') {
      setRetryInMs(null);
      return undefined;
    }
    const delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** attempts);
    setRetryInMs(delay);
    const timer = setTimeout(reattach, delay);
    return () => clearTimeout(timer);
  }, [roomStatus, connectionStatus, attempts, reattach]);

  return { status: roomStatus, error: roomError || lastError, retryInMs, attempts, recovered, reattachNow: reattach };
}
