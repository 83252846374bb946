import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStarCli } from './star-cli.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orbit-star-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runStarCli(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    signal: new AbortController().signal,
    cwd: dir,
    hostname: 'test-host',
  });
  return { code, stdout, stderr };
}

const PIN = `sha256:${'0'.repeat(64)}`;

describe('orbit-star command line', () => {
  it('prints usage and its version', async () => {
    expect((await cli('--help')).stdout).toMatch(/orbit-star join --hub HOST:PORT --ca-pin/);
    expect((await cli('--version')).stdout).toMatch(/^orbit-star \d+\.\d+\.\d+/);
    const unknown = await cli('launch');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "launch"/);
  });

  it('refuses a join it cannot complete before contacting the Nucleus', async () => {
    const base = ['join', '--hub', '127.0.0.1:1', '--token', 'orbj_x', '--state-dir', join(dir, 'state')];
    const noAllow = await cli(...base, '--ca-pin', PIN);
    expect(noAllow.code).toBe(2);
    expect(noAllow.stderr).toMatch(/needs at least one --allow/);
    const relative = await cli(...base, '--ca-pin', PIN, '--allow', 'data:rw');
    expect(relative.stderr).toMatch(/--allow "data:rw" is not an absolute path/);
    const badPin = await cli(...base, '--ca-pin', 'md5:abc', '--allow', '/srv:rw');
    expect(badPin.code).toBe(2);
    expect(badPin.stderr).toMatch(/--ca-pin "md5:abc" is not sha256:<64 hex digits>/);
    const badListen = await cli(...base, '--ca-pin', PIN, '--allow', '/srv:rw', '--data-listen', 'nowhere');
    expect(badListen.code).toBe(2);
    expect(badListen.stderr).toMatch(/data_listen/);
  });

  it('refuses to join twice over an existing star.toml', async () => {
    const config = join(dir, 'joined.toml');
    await writeFile(config, '# already here\n');
    const again = await cli(
      'join',
      '--hub',
      '127.0.0.1:1',
      '--token',
      't',
      '--ca-pin',
      PIN,
      '--allow',
      '/srv',
      '--config',
      config,
    );
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already joined/);
  });

  it('explains a missing or unjoined star.toml', async () => {
    const missing = await cli('status', '--config', join(dir, 'nope.toml'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/star.toml not found/);
    const unjoined = join(dir, 'unjoined.toml');
    await writeFile(
      unjoined,
      [
        '[hub]',
        'address = "127.0.0.1:7444"',
        '[star]',
        'name = "lab"',
        `state_dir = "${join(dir, 'state')}"`,
        'data_listen = "127.0.0.1:7450"',
        '[security]',
        `allowed_paths = [{ path = "${dir}", access = "ro" }]`,
        '',
      ].join('\n'),
    );
    const serve = await cli('serve', '--config', unjoined);
    expect(serve.code).toBe(2);
    expect(serve.stderr).toMatch(/has not joined a grid yet/);
    const status = await cli('status', '--config', unjoined);
    expect(status.code).toBe(2);
    expect(status.stderr).toMatch(/run `orbit-star join` first/);
  });
});
