import { randomBytes } from 'node:crypto';
import { appendAudit } from '../../audit/append-audit.ts';
import { hashPassword } from '../../auth/password.ts';
import type { Db } from '../../db/create-db.ts';

export type BootstrapResult =
  | {
      readonly created: true;
      readonly email: string;
      readonly teamSlug: string;
      readonly generatedPassword: string | null;
    }
  | { readonly created: false; readonly userCount: number };

const FIRST_TEAM = { slug: 'default', name: 'Default team' } as const;

/**
 * On a database without users, creates the first admin as owner of a first team. A missing
 * password is generated and returned once (only its hash is stored).
 */
export async function bootstrapAdmin({
  db,
  auditKey,
  email,
  password,
}: {
  db: Db;
  auditKey: string;
  email: string;
  password: string | undefined;
}): Promise<BootstrapResult> {
  const userCount = await db.user.count();
  if (userCount > 0) return { created: false, userCount };
  const generatedPassword = password ? null : randomBytes(18).toString('base64url');
  const passwordHash = await hashPassword(password ?? generatedPassword ?? '');
  return db.$transaction(async (tx) => {
    // Serialises two processes booting at once against the same database.
    await tx.$executeRaw`SELECT 1 FROM pg_advisory_xact_lock(hashtext('orbit:bootstrap-admin'))`;
    const again = await tx.user.count();
    if (again > 0) return { created: false as const, userCount: again };
    const user = await tx.user.create({
      data: { email: email.toLowerCase(), name: 'Administrator', passwordHash },
      select: { id: true, email: true },
    });
    const team = await tx.team.create({
      data: { ...FIRST_TEAM, memberships: { create: { userId: user.id, role: 'owner' } } },
      select: { id: true, slug: true },
    });
    await appendAudit(tx, auditKey, {
      teamId: team.id,
      actor: { type: 'system', id: null, label: 'bootstrap' },
      meta: { ip: null, userAgent: null },
      action: 'user.bootstrapAdmin',
      objectType: 'user',
      objectId: user.id,
      after: { email: user.email, role: 'owner', team: team.slug },
    });
    return { created: true as const, email: user.email, teamSlug: team.slug, generatedPassword };
  });
}
