import { acquireStoreLock } from '@orbit/engine/pack/store-lock';
import { installLibcProcessProbe } from './process-probe.ts';

/**
 * Takes an archive store's lock the way a Star does, in a process whose Deno permissions are
 * scoped to the store (as a Star's are): with `probe`, after installing the Star's libc probe.
 * Prints `taken`, or the error's message.
 */
const [dir, mode] = Reflect.get(globalThis, 'Deno').args as string[];
if (dir === undefined) throw new Error('usage: scoped-lock-child.ts <archive dir> [probe]');
if (mode === 'probe') installLibcProcessProbe();
try {
  const lock = await acquireStoreLock(dir);
  await lock.release();
  console.log(JSON.stringify({ outcome: 'taken' }));
} catch (error) {
  console.log(JSON.stringify({ outcome: error instanceof Error ? error.message : String(error) }));
}
