import { writePrivateFile } from '@orbit/engine/files/private-file';
import { stringify } from 'smol-toml';
import { parseStarConfig } from './load-star-config.ts';
import type { StarConfig } from './star-config-schema.ts';

const HEADER = [
  '# Orbit Star configuration. Rewritten by the Star (e.g. on join); comments are not kept.',
  '# Every key is explained in apps/star/star.example.toml.',
  '',
].join('\n');

/** The TOML text for a config, in star.toml's snake_case shape. */
export function formatStarConfig(config: StarConfig): string {
  const star: Record<string, string> = {
    name: config.star.name,
    ...(config.star.id === undefined ? {} : { id: config.star.id }),
    state_dir: config.star.stateDir,
    data_listen: config.star.dataListen.text,
    // Written only when it differs: the loader defaults it to data_listen, and data_listen may use
    // port 0 (any free port), which is no address to advertise.
    ...(config.star.advertiseAddress.text === config.star.dataListen.text
      ? {}
      : { advertise_address: config.star.advertiseAddress.text }),
    cert_file: config.star.certFile,
    key_file: config.star.keyFile,
  };
  const document = {
    hub: { address: config.hub.address.text, ca_cert: config.hub.caCert, server_name: config.hub.serverName },
    star,
    security: { allowed_paths: config.security.allowedPaths.map(({ path, access }) => ({ path, access })) },
    network: {
      peers: config.network.peers === 'any' ? 'any' : config.network.peers.map((peer) => peer.text),
    },
    limits: {
      concurrent_transfers: config.limits.concurrentTransfers,
      bandwidth: config.limits.bandwidth.text,
    },
  };
  return `${HEADER}${stringify(document)}\n`;
}

/**
 * Writes star.toml atomically with mode 0600: a temporary file in the same folder, synced, then
 * renamed over the old one, so a crash leaves either the old file or the new one, never half.
 */
export async function writeStarConfig(file: string, config: StarConfig): Promise<void> {
  const text = formatStarConfig(config);
  // Refuse to write what the loader would refuse to read.
  parseStarConfig(text, { file });
  await writePrivateFile(file, text, {
    label: 'star.toml',
    hint: 'check that the folder exists and the Star may write it',
  });
}
