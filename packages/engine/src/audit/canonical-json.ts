import { OrbitError } from '../errors.ts';

/**
 * Canonical JSON: object keys sorted by UTF-16 code unit, no whitespace, `undefined` members left
 * out (as `JSON.stringify` does). Two parties that hold the same value produce the same bytes, which
 * is what a MAC over a record needs. Non-finite numbers have no JSON form and are refused.
 */
export function canonicalJson(value: unknown): string {
  const fast = encodeFast(value);
  // Only a value with no JSON form fails the fast pass; the checked one names where it is.
  return fast ?? encode(value, '$');
}

/**
 * The same encoding without tracking the key path (audit lines are signed at two per file copied,
 * and building a path string per member was a third of the encoding's time); undefined when the
 * value holds something canonical JSON refuses.
 */
function encodeFast(value: unknown): string | undefined {
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
          const encoded = item === undefined ? 'null' : encodeFast(item);
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
        const encoded = encodeFast(member);
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

function encode(value: unknown, where: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) {
        throw new OrbitError('INVALID_ARGUMENT', `cannot encode ${value} as canonical JSON`, {
          keyPath: where,
          hint: 'record only finite numbers in audit events',
        });
      }
      return JSON.stringify(value);
    case 'object':
      if (Array.isArray(value)) {
        return `[${value.map((item, index) => (item === undefined ? 'null' : encode(item, `${where}[${index}]`))).join(',')}]`;
      }
      return encodeObject(value as Record<string, unknown>, where);
    default:
      throw new OrbitError('INVALID_ARGUMENT', `cannot encode a ${typeof value} as canonical JSON`, {
        keyPath: where,
        hint: 'audit events hold only strings, numbers, booleans, null, arrays and plain objects',
      });
  }
}

function encodeObject(value: Record<string, unknown>, where: string): string {
  const members: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const member = value[key];
    if (member === undefined) continue;
    members.push(`${JSON.stringify(key)}:${encode(member, `${where}.${key}`)}`);
  }
  return `{${members.join(',')}}`;
}
