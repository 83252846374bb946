// `npm run -s orbit -- <args>`: runs the Deno CLI (apps/star/src/cli/orbit.ts) with the repo's own
// `deno` binary and --allow-all (below). Deno loads the workspace engine as TypeScript source and its
// native addons (BLAKE3, zstd) from node_modules; it never writes a lockfile or downloads anything.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const deno = join(root, 'node_modules', '.bin', 'deno');
const entry = join(root, 'apps', 'star', 'src', 'cli', 'orbit.ts');

if (!existsSync(deno)) {
  process.stderr.write(
    `orbit: the deno binary is missing (${deno}).\n  hint: run "npm install" in ${root} first.\n`,
  );
  process.exit(3);
}

/**
 * The CLI runs with every permission, as rsync or cp would: it reads and writes wherever the user's
 * manifest points, and its FFI on libc (syncfs, kill(pid, 0)) would make any narrower grant a
 * formality. It also matters for speed: under anything short of --allow-all, Deno resolves every
 * opened path one component at a time (a readlink each, to keep /proc and /dev behind --allow-all),
 * about 27 readlinks per small file copied, 0.7 CPU s per 20 000 files. The Star, which does need
 * its narrow grant (its allow-list), is started by scripts/star.mjs with scoped permissions.
 */
const denoArgs = [
  'run',
  '--no-lock', // never write deno.lock into the repo
  '--cached-only', // never download; everything comes from node_modules
  '--node-modules-dir=manual', // use the npm-installed node_modules as is
  '--no-prompt',
  '--allow-all',
  entry,
];

// npm runs scripts from the repo root; relative paths on the command line mean the caller's folder.
const cwd = process.env.INIT_CWD ?? process.cwd();
const child = spawn(deno, [...denoArgs, ...process.argv.slice(2)], {
  cwd,
  stdio: 'inherit',
  env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' },
});

// Pass stop requests on; the CLI ignores the duplicate a terminal's Ctrl-C also delivers to it.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}

child.on('error', (error) => {
  process.stderr.write(`orbit: could not start deno: ${error.message}\n`);
  process.exit(3);
});

child.on('exit', (code, signal) => {
  if (signal !== null) {
    // Die of the same signal so a parent shell sees the true cause.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 3);
});
