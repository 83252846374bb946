import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { OrbitError, type OrbitErrorIssue } from '@orbit/engine/errors';
import { didYouMean } from '@orbit/engine/manifest/did-you-mean';
import {
  buildSourceMap,
  formatKeyPath,
  positionOf,
  type SourceMap,
} from '@orbit/engine/manifest/source-locator';
import { parse as parseToml, TomlError } from 'smol-toml';
import type { z } from 'zod/v3';
import { BANDWIDTH_HINT } from './bandwidth.ts';
import { HOST_PORT_HINT } from './host-port.ts';
import { PEER_HINT } from './peer-address.ts';
import { STAR_CONFIG_KEYS, type StarConfig, starConfigSchema } from './star-config-schema.ts';

const KEY_HINTS: Readonly<Record<string, string>> = {
  hub: 'add a [hub] table with address = "host:port" of the Nucleus',
  address: HOST_PORT_HINT,
  ca_cert: 'use the path of the grid CA certificate (written at join), e.g. "/var/lib/orbit-star/ca.crt"',
  server_name: 'use the DNS name in the Nucleus certificate, normally "nucleus.orbit.local"',
  star: 'add a [star] table with name, state_dir and data_listen',
  name: 'use 1–63 letters, digits, spaces, ".", "_" or "-", e.g. "nas-01"',
  id: 'leave id out before joining; the join command writes the id the Nucleus assigns',
  state_dir: 'use an absolute directory the Star can write, e.g. "/var/lib/orbit-star"',
  data_listen: `${HOST_PORT_HINT}; port 0 picks a free port`,
  advertise_address: 'use the host:port other Stars dial to reach this one, e.g. "nas-01.example.com:7450"',
  cert_file: 'use the path of this Star\'s certificate, e.g. "/var/lib/orbit-star/star.crt"',
  key_file: 'use the path of this Star\'s private key, e.g. "/var/lib/orbit-star/star.key"',
  security: 'add a [security] table with allowed_paths = [{ path = "/srv/data", access = "rw" }]',
  allowed_paths:
    'use a list like [{ path = "/srv/data", access = "rw" }, { path = "/mnt/archive", access = "ro" }]',
  path: 'use an absolute directory without "..", e.g. "/srv/data"',
  access: 'use "ro" (read-only, the default) or "rw" (read-write)',
  network: 'add a [network] table with peers = ["10.0.0.7:7450"] (or "any")',
  peers: PEER_HINT,
  concurrent_transfers: 'use a whole number from 1 to 256',
  bandwidth: BANDWIDTH_HINT,
};

export interface ParseStarConfigOptions {
  /** Shown in errors; relative file paths in the config resolve against its folder. */
  readonly file: string;
}

/** Parses star.toml text; every problem is reported at once with file, line, column and key. */
export function parseStarConfig(text: string, { file }: ParseStarConfigOptions): StarConfig {
  let document: unknown;
  try {
    document = parseToml(text);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const message = error.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '') ?? error.message;
    throw new OrbitError('INVALID_ARGUMENT', `TOML syntax error: ${message}`, {
      file,
      line: error.line,
      column: error.column,
      hint: 'fix the TOML at this position (see apps/star/star.example.toml)',
      cause: error,
    });
  }
  const result = starConfigSchema.safeParse(document);
  if (!result.success) {
    const sourceMap = buildSourceMap(text);
    throw OrbitError.fromIssues(
      'INVALID_ARGUMENT',
      result.error.issues.flatMap((issue) => toIssues(issue, file, sourceMap, document)),
    );
  }
  const base = dirname(resolve(file));
  const config = result.data;
  return {
    ...config,
    hub: { ...config.hub, caCert: resolve(base, config.hub.caCert) },
    star: {
      ...config.star,
      certFile: resolve(base, config.star.certFile),
      keyFile: resolve(base, config.star.keyFile),
    },
  };
}

/** Reads and parses star.toml. */
export async function loadStarConfig(file: string): Promise<StarConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') {
      throw new OrbitError('NOT_FOUND', 'star.toml not found', {
        path: file,
        hint: 'copy apps/star/star.example.toml there and fill it in, or pass --config with its path',
      });
    }
    throw new OrbitError('IO', `cannot read star.toml: ${(error as Error).message}`, {
      path: file,
      cause: error,
    });
  }
  return parseStarConfig(text, { file });
}

function toIssues(
  issue: z.ZodIssue,
  file: string,
  sourceMap: SourceMap,
  document: unknown,
): OrbitErrorIssue[] {
  const segments = issue.path.map((part) => (typeof part === 'number' ? part : String(part)));
  if (issue.code === 'unrecognized_keys') {
    const table = formatKeyPath(segments).replace(/\[\d+\]/g, '[]');
    const known = STAR_CONFIG_KEYS[table] ?? [];
    return issue.keys.map((key) => {
      const suggestion = didYouMean(key, known);
      return place(
        file,
        sourceMap,
        formatKeyPath([...segments, key]),
        `unknown key "${key}"`,
        suggestion ? `did you mean "${suggestion}"?` : `allowed keys here: ${known.join(', ')}`,
      );
    });
  }
  const keyPath = formatKeyPath(segments);
  const lastKey = [...segments].reverse().find((part) => typeof part === 'string');
  const value = valueAt(document, segments);
  const message =
    issue.code === 'invalid_type' && value === undefined
      ? 'is required'
      : issue.message.replace(/^Invalid input: /, '');
  return [
    place(file, sourceMap, keyPath, message, typeof lastKey === 'string' ? KEY_HINTS[lastKey] : undefined),
  ];
}

function place(
  file: string,
  sourceMap: SourceMap,
  keyPath: string,
  message: string,
  hint: string | undefined,
): OrbitErrorIssue {
  const { line, column } = positionOf(sourceMap, keyPath);
  return { file, line, column, ...(keyPath ? { keyPath } : {}), message, ...(hint ? { hint } : {}) };
}

function valueAt(document: unknown, segments: readonly (string | number)[]): unknown {
  let current = document;
  for (const segment of segments) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}
