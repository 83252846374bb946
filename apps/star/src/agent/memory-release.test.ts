import { existsSync } from 'node:fs';
import process from 'node:process';
import { expect, it } from 'vitest';
import { LIBC_PATHS } from '../native/libc-calls.ts';
import { createMemoryRelease } from './memory-release.ts';

const glibc =
  typeof Reflect.get(globalThis, 'Deno') === 'object' &&
  process.platform === 'linux' &&
  LIBC_PATHS.some((path) => existsSync(path));
const turn = () => new Promise((resolve) => setTimeout(resolve, 20));

it('returns freed memory once quiet, never while a transfer runs, and says once why it cannot', async () => {
  const lines: string[] = [];
  let busy = true;
  const memory = createMemoryRelease({
    busy: () => busy,
    debug: (line) => lines.push(line),
    quietMs: 0,
    sweptMs: 0,
  });
  memory.soon();
  await turn();
  expect(lines).toEqual([]);

  busy = false;
  memory.soon();
  await turn();
  memory.soon();
  await turn();
  if (glibc) {
    // Under Deno on Linux (the Deno pass of the Star's tests): malloc_trim and the code trim run each time.
    const returned = expect.stringMatching(
      /^returned memory: RSS \d+\.\d → \d+\.\d MiB, \d+\.\d MiB of code pages out of the working set$/,
    );
    expect(lines).toEqual([returned, returned]);
  } else {
    expect(lines).toEqual([
      expect.stringMatching(/^freed memory stays with the allocator: /),
      expect.stringMatching(/^code pages stay resident: /),
    ]);
  }
  memory.stop();
});
