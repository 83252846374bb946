import { ROLES, type Role } from '../../../server/auth/permissions.ts';

/** Reads a role from a form field whose options are ROLES; anything else is a programming error. */
export function parseRole(value: FormDataEntryValue | string | null): Role {
  const role = ROLES.find((candidate) => candidate === value);
  if (!role) throw new Error(`"${String(value)}" is not a role; expected one of ${ROLES.join(', ')}`);
  return role;
}
