import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../auth/password.ts';
import { readServerEnv } from '../env.ts';
import { starGateway } from '../runtime.ts';
import { replaceSharedSingleton } from '../shared-singleton.ts';
import { TEST_AUDIT_KEY } from '../testing/fixtures.ts';
import { bootNucleus } from './boot-nucleus.ts';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'orbit-boot-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** A fresh process as far as the shared database state is concerned. */
function freshProcessState() {
  replaceSharedSingleton('database-target', undefined);
  replaceSharedSingleton('db', undefined);
}

async function boot(extra: Record<string, string> = {}) {
  freshProcessState();
  const lines: string[] = [];
  const env = readServerEnv({
    ORBIT_DATA_DIR: dataDir,
    ORBIT_AUDIT_KEY: TEST_AUDIT_KEY,
    NEXTAUTH_URL: 'http://localhost:3999',
    ...extra,
  });
  const booted = await bootNucleus(env, (line) => lines.push(line));
  return { booted, lines };
}

describe('quick start boot (embedded database)', () => {
  it('creates the first admin once with a generated password, then says the admin exists', async () => {
    const first = await boot();
    const passwordLine = first.lines.find((line) => line.includes('password:')) ?? '';
    const password = /password: (\S+)/.exec(passwordLine)?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(first.lines.join('\n')).toContain('http://localhost:3999/sign-in');
    const admin = await first.booted.db.user.findUniqueOrThrow({
      where: { email: 'admin@orbit.local' },
      select: {
        passwordHash: true,
        memberships: { select: { role: true, team: { select: { slug: true } } } },
      },
    });
    expect(admin.passwordHash).not.toContain(password);
    expect(await verifyPassword(admin.passwordHash ?? '', password)).toBe(true);
    expect(admin.memberships).toEqual([{ role: 'owner', team: { slug: 'default' } }]);
    // The grid endpoints listen and the services can reach Stars through them.
    expect(first.booted.grid?.enrolPort).toBeGreaterThan(0);
    expect(starGateway().current?.joinCommand('orbj_example')).toContain('orbj_example');
    await first.booted.stop();
    expect(starGateway().current).toBeNull();

    const second = await boot({
      ORBIT_ADMIN_PASSWORD: 'ignored because the admin exists',
      ORBIT_GRID: 'off',
    });
    expect(second.lines.join('\n')).toContain('the admin already exists (1 user(s))');
    expect(second.lines.join('\n')).not.toContain(password);
    expect(second.booted.grid).toBeNull();
    await second.booted.stop();
  });
});
