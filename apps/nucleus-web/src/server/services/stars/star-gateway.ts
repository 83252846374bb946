/**
 * What the services need from connected Stars. The grid implements it; without a grid (or with
 * the Star offline) the services answer Unavailable, honestly, instead of inventing data.
 */
export interface DirectoryEntry {
  readonly name: string;
  readonly kind: 'file' | 'directory' | 'symlink' | 'other';
  readonly size: number;
  readonly modifiedAt: string | null;
}

export interface FilterMatch {
  readonly files: number;
  readonly bytes: number;
  readonly sample: readonly string[];
}

export interface StarGateway {
  isConnected(starId: string): boolean;
  browse(starId: string, path: string): Promise<DirectoryEntry[]>;
  countMatches(
    starId: string,
    path: string,
    include: readonly string[],
    exclude: readonly string[],
  ): Promise<FilterMatch>;
  /** The command an admin runs on the Star's machine to join with `token` (bound to `name`, if any). */
  joinCommand(token: string, name?: string | null): string;
}
