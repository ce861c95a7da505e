/**
 * Keeps two tabs of the app consistent: after a write, the tab announces the ids it wrote;
 * other tabs reload those records from IndexedDB (the single source of truth).
 */
// DO NOT RENAME: tabs of different app versions talk on this channel.
const CHANNEL_NAME = "lykta-changes";

export interface ChangeMessage {
  type: "records";
  ids: string[];
  /** Kinds touched, so a tab can refresh lists without reading every record. */
  kinds: string[];
}

const channel: BroadcastChannel | null =
  typeof BroadcastChannel === "undefined" ? null : new BroadcastChannel(CHANNEL_NAME);

export function announceChanges(message: ChangeMessage): void {
  channel?.postMessage(message);
}

export function onChanges(handler: (message: ChangeMessage) => void): () => void {
  if (!channel) return () => undefined;
  const listener = (event: MessageEvent<ChangeMessage>) => {
    if (event.data?.type === "records") handler(event.data);
  };
  channel.addEventListener("message", listener);
  return () => channel.removeEventListener("message", listener);
}
