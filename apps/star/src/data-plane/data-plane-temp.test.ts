import { link, lstat, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { GridCa } from '@orbit/engine/identity/grid-ca';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createDataPlaneWorld,
  createGrid,
  type DataPlaneWorld,
  listTree,
  pushTo,
  randomData,
  type StarCredentials,
  sha256Of,
} from './data-plane.fixture.ts';
import type { DataPlaneServer } from './data-plane-server.ts';
import { ReceiverJournal } from './receiver-journal.ts';

// Someone who can write in the destination puts a link at the name the receiver's temp file of
// `a.bin` will take. Whatever it leads to stays as it was, and the file still arrives.
const TEMP = '.a.bin.orbit-partial';
const PRECIOUS = 'not the transfer’s business';

let grid: { ca: GridCa; receiver: StarCredentials };
let world: DataPlaneWorld;

beforeAll(async () => {
  grid = await createGrid();
});
beforeEach(async () => {
  world = await createDataPlaneWorld(grid.ca, grid.receiver);
  await writeFile(join(world.source, 'a.bin'), randomData(300 * 1024));
});
afterEach(() => world.cleanup());

function push(server: DataPlaneServer) {
  return pushTo(world, server, ['a.bin'], { retries: 0 });
}

async function expectArrivedBeside(victim: string): Promise<void> {
  expect(await sha256Of(join(world.dest, 'a.bin'))).toBe(await sha256Of(join(world.source, 'a.bin')));
  expect(await readFile(victim, 'utf8')).toBe(PRECIOUS);
  expect((await listTree(world.dest)).filter((name) => name.includes('orbit-partial'))).toEqual([]);
}

describe('the receiver’s temp file never follows what is planted at its name', () => {
  it.each([
    ['outside the root', () => join(world.base, 'elsewhere', 'victim.txt')],
    ['inside the root', () => join(world.dest, 'victim.txt')],
  ])('a symlink there pointing %s is replaced, not written through', async (_, victimPath) => {
    const victim = victimPath();
    await mkdir(dirname(victim), { recursive: true });
    await writeFile(victim, PRECIOUS);
    await symlink(victim, join(world.dest, TEMP));
    const result = await push(await world.startReceiver());
    expect(result.files[0]).toMatchObject({ status: 'sent' });
    await expectArrivedBeside(victim);
  });

  // An interrupted transfer's journal names the temp file: resuming must not take over a link.
  it.each([
    ['a symlink', symlink],
    ['a hard link', link],
  ] as const)('a journalled transfer does not resume into %s put at the temp name', async (_, plant) => {
    const victim = join(world.dest, 'victim.txt');
    await writeFile(victim, PRECIOUS);
    const source = await lstat(join(world.source, 'a.bin'));
    const journal = await ReceiverJournal.open(world.state);
    await journal.begin({
      target: join(world.dest, 'a.bin'),
      temp: join(world.dest, TEMP),
      size: source.size,
      mtimeMs: source.mtimeMs,
      hash: '',
      algorithm: 'blake3',
    });
    await plant(victim, join(world.dest, TEMP));
    const result = await push(await world.startReceiver());
    expect(result.files[0]).toMatchObject({ status: 'sent' });
    await expectArrivedBeside(victim);
  });
});
