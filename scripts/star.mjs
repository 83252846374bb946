// `npm run -s star -- <join|serve|status> [options]`: runs the Star agent (apps/star/src/star.ts)
// on the repo's own `deno` with permissions narrowed to what this Star may touch, read from its
// star.toml (serve, status) or from the join flags. Network: the Nucleus, the data-plane listen
// address, loopback (Stars on the same machine) and star.toml's `[network] peers` (or everything
// when peers = "any"); the Star refuses a push to any other peer with PERMISSION_DENIED.
import { spawn } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseToml } from 'smol-toml';
import { libcPaths } from './lib/libc-paths.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const deno = join(root, 'node_modules', '.bin', 'deno');
const entry = join(root, 'apps', 'star', 'src', 'star.ts');
const DEFAULT_STATE_DIR = '/var/lib/orbit-star';

if (!existsSync(deno)) {
  process.stderr.write(
    `orbit-star: the deno binary is missing (${deno}).\n  hint: run "npm install" in ${root} first.\n`,
  );
  process.exit(3);
}

const args = process.argv.slice(2);
const cwd = process.env.INIT_CWD ?? process.cwd();

/** Every value of `--name V` / `--name=V` in the arguments. */
function flagValues(name) {
  const values = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === `--${name}` && args[index + 1] !== undefined) values.push(args[++index]);
    else if (arg.startsWith(`--${name}=`)) values.push(arg.slice(name.length + 3));
  }
  return values;
}

/** The host of host:port as Deno's --allow-net spells it (IPv6 keeps its brackets). */
const hostOf = (address) => address.replace(/:\d+$/, '');

/** Loopback needs no `[network] peers` entry: another Star on this machine is always reachable. */
const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

/** Reads, writes and hosts this invocation needs; `net: undefined` means any host. */
function scope() {
  const command = args[0];
  const read = [root];
  const write = [];
  let net = [];
  if (command === 'join') {
    const stateDir = resolve(cwd, flagValues('state-dir')[0] ?? DEFAULT_STATE_DIR);
    const config = resolve(cwd, flagValues('config')[0] ?? join(stateDir, 'star.toml'));
    read.push(stateDir, dirname(config));
    write.push(stateDir, dirname(config));
    for (const hub of flagValues('hub')) net.push(hostOf(hub));
    return { read, write, net };
  }
  if (command !== 'serve' && command !== 'status' && command !== 'renew') return { read, write, net };
  const configFile = resolve(cwd, flagValues('config')[0] ?? join(DEFAULT_STATE_DIR, 'star.toml'));
  read.push(configFile);
  let config;
  try {
    config = parseToml(readFileSync(configFile, 'utf8'));
  } catch {
    // The Star itself reports a missing or broken star.toml with file, line and hint.
    return { read, write, net };
  }
  const base = dirname(configFile);
  const star = config.star ?? {};
  const stateDir = typeof star.state_dir === 'string' ? star.state_dir : DEFAULT_STATE_DIR;
  read.push(stateDir);
  write.push(stateDir);
  for (const file of [config.hub?.ca_cert, star.cert_file, star.key_file]) {
    if (typeof file !== 'string') continue;
    read.push(resolve(base, file));
    // Renewal writes the new key and certificate beside the old ones.
    if (command !== 'status' && file !== config.hub?.ca_cert) write.push(dirname(resolve(base, file)));
  }
  if (typeof config.hub?.address === 'string') net.push(hostOf(config.hub.address));
  if (command === 'serve') {
    for (const allowed of config.security?.allowed_paths ?? []) {
      if (typeof allowed?.path !== 'string') continue;
      read.push(allowed.path);
      if (allowed.access === 'rw') write.push(allowed.path);
    }
    if (typeof star.data_listen === 'string') net.push(star.data_listen);
    net.push(...LOOPBACK);
    // Entries are host or host:port, as --allow-net spells them; the Star validates them itself.
    const peers = config.network?.peers;
    if (peers === 'any') net = undefined;
    else if (Array.isArray(peers)) net.push(...peers.filter((peer) => typeof peer === 'string'));
  }
  return { read, write, net };
}

const { read, write, net } = scope();
// libc for the symlink calls Deno refuses under scoped permissions.
const ffi = [join(root, 'node_modules'), ...libcPaths()];
const list = (values) => [...new Set(values)].join(',');

// Each name and the addresses it resolves to: a Star may be told to dial either (a peer's advertised
// address, an IP it was given). Resolved now, so a host that changes address needs a Star restart.
for (const entry of net === undefined ? [] : [...net]) {
  const host = entry.replace(/:\d+$/, '');
  if (isIP(host.replace(/^\[(.*)\]$/, '$1')) !== 0) continue;
  try {
    for (const { address } of await lookup(host, { all: true }))
      net.push(address.includes(':') ? `[${address}]` : address);
  } catch {
    // Unresolvable now: the Star reports the connection failure with the name it tried.
  }
}
const denoArgs = [
  'run',
  '--no-lock', // never write deno.lock into the repo
  '--cached-only', // never download; everything comes from node_modules
  '--node-modules-dir=manual',
  '--no-prompt', // a missing permission is an error, not an interactive question
  // Idle memory: a 1 MiB young generation (V8 would grow it to 16 MiB) and no mapped V8 code cache
  // (~4 MiB; costs start-up time only). Receiving-Star CPU measured unchanged with both;
  // --optimize-for-size saved ~2.5 MiB more but cost the receiver ~60% more CPU, so it is not used.
  // gc(): a quiet Star collects before malloc_trim, so the freed read buffers' pages go back too.
  '--v8-flags=--max-semi-space-size=1,--expose-gc',
  '--no-code-cache',
  `--allow-read=${list(read)}`,
  ...(write.length > 0 ? [`--allow-write=${list(write)}`] : []),
  ...(net === undefined ? ['--allow-net'] : net.length > 0 ? [`--allow-net=${list(net)}`] : []),
  '--allow-env', // the native addon loaders read NAPI_RS_* variables
  `--allow-ffi=${list(ffi)}`, // native addons (@napi-rs/blake-hash, zstd-napi) and libc
  '--allow-sys', // CPU, memory and host name for heartbeats
  entry,
];

const child = spawn(deno, [...denoArgs, ...args], {
  cwd,
  stdio: 'inherit',
  env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' },
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('error', (error) => {
  process.stderr.write(`orbit-star: could not start deno: ${error.message}\n`);
  process.exit(3);
});
child.on('exit', (code, signal) => {
  if (signal !== null) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 3);
});
