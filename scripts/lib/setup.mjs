// Shared by `npm start` and `npm test`: make a fresh clone runnable with nothing done before
// (install what is missing, generate what is generated). Idempotent and quick when all is there.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function log(message) {
  process.stdout.write(`\x1b[36m▸\x1b[0m ${message}\n`);
}

/** Runs a command in the repo root with inherited stdio; throws with the command line on failure. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const error = new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
    error.exitCode = result.status ?? 1;
    throw error;
  }
}

export function bin(name) {
  return join(root, 'node_modules', '.bin', name);
}

function newer(a, b) {
  return existsSync(a) && (!existsSync(b) || statSync(a).mtimeMs > statSync(b).mtimeMs);
}

/** `npm install` when node_modules is missing or older than the lockfile. */
export function ensureInstalled() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(marker) || newer(join(root, 'package-lock.json'), marker)) {
    log('installing dependencies (npm install)…');
    run('npm', ['install', '--no-audit', '--no-fund']);
  }
}

/** The Prisma CLI under node; the preload unrefs the wasm schema engine's long timers so it exits when done. */
export const prismaCli = [
  '--require',
  join(root, 'prisma', 'cli', 'unref-long-timers.cjs'),
  join(root, 'node_modules', 'prisma', 'build', 'index.js'),
];

/** The Prisma client is generated code (gitignored): generate it before anything type-checks or runs. */
export function ensurePrismaClient() {
  const web = join(root, 'apps', 'nucleus-web');
  if (!existsSync(join(web, 'prisma.config.ts'))) return;
  log('generating the Prisma client…');
  run(process.execPath, [...prismaCli, 'generate'], {
    cwd: web,
    stdio: ['ignore', 'ignore', 'inherit'],
    // generate never connects, but without a DATABASE_URL the CLI falls back to downloading an engine.
    env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://localhost/unused' },
  });
}
