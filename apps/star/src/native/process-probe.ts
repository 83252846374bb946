import { installProcessProbe } from '@orbit/engine/pack/store-lock';
import { type Libc, openLibc } from './libc-calls.ts';

let installed = false;

/**
 * Lets the engine's lock files (an archive store's, a CLI run's) tell a holder that died from one
 * that still runs: without --allow-run Deno refuses both /proc and kill(pid, 0), so a stale lock
 * would otherwise never be taken over. libc is opened at the first question, not at start-up;
 * where it is unavailable, the engine's own kill(pid, 0) is tried as before.
 */
export function installLibcProcessProbe(): void {
  if (installed) return;
  installed = true;
  let libc: Libc | null | undefined;
  installProcessProbe((pid) => {
    if (libc === undefined) {
      const opened = openLibc();
      libc = 'libc' in opened ? opened.libc : null;
    }
    return libc === null ? undefined : libc.processExists(pid);
  });
}
