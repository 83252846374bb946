import { installProcessProbe } from '@orbit/engine/pack/store-lock';
import { openLibc } from './libc-calls.ts';

let installed = false;

/**
 * Lets the engine's lock files (an archive store's) tell a holder that died with the Star from one
 * that still runs: under the Star's scoped permissions Deno refuses both /proc and kill(pid, 0),
 * so a stale lock would otherwise never be taken over. Where libc is unavailable, nothing changes.
 */
export function installLibcProcessProbe(): void {
  if (installed) return;
  installed = true;
  const opened = openLibc();
  if ('libc' in opened) installProcessProbe((pid) => opened.libc.processExists(pid));
}
