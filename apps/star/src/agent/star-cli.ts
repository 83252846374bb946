import { resolve } from 'node:path';
import { isOrbitError, OrbitError } from '@orbit/engine/errors';
import { type FlagSpecs, parseArgs, requireFlag, usageError } from '../cli/args/parse-args.ts';
import { parseHostPort } from '../config/host-port.ts';
import { loadStarConfig } from '../config/load-star-config.ts';
import type { AllowedRoot } from '../security/path-jail.ts';
import { DEFAULT_STATE_DIR, defaultConfigFile } from './star-paths.ts';
import { STAR_VERSION } from './star-version.ts';

// Each command imports its modules when it runs: an idle `serve` never holds the join, renewal
// or status code (x509 enrolment, CSR building) in memory.

export interface StarCliContext {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly signal: AbortSignal;
  readonly cwd: string;
  readonly hostname: string;
}

const USAGE = `orbit-star ${STAR_VERSION} — the Orbit agent that runs next to the data

Usage:
  orbit-star join --hub HOST:PORT --ca-pin sha256:HEX --token TOKEN --allow PATH[:ro|rw] … [options]
  orbit-star serve [--config FILE] [--verbose]
  orbit-star status [--config FILE]
  orbit-star renew [--config FILE]     renew the certificate now (serve also renews before expiry)

The join command with --hub, --ca-pin and --token is shown by the Nucleus when you add a Star.
--config defaults to ${defaultConfigFile(DEFAULT_STATE_DIR)}.

Exit codes: 0 success, 1 status check failed, 2 usage or configuration error, 3 I/O or internal error
`;

const configFlag = {
  config: { kind: 'string', valueName: 'FILE', description: 'star.toml to read' },
} as const;
const SERVE_FLAGS = {
  ...configFlag,
  verbose: { kind: 'boolean', description: 'also log debug lines' },
} as const satisfies FlagSpecs;
const JOIN_FLAGS = {
  token: { kind: 'string', valueName: 'TOKEN', description: 'one-time join token' },
  hub: { kind: 'string', valueName: 'HOST:PORT', description: 'the Nucleus enrolment endpoint' },
  'ca-pin': { kind: 'string', valueName: 'sha256:HEX', description: 'fingerprint of the grid CA' },
  name: { kind: 'string', valueName: 'NAME', description: 'name shown in the Nucleus (default: host name)' },
  'state-dir': {
    kind: 'string',
    valueName: 'DIR',
    description: `key, certificate, journals (default ${DEFAULT_STATE_DIR})`,
  },
  'data-listen': {
    kind: 'string',
    valueName: 'HOST:PORT',
    description: 'data-plane listen address (default 0.0.0.0:7450)',
  },
  advertise: {
    kind: 'string',
    valueName: 'HOST:PORT',
    description: 'address other Stars dial (default host name)',
  },
  allow: { kind: 'list', valueName: 'PATH[:ro|rw]', description: 'a directory the Star may touch (repeat)' },
  peer: {
    kind: 'list',
    valueName: 'HOST[:PORT]',
    description: 'a Star this one may push to, or "any" (repeat; loopback needs none)',
  },
  'server-name': { kind: 'string', valueName: 'DNS', description: 'name in the Nucleus certificate' },
  ...configFlag,
} as const satisfies FlagSpecs;

/** Runs one `orbit-star` invocation and returns its exit code; every error is printed here, once. */
export async function runStarCli(argv: readonly string[], context: StarCliContext): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      context.stdout(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version') {
      context.stdout(`orbit-star ${STAR_VERSION}\n`);
      return 0;
    }
    if (command === 'join') return await join(rest, context);
    if (command === 'serve') {
      const { flags, help } = parseArgs(rest, SERVE_FLAGS, 'star serve');
      if (help) {
        context.stdout(USAGE);
        return 0;
      }
      return await serve(configFileOf(flags, context), flags.verbose, context);
    }
    if (command === 'status' || command === 'renew') {
      const { flags, help } = parseArgs(rest, configFlag, `star ${command}`);
      if (help) {
        context.stdout(USAGE);
        return 0;
      }
      const file = configFileOf(flags, context);
      return command === 'status' ? await showStatus(file, context) : await renew(file, context);
    }
    throw usageError(`unknown command "${command}"`, 'use join, serve, status or renew (orbit-star --help)');
  } catch (error) {
    if (isOrbitError(error)) {
      context.stderr(`orbit-star: ${error.format()}\n`);
      return error.code === 'IO' || error.code === 'CORRUPT' ? 3 : 2;
    }
    context.stderr(`orbit-star: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return 3;
  }
}

async function join(argv: readonly string[], context: StarCliContext): Promise<number> {
  const { flags, help } = parseArgs(argv, JOIN_FLAGS, 'star join');
  if (help) {
    context.stdout(USAGE);
    return 0;
  }
  const hubText = requireFlag(flags.hub, 'hub', 'HOST:PORT', 'star join');
  let hub: ReturnType<typeof parseHostPort>;
  try {
    hub = parseHostPort(hubText);
  } catch (error) {
    throw usageError(
      `--hub: ${(error as Error).message}`,
      'write the enrolment address as host:port, as the join command shows it',
    );
  }
  if (flags.allow.length === 0) {
    throw usageError(
      '"orbit-star join" needs at least one --allow PATH',
      'e.g. --allow /srv/data:rw --allow /mnt/archive:ro',
    );
  }
  const stateDir = resolve(context.cwd, flags['state-dir'] ?? DEFAULT_STATE_DIR);
  const dataListen = flags['data-listen'] ?? '0.0.0.0:7450';
  const wildcard = /^(0\.0\.0\.0|\[::\]):/.test(dataListen);
  const advertise =
    flags.advertise ?? (wildcard ? `${context.hostname}:${dataListen.split(':').pop()}` : undefined);
  const { joinStar } = await import('./join-star.ts');
  const joined = await joinStar({
    token: requireFlag(flags.token, 'token', 'TOKEN', 'star join'),
    hub,
    caPin: requireFlag(flags['ca-pin'], 'ca-pin', 'sha256:HEX', 'star join'),
    name: flags.name ?? context.hostname.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 63),
    stateDir,
    configFile: resolve(context.cwd, flags.config ?? defaultConfigFile(stateDir)),
    dataListen,
    advertiseAddress: advertise,
    allowedPaths: flags.allow.map(parseAllow),
    peers: flags.peer.includes('any') ? 'any' : flags.peer,
    version: STAR_VERSION,
    ...(flags['server-name'] ? { serverName: flags['server-name'] } : {}),
  });
  context.stdout(
    `joined the grid as Star ${joined.identity.starId} (team ${joined.identity.teamId})\n` +
      `  certificate valid until ${joined.identity.notAfter.toISOString()}\n` +
      `  wrote ${resolve(context.cwd, flags.config ?? defaultConfigFile(stateDir))}\n` +
      '  next: orbit-star serve' +
      (flags.config ? ` --config ${flags.config}` : '') +
      '\n',
  );
  return 0;
}

function parseAllow(text: string): AllowedRoot {
  const match = /^(.*?)(?::(ro|rw))?$/.exec(text);
  const path = match?.[1] ?? '';
  if (!path.startsWith('/')) {
    throw usageError(
      `--allow "${text}" is not an absolute path`,
      'write --allow /srv/data:rw or --allow /mnt/archive:ro',
    );
  }
  return {
    path: path.length > 1 ? path.replace(/\/+$/, '') : path,
    access: match?.[2] === 'rw' ? 'rw' : 'ro',
  };
}

function configFileOf(flags: { readonly config: string | undefined }, context: StarCliContext): string {
  return resolve(context.cwd, flags.config ?? defaultConfigFile(DEFAULT_STATE_DIR));
}

async function serve(file: string, verbose: boolean, context: StarCliContext): Promise<number> {
  const config = await loadStarConfig(file);
  if (config.star.id === undefined) {
    throw new OrbitError('INVALID_ARGUMENT', 'this Star has not joined a grid yet ([star] id is missing)', {
      file,
      hint: 'run orbit-star join with the command the Nucleus shows',
    });
  }
  const log = (line: string) => context.stderr(`${new Date().toISOString()} orbit-star: ${line}\n`);
  log(`serving as "${config.star.name}" (${config.star.id}), Nucleus ${config.hub.address.text}`);
  const { serveStar } = await import('./star-agent.ts');
  await serveStar({
    config,
    signal: context.signal,
    log,
    ...(verbose ? { debug: (line: string) => log(`debug: ${line}`) } : {}),
  });
  log('stopped');
  return 0;
}

async function renew(file: string, context: StarCliContext): Promise<number> {
  const config = await loadStarConfig(file);
  const { completePendingRenewal, renewCertificate } = await import('./certificate-renewal.ts');
  const { loadStarCredentials } = await import('./star-credentials.ts');
  await completePendingRenewal(config);
  await renewCertificate(config, await loadStarCredentials(config));
  const { identity } = await loadStarCredentials(config);
  context.stdout(`renewed: serial ${identity.serialNumber}, expires ${identity.notAfter.toISOString()}\n`);
  return 0;
}

async function showStatus(file: string, context: StarCliContext): Promise<number> {
  const config = await loadStarConfig(file);
  const { loadStarCredentials } = await import('./star-credentials.ts');
  const { checkConnection } = await import('./star-status.ts');
  const credentials = await loadStarCredentials(config);
  const { identity } = credentials;
  const check = await checkConnection(config, credentials);
  const roots = config.security.allowedPaths.map(({ path, access }) => `    ${path} (${access})`);
  context.stdout(
    [
      `Star         ${config.star.name}`,
      `id           ${identity.starId}`,
      `team         ${identity.teamId}`,
      `certificate  serial ${identity.serialNumber}, expires ${identity.notAfter.toISOString()}`,
      `fingerprint  sha256:${identity.fingerprint}`,
      `Nucleus      ${config.hub.address.text} (${config.hub.serverName})`,
      `connection   ${check.message}`,
      'allowed paths',
      ...roots,
      '',
    ].join('\n'),
  );
  return check.ok ? 0 : 1;
}
