import { join } from 'node:path';

/** Where a Star keeps its key, certificate, journals and star.toml unless told otherwise. */
export const DEFAULT_STATE_DIR = '/var/lib/orbit-star';

export function defaultConfigFile(stateDir: string): string {
  return join(stateDir, 'star.toml');
}
