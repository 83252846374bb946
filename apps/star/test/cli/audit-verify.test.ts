import { appendFile, copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, orbit, TEST_CHUNKING, writeSeededFile } from './cli-harness.ts';

let dir: Awaited<ReturnType<typeof makeTempDir>>;
let lines: string[] = [];

beforeEach(async () => {
  dir = await makeTempDir('audit');
  await mkdir(join(dir.path, 'src', 'nested'), { recursive: true });
  await writeSeededFile(join(dir.path, 'src', 'a.bin'), 300_000, 21);
  await writeSeededFile(join(dir.path, 'src', 'nested', 'b.bin'), 90_000, 22);
  await writeFile(
    join(dir.path, 'orbit.manifest.toml'),
    [
      '[defaults]',
      'audit_log = "audit.log"',
      '',
      TEST_CHUNKING,
      '[[job]]',
      'name = "data"',
      'source = "src"',
      'destination = "out"',
      '',
    ].join('\n'),
  );
  const run = await orbit(['run', '--manifest', 'orbit.manifest.toml'], { cwd: dir.path });
  expect(run.code).toBe(0);
  lines = (await readFile(join(dir.path, 'audit.log'), 'utf8')).split('\n').filter(Boolean);
  expect(lines.length).toBeGreaterThan(5);
});
afterEach(async () => {
  await dir.remove();
});

/** A tampered copy of the log (with its head anchor, as an attacker would leave it). */
async function tampered(name: string, edit: (copy: string[]) => string[]): Promise<string> {
  const path = join(dir.path, name);
  await writeFile(path, `${edit([...lines]).join('\n')}\n`);
  await copyFile(join(dir.path, 'audit.log.head'), `${path}.head`);
  return path;
}

describe('orbit audit verify', () => {
  it('passes on the log a run wrote', async () => {
    const result = await orbit(['audit', 'verify', 'audit.log'], { cwd: dir.path });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${lines.length} lines verify`);
  });

  it('names the edited line', async () => {
    const path = await tampered('edited.log', (copy) => {
      copy[2] = (copy[2] ?? '').replace(/"timestamp":"[^"]+"/, '"timestamp":"2000-01-01T00:00:00.000Z"');
      return copy;
    });
    const result = await orbit(['audit', 'verify', path], { cwd: dir.path });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${path}:3: bad-mac`);
  });

  it('names the line after a deleted one', async () => {
    const path = await tampered('deleted.log', (copy) => copy.filter((_, index) => index !== 3));
    const result = await orbit(['audit', 'verify', path], { cwd: dir.path });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${path}:4: sequence-gap`);
  });

  it('names swapped lines', async () => {
    const path = await tampered('swapped.log', (copy) => {
      const [second, third] = [copy[1] ?? '', copy[2] ?? ''];
      copy[1] = third;
      copy[2] = second;
      return copy;
    });
    const result = await orbit(['audit', 'verify', path], { cwd: dir.path });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`${path.replaceAll('/', '\\/')}:2: reordered`));
  });

  it('repairs only a torn last line from a crash, keeping its bytes beside the log', async () => {
    const path = join(dir.path, 'audit.log');
    await appendFile(path, '{"seq":');
    const torn = await orbit(['audit', 'verify', 'audit.log'], { cwd: dir.path });
    expect(torn.code).toBe(1);
    expect(torn.stdout).toContain(`${path}:${lines.length + 1}: malformed`);

    const repaired = await orbit(['audit', 'verify', 'audit.log', '--repair'], { cwd: dir.path });
    expect(repaired.code).toBe(0);
    expect(repaired.stderr).toContain('moved the torn last line');
    expect(repaired.stdout).toContain(`${lines.length} lines verify`);
    const saved = (await readdir(dir.path)).filter((name) => name.startsWith('audit.log.torn-'));
    expect(saved).toHaveLength(1);
    expect(await readFile(join(dir.path, saved[0] ?? ''), 'utf8')).toBe('{"seq":');
  });

  it('refuses to "repair" a tampered log', async () => {
    const path = await tampered('tampered.log', (copy) => copy.filter((_, index) => index !== 1));
    const result = await orbit(['audit', 'verify', path, '--repair'], { cwd: dir.path });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot be repaired');
  });

  it('fails with another key and refuses to start without one', async () => {
    const wrongKey = await orbit(['audit', 'verify', 'audit.log'], {
      cwd: dir.path,
      env: { ORBIT_AUDIT_KEY: 'not-the-key' },
    });
    expect(wrongKey.code).toBe(1);
    const noKey = await orbit(['audit', 'verify', 'audit.log', '--key-env', 'ORBIT_TEST_UNSET_KEY'], {
      cwd: dir.path,
    });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('ORBIT_TEST_UNSET_KEY is not set');
  });
});
