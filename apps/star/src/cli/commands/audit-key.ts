import { usageError } from '../args/parse-args.ts';

/**
 * The HMAC key from the named variable; a missing key stops the command before anything happens.
 * `otherWays` says how this command can name another variable (its flag; the manifest's key for run).
 */
export function readAuditKey(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  otherWays: string,
): string {
  const key = env[name];
  if (key === undefined || key === '') {
    throw usageError(
      `the audit key variable ${name} is not set`,
      `export ${name}=<secret> (e.g. \`export ${name}=$(openssl rand -hex 32)\`, kept safe), or ${otherWays}`,
    );
  }
  return key;
}
