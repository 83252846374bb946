import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { expect } from '@playwright/test';
import { freePort, joinArgsFromCommand, type StarHost } from './star-processes.ts';

/** Runs a join command the Nucleus gave, with what a test must choose itself: state folder, root, data port. */
export async function joinStar(
  starHost: StarHost,
  command: string,
  name: string,
  access: 'ro' | 'rw',
): Promise<{ root: string; config: string }> {
  const root = path.join(starHost.dir, name, 'data');
  const stateDir = path.join(starHost.dir, name, 'state');
  await mkdir(root, { recursive: true });
  const output = await starHost.run([
    ...joinArgsFromCommand(command),
    '--state-dir',
    stateDir,
    '--allow',
    `${root}:${access}`,
    // Not port 0: join writes it as the advertise address too, which star.toml then refuses.
    '--data-listen',
    `127.0.0.1:${await freePort()}`,
  ]);
  expect(output).toMatch(/joined the grid as Star \S+/);
  return { root, config: path.join(stateDir, 'star.toml') };
}
