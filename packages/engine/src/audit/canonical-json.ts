import { OrbitError } from '../errors.ts';

/**
 * Canonical JSON: object keys sorted by UTF-16 code unit, no whitespace, `undefined` members left
 * out (as `JSON.stringify` does). Two parties that hold the same value produce the same bytes, which
 * is what a MAC over a record needs. Non-finite numbers have no JSON form and are refused.
 */
export function canonicalJson(value: unknown): string {
  const encoded = encode(value);
  if (encoded !== undefined) return encoded;
  throw (
    refusalIn(value, '$') ?? new OrbitError('INVALID_ARGUMENT', 'cannot encode the value as canonical JSON')
  );
}

/**
 * The encoding, or undefined when the value holds something canonical JSON refuses. It tracks no
 * key path: audit lines are signed at two per file copied, and building a path string per member
 * was a third of the encoding's time. `refusalIn` finds where, only when it is needed.
 */
function encode(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : undefined;
    case 'object': {
      let out: string;
      if (Array.isArray(value)) {
        out = '[';
        for (let index = 0; index < value.length; index++) {
          const item: unknown = value[index];
          const encoded = item === undefined ? 'null' : encode(item);
          if (encoded === undefined) return undefined;
          out += index === 0 ? encoded : `,${encoded}`;
        }
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      out = '{';
      let first = true;
      for (const key of Object.keys(record).sort()) {
        const member = record[key];
        if (member === undefined) continue;
        const encoded = encode(member);
        if (encoded === undefined) return undefined;
        out += `${first ? '' : ','}${JSON.stringify(key)}:${encoded}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      return undefined;
  }
}

/** The error for the first value `encode` refuses inside `value` (in its order), naming where. */
function refusalIn(value: unknown, where: string): OrbitError | undefined {
  if (value === null) return undefined;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value)
        ? undefined
        : new OrbitError('INVALID_ARGUMENT', `cannot encode ${value} as canonical JSON`, {
            keyPath: where,
            hint: 'record only finite numbers in audit events',
          });
    case 'object': {
      if (Array.isArray(value)) {
        for (let index = 0; index < value.length; index++) {
          const item: unknown = value[index];
          const refused = item === undefined ? undefined : refusalIn(item, `${where}[${index}]`);
          if (refused) return refused;
        }
        return undefined;
      }
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record).sort()) {
        const member = record[key];
        const refused = member === undefined ? undefined : refusalIn(member, `${where}.${key}`);
        if (refused) return refused;
      }
      return undefined;
    }
    default:
      return new OrbitError('INVALID_ARGUMENT', `cannot encode a ${typeof value} as canonical JSON`, {
        keyPath: where,
        hint: 'audit events hold only strings, numbers, booleans, null, arrays and plain objects',
      });
  }
}
