import { OrbitError } from '../errors.ts';

/**
 * Canonical JSON: object keys sorted by UTF-16 code unit, no whitespace, `undefined` members left
 * out (as `JSON.stringify` does). Two parties that hold the same value produce the same bytes, which
 * is what a MAC over a record needs. Non-finite numbers have no JSON form and are refused.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, '$');
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
