import { posix } from 'node:path';
// zod's v3 API (shipped in the same zod package): the Star loads this schema in every idle agent,
// and v4's core costs ~5 MiB more resident memory there. Defaults are input values in v3.
import { z } from 'zod/v3';
import { formatBandwidth, parseBandwidth } from './bandwidth.ts';
import { formatHostPort, type HostPort, isWildcardHost, parseHostPort } from './host-port.ts';
import { type PeerAddress, parsePeerAddress } from './peer-address.ts';

/** The one schema for star.toml; `StarConfig` is inferred from it. Keys are snake_case in TOML. */

const STAR_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$/;
/** Matches the grid id rule in @orbit/engine identity (letters, digits, hyphens; a UUID or cuid fits). */
const GRID_ID = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const DNS_NAME = /^(?=.{1,253}$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*$/;

export const DEFAULT_SERVER_NAME = 'nucleus.orbit.local';
export const DEFAULT_CONCURRENT_TRANSFERS = 4;
/** An interrupted receive nobody resumed for this long is removed (partial file and journal). */
export const DEFAULT_KEEP_PARTIAL_DAYS = 7;

const hostPort = (allowPortZero: boolean) =>
  z.string().transform((text, ctx): HostPort & { readonly text: string } => {
    try {
      const parsed = parseHostPort(text, allowPortZero);
      return { ...parsed, text: formatHostPort(parsed) };
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });

const bandwidth = z.string().transform((text, ctx) => {
  try {
    const bytesPerSecond = parseBandwidth(text);
    return { bytesPerSecond, text: formatBandwidth(bytesPerSecond) };
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

/** Any non-empty path; relative ones are resolved against the folder holding star.toml. */
const filePath = z
  .string()
  .min(1, 'must not be empty')
  .refine((path) => !path.includes('\0'), 'must not contain NUL');

const absolutePath = z
  .string()
  .refine((path) => path.startsWith('/') && !path.includes('\0'), 'must be an absolute path')
  .refine((path) => !path.split('/').includes('..'), 'must not contain ".."')
  .transform((path) => (path === '/' ? '/' : posix.normalize(path).replace(/\/$/, '')));

const peerAddress = z.string().transform((text, ctx): PeerAddress => {
  try {
    return parsePeerAddress(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

const peerList = z.array(peerAddress);

/** `"any"` or a list; a union would report only "Invalid input", this names the bad entry. */
const peers = z.unknown().transform((value, ctx): 'any' | PeerAddress[] => {
  if (value === undefined) return [];
  if (value === 'any') return 'any';
  if (typeof value === 'string') {
    ctx.addIssue({ code: 'custom', message: `must be "any" or a list, not "${value}"` });
    return z.NEVER;
  }
  const parsed = peerList.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues)
    ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
});

const network = z.strictObject({ peers });

const allowedPath = z.strictObject({
  path: absolutePath,
  access: z.enum(['ro', 'rw']).default('ro'),
});

const rawStarConfigSchema = z.strictObject({
  hub: z.strictObject({
    address: hostPort(false),
    ca_cert: filePath.optional(),
    server_name: z.string().regex(DNS_NAME, 'must be a DNS name').default(DEFAULT_SERVER_NAME),
  }),
  star: z.strictObject({
    name: z.string().regex(STAR_NAME, 'must be 1–63 letters, digits, spaces, ".", "_" or "-"'),
    id: z.string().regex(GRID_ID, 'must be 1–63 letters, digits or hyphens').optional(),
    state_dir: absolutePath,
    data_listen: hostPort(true),
    advertise_address: hostPort(false).optional(),
    cert_file: filePath.optional(),
    key_file: filePath.optional(),
  }),
  security: z.strictObject({
    allowed_paths: z.array(allowedPath).min(1, 'list at least one directory the Star may touch'),
  }),
  network: network.default({ peers: [] }),
  limits: z
    .strictObject({
      concurrent_transfers: z.number().int().min(1).max(256).default(DEFAULT_CONCURRENT_TRANSFERS),
      bandwidth: bandwidth.default('unlimited'),
      keep_partial_days: z.number().int().min(1).max(3650).default(DEFAULT_KEEP_PARTIAL_DAYS),
    })
    .default({}),
});

export const starConfigSchema = rawStarConfigSchema
  .superRefine((raw, ctx) => {
    const seen = new Map<string, number>();
    raw.security.allowed_paths.forEach(({ path }, index) => {
      const first = seen.get(path);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['security', 'allowed_paths', index, 'path'],
          message: `"${path}" is already listed as allowed_paths[${first}]`,
        });
      } else seen.set(path, index);
    });
    if (raw.star.advertise_address === undefined && isWildcardHost(raw.star.data_listen.host)) {
      ctx.addIssue({
        code: 'custom',
        path: ['star', 'advertise_address'],
        message: `is required when data_listen listens on every interface (${raw.star.data_listen.text})`,
      });
    }
  })
  .transform((raw) => ({
    hub: {
      address: raw.hub.address,
      caCert: raw.hub.ca_cert ?? posix.join(raw.star.state_dir, 'ca.crt'),
      serverName: raw.hub.server_name,
    },
    star: {
      name: raw.star.name,
      id: raw.star.id,
      stateDir: raw.star.state_dir,
      dataListen: raw.star.data_listen,
      advertiseAddress: raw.star.advertise_address ?? raw.star.data_listen,
      certFile: raw.star.cert_file ?? posix.join(raw.star.state_dir, 'star.crt'),
      keyFile: raw.star.key_file ?? posix.join(raw.star.state_dir, 'star.key'),
    },
    security: { allowedPaths: raw.security.allowed_paths },
    network: { peers: raw.network.peers },
    limits: {
      concurrentTransfers: raw.limits.concurrent_transfers,
      bandwidth: raw.limits.bandwidth,
      keepPartialDays: raw.limits.keep_partial_days,
    },
  }));

export type StarConfig = z.output<typeof starConfigSchema>;
/** The TOML shape (snake_case keys, string addresses), as written by writeStarConfig. */
export type StarConfigInput = z.input<typeof starConfigSchema>;

/** Keys allowed in each table, for did-you-mean hints on typos. */
export const STAR_CONFIG_KEYS: Readonly<Record<string, readonly string[]>> = {
  '': Object.keys(rawStarConfigSchema.shape),
  hub: Object.keys(rawStarConfigSchema.shape.hub.shape),
  star: Object.keys(rawStarConfigSchema.shape.star.shape),
  security: Object.keys(rawStarConfigSchema.shape.security.shape),
  'security.allowed_paths[]': Object.keys(allowedPath.shape),
  network: Object.keys(network.shape),
  limits: ['concurrent_transfers', 'bandwidth', 'keep_partial_days'],
};
