import { describe, expect, it } from 'vitest';
import { createEventBus } from './event-bus.ts';
import { teamEventsStream } from './team-events-stream.ts';

async function readChunk(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  const { value } = await reader.read();
  return new TextDecoder().decode(value);
}

describe('team events stream', () => {
  it('sends the team’s events as SSE and nothing from other teams', async () => {
    const bus = createEventBus();
    const abort = new AbortController();
    const reader = teamEventsStream(bus, 'team-a', abort.signal).getReader();
    expect(await readChunk(reader)).toContain(': connected');
    bus.publish('team-b', { type: 'run.changed', id: 'other' });
    bus.publish('team-a', { type: 'run.changed', id: 'run-1' });
    expect(await readChunk(reader)).toBe('event: run.changed\ndata: {"id":"run-1"}\n\n');
    abort.abort();
    expect((await reader.read()).done).toBe(true);
  });

  it('unsubscribes when the client goes away', async () => {
    const bus = createEventBus();
    let listeners = 0;
    const counting = {
      publish: bus.publish,
      subscribe: (teamId: string, listener: Parameters<typeof bus.subscribe>[1]) => {
        listeners += 1;
        const off = bus.subscribe(teamId, listener);
        return () => {
          listeners -= 1;
          off();
        };
      },
    };
    const abort = new AbortController();
    const reader = teamEventsStream(counting, 'team-a', abort.signal).getReader();
    await reader.read();
    expect(listeners).toBe(1);
    abort.abort();
    expect(listeners).toBe(0);
  });
});
