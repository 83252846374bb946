import { expect, it } from 'vitest';
import { SendArena } from './send-arena.ts';

const bytes = (length: number, value: number) => new Uint8Array(length).fill(value);

it('places copies one after another, reuses acknowledged space, wraps, and never overwrites a lent copy', () => {
  const arena = new SendArena(100);
  const lent: { view: Uint8Array; value: number }[] = [];
  let sent = 0;
  let acked = 0;
  const send = (length: number, value: number) => {
    const view = arena.copy(bytes(length, value), acked);
    sent += length;
    arena.lend(view, sent);
    lent.push({ view, value });
    return view;
  };
  const a = send(40, 1);
  const b = send(40, 2);
  expect(a.buffer).toBe(b.buffer);
  expect(b.byteOffset).toBe(40);
  // No room after b, nor before a while a is on the wire: a buffer of its own.
  const c = send(30, 3);
  expect(c.buffer).not.toBe(a.buffer);
  acked = 40;
  // a is acknowledged: the copy wraps to the front.
  const d = send(35, 4);
  expect(d.buffer).toBe(a.buffer);
  expect(d.byteOffset).toBe(0);
  // Between d's end (35) and b (40) only 5 bytes are free.
  expect(send(10, 5).buffer).not.toBe(a.buffer);
  // Every copy not yet acknowledged still holds what it was given.
  for (const { view, value } of lent.slice(1)) expect(view.every((byte) => byte === value)).toBe(true);
  acked = sent;
  expect(send(100, 6).byteOffset).toBe(0);
});
