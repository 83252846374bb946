import { z } from 'zod';
import { ROLES } from '../auth/permissions.ts';

/** DTOs are plain JSON (timestamps as ISO strings) so tRPC, REST and the OpenAPI document agree. */
export const isoTime = z.iso.datetime();
export const roleSchema = z.enum(ROLES);
export const teamSlugInput = z.object({ teamSlug: z.string().min(1) });
export const idSchema = z.string().min(1).max(64);

export function iso(date: Date): string {
  return date.toISOString();
}

export function isoOrNull(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}

export const pageInput = z.object({
  cursor: z.string().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
