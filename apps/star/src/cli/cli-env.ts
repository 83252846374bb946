import process from 'node:process';

/**
 * The one place the CLI reads the environment. Manifests expand `${VAR}` from it and the audit key
 * comes from the variable the manifest (or `--audit-key-env`) names, so commands receive it whole.
 */
export function readCliEnv(): Readonly<Record<string, string | undefined>> {
  return Object.freeze({ ...process.env });
}
