import { mkdir, stat } from 'node:fs/promises';
import { OrbitError } from '@orbit/engine/errors';
import { writePrivateFile } from '@orbit/engine/files/private-file';
import {
  certificateFingerprint,
  createCsr,
  exportPrivateKeyPem,
  generateGridKeys,
  parseCertificatePem,
  parseStarIdentity,
  type StarIdentity,
} from '@orbit/engine/identity/index';
import type { HostPort } from '../config/host-port.ts';
import { parseStarConfig } from '../config/load-star-config.ts';
import { DEFAULT_SERVER_NAME, type StarConfig, starConfigSchema } from '../config/star-config-schema.ts';
import { formatStarConfig, writeStarConfig } from '../config/write-star-config.ts';
import type { AllowedRoot } from '../security/path-jail.ts';
import { binaryHeader, type GridCallError, GrpcStatus, textHeader } from './grid-channel.ts';
import {
  ALLOWED_PATHS_METADATA_KEY,
  CONTROL_PORT_METADATA_KEY,
  callJoin,
  GRID_CA_METADATA_KEY,
  gridChannel,
  serverOnlyTls,
  UNVERIFIED_TLS,
} from './grid-clients.ts';
import { STAR_CAPABILITIES } from './star-version.ts';

export interface JoinStarInput {
  readonly token: string;
  /** The Nucleus' enrolment endpoint. */
  readonly hub: HostPort;
  /** `sha256:<hex>` of the grid CA certificate, from the join command shown in the Nucleus UI. */
  readonly caPin: string;
  readonly name: string;
  readonly stateDir: string;
  readonly configFile: string;
  readonly dataListen: string;
  readonly advertiseAddress: string | undefined;
  readonly allowedPaths: readonly AllowedRoot[];
  /** `[network] peers`: the Stars this one may push to (host or host:port), or "any". */
  readonly peers: 'any' | readonly string[];
  readonly version: string;
  readonly serverName?: string;
}

export interface JoinedStar {
  readonly identity: StarIdentity;
  readonly config: StarConfig;
}

/**
 * Joins the grid. The CA is fetched over unverified TLS and accepted only if it matches the pin;
 * the token then travels only over TLS verified against that CA, so a man in the middle sees
 * nothing usable. Key, certificate and CA are written 0600 before star.toml, which commits the join.
 */
export async function joinStar(input: JoinStarInput): Promise<JoinedStar> {
  const serverName = input.serverName ?? DEFAULT_SERVER_NAME;
  const pin = parsePin(input.caPin);
  await refuseIfJoined(input.configFile);
  // Everything the Star will write is checked before the one-time token is spent.
  parseStarConfig(formatStarConfig(starConfig(input, input.hub, serverName, undefined)), {
    file: input.configFile,
  });
  await mkdir(input.stateDir, { recursive: true, mode: 0o700 });

  const discoveryChannel = gridChannel(input.hub, serverName, UNVERIFIED_TLS);
  const discovery = await callJoin(discoveryChannel, { token: '' }, {});
  discoveryChannel.close();
  const caPem = binaryHeader(discovery.headers, GRID_CA_METADATA_KEY)?.toString();
  if (caPem === undefined) {
    const why = discovery.error?.details ? ` (${discovery.error.details})` : '';
    throw new OrbitError('IO', `${hubText(input.hub)} did not present an Orbit grid CA${why}`, {
      hint: 'check --hub: it must be the enrolment port of the Nucleus, as printed in the join command',
      cause: discovery.error,
    });
  }
  const caFingerprint = await certificateFingerprint(parseCertificatePem(caPem, 'the grid CA certificate'));
  if (caFingerprint !== pin) {
    throw new OrbitError(
      'INVALID_ARGUMENT',
      `the Nucleus at ${hubText(input.hub)} presents a CA that does not match --ca-pin`,
      {
        hint: `expected sha256:${pin}, got sha256:${caFingerprint}; copy the join command again, or check that nothing intercepts the connection`,
      },
    );
  }

  const keys = await generateGridKeys();
  const verified = gridChannel(input.hub, serverName, serverOnlyTls(caPem));
  const joined = await callJoin(
    verified,
    {
      token: input.token,
      csrPem: await createCsr({ starName: input.name, keys }),
      starName: input.name,
      version: input.version,
      capabilities: [...STAR_CAPABILITIES],
    },
    { [ALLOWED_PATHS_METADATA_KEY]: JSON.stringify(input.allowedPaths) },
  );
  verified.close();
  if (joined.error || !joined.response) throw joinRefused(joined.error, input.hub);
  const response = joined.response;
  const identity = await parseStarIdentity(response.certificateChainPem, { caCertificatePem: caPem });
  if (identity.starId !== response.starId) {
    throw new OrbitError(
      'CORRUPT',
      `the Nucleus answered for Star ${response.starId} with a certificate for ${identity.starId}`,
    );
  }
  const controlPort = Number(textHeader(joined.headers, CONTROL_PORT_METADATA_KEY) ?? Number.NaN);
  if (!Number.isInteger(controlPort) || controlPort <= 0) {
    throw new OrbitError('IO', 'the Nucleus did not say which port serves Star sessions', {
      hint: 'update the Nucleus; it sends orbit-control-port with every Join answer',
    });
  }

  const config = starConfig(input, { host: input.hub.host, port: controlPort }, serverName, identity.starId);
  await writePrivateFile(config.star.keyFile, await exportPrivateKeyPem(keys.privateKey));
  await writePrivateFile(config.star.certFile, response.certificateChainPem);
  await writePrivateFile(config.hub.caCert, caPem);
  await writeStarConfig(input.configFile, config);
  return { identity, config };
}

/** The join flag behind each star.toml key, so a bad value is reported the way it was typed. */
const FLAG_FOR_KEY: Readonly<Record<string, string>> = {
  'hub.address': '--hub',
  'hub.server_name': '--server-name',
  'star.name': '--name',
  'star.state_dir': '--state-dir',
  'star.data_listen': '--data-listen',
  'star.advertise_address': '--advertise',
  'security.allowed_paths': '--allow',
  'network.peers': '--peer',
};

function starConfig(
  input: JoinStarInput,
  control: HostPort,
  serverName: string,
  starId: string | undefined,
): StarConfig {
  const parsed = starConfigSchema.safeParse({
    hub: { address: hubText(control), server_name: serverName },
    star: {
      name: input.name,
      ...(starId ? { id: starId } : {}),
      state_dir: input.stateDir,
      data_listen: input.dataListen,
      ...(input.advertiseAddress ? { advertise_address: input.advertiseAddress } : {}),
    },
    security: { allowed_paths: input.allowedPaths.map(({ path, access }) => ({ path, access })) },
    network: { peers: input.peers === 'any' ? 'any' : [...input.peers] },
  });
  if (parsed.success) return parsed.data;
  throw OrbitError.fromIssues(
    'INVALID_ARGUMENT',
    parsed.error.issues.map((issue) => {
      const keyPath = issue.path.slice(0, 2).join('.');
      const flag = FLAG_FOR_KEY[keyPath] ?? keyPath;
      return {
        keyPath: flag,
        message: issue.message.replace(/^Invalid input: /, ''),
        hint: `fix ${flag} (it becomes ${keyPath} in star.toml)`,
      };
    }),
  );
}

function parsePin(text: string): string {
  const match = /^sha256:([0-9a-fA-F]{64})$/.exec(text.trim());
  if (!match?.[1]) {
    throw new OrbitError('INVALID_ARGUMENT', `--ca-pin "${text}" is not sha256:<64 hex digits>`, {
      hint: 'copy the whole join command from the Nucleus UI; it ends in --ca-pin sha256:… --token …',
    });
  }
  return match[1].toLowerCase();
}

async function refuseIfJoined(configFile: string): Promise<void> {
  const exists = await stat(configFile).then(
    () => true,
    () => false,
  );
  if (exists) {
    throw new OrbitError('INVALID_ARGUMENT', 'this Star has already joined a grid (star.toml exists)', {
      path: configFile,
      hint: 'remove the Star in the Nucleus UI and delete star.toml and the state directory to join again, or pass another --config',
    });
  }
}

function hubText({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function joinRefused(error: GridCallError | undefined, hub: HostPort): OrbitError {
  const details = error?.details || 'no answer';
  // A refused name leaves the token unspent: the same token works with the right --name.
  const nameRefused =
    error?.code === GrpcStatus.ALREADY_EXISTS || error?.code === GrpcStatus.FAILED_PRECONDITION;
  return new OrbitError('INVALID_ARGUMENT', `the Nucleus at ${hubText(hub)} refused the join: ${details}`, {
    hint: nameRefused
      ? 'the join token is still valid: fix the name as the message says and run the same join command again'
      : 'issue a new join token in the Nucleus UI (Stars → Add Star) and run the join command it shows',
    cause: error,
  });
}
