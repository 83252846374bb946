import { EventEmitter } from 'node:events';
import type { StarMessage } from '@orbit/proto';
import { describe, expect, it } from 'vitest';
import { ResultOutbox, type WritableSession } from './result-outbox.ts';

/** A stream that accepts `room` writes before asking the writer to wait for 'drain'. */
class RecordingSession extends EventEmitter implements WritableSession {
  readonly written: StarMessage[] = [];
  constructor(private room = Number.POSITIVE_INFINITY) {
    super();
  }
  write(message: StarMessage): boolean {
    this.written.push(message);
    this.room -= 1;
    return this.room > 0;
  }
}

const part = (commandId: string, sequence: number): StarMessage => ({ resultPart: { commandId, sequence } });
const result = (commandId: string): StarMessage => ({
  commandResult: { commandId, cancel: { wasRunning: false } },
});

describe('ResultOutbox', () => {
  it('keeps output made while disconnected and replays it in order on the next session', async () => {
    const outbox = new ResultOutbox();
    await outbox.send(part('a', 0));
    await outbox.send(part('a', 1));
    await outbox.send(result('a'));
    outbox.sendOnce({ heartbeat: { cpuCores: 1 } });
    expect(outbox.unacknowledgedIds()).toEqual(['a']);
    const session = new RecordingSession();
    outbox.attach(session);
    expect(session.written).toEqual([part('a', 0), part('a', 1), result('a')]);
  });

  it('forgets parts the Nucleus stored, and the command once its result is stored', async () => {
    const outbox = new ResultOutbox();
    const first = new RecordingSession();
    outbox.attach(first);
    await outbox.send(part('b', 0));
    await outbox.send(part('b', 1));
    outbox.acknowledge({ commandId: 'b', sequence: 0, resultStored: false });
    outbox.detach(first);
    const second = new RecordingSession();
    outbox.attach(second);
    expect(second.written).toEqual([part('b', 1)]);
    await outbox.send(result('b'));
    outbox.acknowledge({ commandId: 'b', sequence: 0, resultStored: true });
    expect(outbox.unacknowledgedIds()).toEqual([]);
  });

  it('waits for the stream to drain before taking more', async () => {
    const outbox = new ResultOutbox();
    const session = new RecordingSession(1);
    outbox.attach(session);
    let sent = false;
    const sending = outbox.send(part('c', 0)).then(() => {
      sent = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toBe(false);
    session.emit('drain');
    await sending;
    expect(sent).toBe(true);
    expect(['drain', 'close', 'error'].map((event) => session.listenerCount(event))).toEqual([0, 0, 0]);
  });
});
