// Shared by `npm start` and `npm test`: make a fresh clone runnable with nothing done before
// (install what is missing, generate what is generated). Idempotent and quick when all is there.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
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

/** The Prisma client is generated code: regenerate when the schema changed. */
export function ensurePrismaClient() {
  const schemaDir = join(root, 'prisma');
  if (!existsSync(schemaDir)) return;
  const configCandidates = [
    join(root, 'apps', 'nucleus-web', 'prisma.config.ts'),
    join(root, 'prisma.config.ts'),
  ];
  const config = configCandidates.find((candidate) => existsSync(candidate));
  if (!config) return;
  log('generating the Prisma client…');
  run(bin('prisma'), ['generate', '--config', config], { cwd: dirname(config) });
}

export function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}
