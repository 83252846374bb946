import type { EventBus, TeamEvent } from './event-bus.ts';

const HEARTBEAT_MS = 25_000;
const encoder = new TextEncoder();

/**
 * Server-Sent Events for one team: `event: <type>` with `data: {"id": …}`, plus a comment
 * heartbeat so proxies keep the connection open. Ends when the client disconnects.
 */
export function teamEventsStream(
  events: EventBus,
  teamId: string,
  signal: AbortSignal,
): ReadableStream<Uint8Array> {
  let cleanup = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      send(': connected\nretry: 3000\n\n');
      const unsubscribe = events.subscribe(teamId, (event: TeamEvent) => {
        send(`event: ${event.type}\ndata: ${JSON.stringify({ id: event.id })}\n\n`);
      });
      const heartbeat = setInterval(() => send(': heartbeat\n\n'), HEARTBEAT_MS);
      cleanup = () => {
        clearInterval(heartbeat);
        unsubscribe();
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed by the runtime
        }
      };
      signal.addEventListener('abort', onAbort);
    },
    cancel() {
      cleanup();
    },
  });
}
