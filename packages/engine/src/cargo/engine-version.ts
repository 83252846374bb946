import enginePackage from '../../package.json' with { type: 'json' };

/** Recorded in flight plans so a reader knows which engine cut the chunks. */
export const ENGINE_VERSION: string = enginePackage.version;
