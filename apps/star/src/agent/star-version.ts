import starPackage from '../../package.json' with { type: 'json' };

/** The Star's version as Hello and heartbeats report it. */
export const STAR_VERSION: string = starPackage.version;

/** Optional features this Star implements; the Nucleus shows them and may plan by them. */
export const STAR_CAPABILITIES: readonly string[] = [
  'blake3',
  'sha256',
  'fastcdc',
  'scan',
  'read-header',
  'data-plane-tls',
];
