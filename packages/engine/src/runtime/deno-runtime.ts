/** The part of Deno's file API the engine uses where node:fs under Deno falls short. */
export interface DenoFile {
  seek(offset: number, whence: number): Promise<number>;
  write(data: Uint8Array): Promise<number>;
  close(): void;
}

export interface DenoRuntime {
  open(path: string, options: { write: boolean }): Promise<DenoFile>;
}

export const DENO_SEEK_START = 0;

function isDenoRuntime(candidate: unknown): candidate is DenoRuntime {
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    'open' in candidate &&
    typeof candidate.open === 'function'
  );
}

/** Deno's global when the engine runs under Deno, else undefined (Node). */
export function denoRuntime(): DenoRuntime | undefined {
  const candidate: unknown = Reflect.get(globalThis, 'Deno');
  return isDenoRuntime(candidate) ? candidate : undefined;
}
