import type { Heartbeat__Output } from '@orbit/proto';
import { appendAudit } from '../audit/append-audit.ts';
import type { RequestMeta } from '../services/service-context.ts';
import type { GridServiceContext } from './enrol-star.ts';
import type { StarLifecycle } from './grid-hub.ts';
import { createKeyedQueue } from './keyed-queue.ts';

/** Presence changes take the team's audit lock: queue them per team here, not on pooled connections. */
const perTeam = createKeyedQueue();

export interface PresenceStar {
  readonly starId: string;
  readonly teamId: string;
  readonly name: string;
}

/**
 * A Star opened a session: status online, and a freshly enrolled Star becomes schedulable. The audit
 * row is written only when something changed, so a reconnect inside the offline window stays quiet.
 */
export async function markOnline(
  ctx: GridServiceContext,
  star: PresenceStar,
  hello: { version: string; capabilities: readonly string[] },
  meta: RequestMeta,
): Promise<StarLifecycle> {
  const lifecycle = await perTeam(star.teamId, () =>
    ctx.db.$transaction(async (tx) => {
      const before = await tx.star.findUniqueOrThrow({
        where: { id: star.starId },
        select: { status: true, lifecycle: true },
      });
      const lifecycle = before.lifecycle === 'registered' ? 'scheduled' : before.lifecycle;
      await tx.star.update({
        where: { id: star.starId },
        data: {
          status: 'online',
          lifecycle,
          version: hello.version || null,
          capabilities: [...hello.capabilities],
          lastHeartbeatAt: ctx.now(),
        },
        select: { id: true },
      });
      if (before.status !== 'online' || before.lifecycle !== lifecycle) {
        await appendAudit(tx, ctx.auditKey, {
          teamId: star.teamId,
          actor: { type: 'star', id: star.starId, label: star.name },
          meta,
          action: 'star.online',
          objectType: 'star',
          objectId: star.starId,
          before: { status: before.status, lifecycle: before.lifecycle },
          after: { status: 'online', lifecycle, version: hello.version },
        });
      }
      return lifecycle;
    }),
  );
  ctx.events?.publish(star.teamId, { type: 'star.changed', id: star.starId });
  return lifecycle;
}

/** Status offline with the reason, audited; a Star already offline (or removed) is left alone. */
export async function markOffline(
  ctx: GridServiceContext,
  star: PresenceStar,
  reason: string,
): Promise<void> {
  const changed = await perTeam(star.teamId, () =>
    ctx.db.$transaction(async (tx) => {
      const updated = await tx.star.updateMany({
        where: { id: star.starId, status: 'online' },
        data: { status: 'offline' },
      });
      if (updated.count === 0) return false;
      await appendAudit(tx, ctx.auditKey, {
        teamId: star.teamId,
        actor: { type: 'system', id: null, label: 'grid' },
        meta: { ip: null, userAgent: null },
        action: 'star.offline',
        objectType: 'star',
        objectId: star.starId,
        before: { status: 'online' },
        after: { status: 'offline', reason },
      });
      return true;
    }),
  );
  if (changed) ctx.events?.publish(star.teamId, { type: 'star.changed', id: star.starId });
}

/**
 * Stores the latest heartbeat and returns the lifecycle as the database has it now, so a drain or
 * removal done through the services reaches the live session. `undefined`: the Star was removed.
 */
export async function recordHeartbeat(
  ctx: GridServiceContext,
  starId: string,
  heartbeat: Heartbeat__Output,
): Promise<StarLifecycle | undefined> {
  const updated = await ctx.db.star.updateManyAndReturn({
    where: { id: starId },
    data: {
      lastHeartbeatAt: ctx.now(),
      ...(heartbeat.version ? { version: heartbeat.version } : {}),
      load: {
        cpuPercent: heartbeat.cpuPercent,
        cpuCores: heartbeat.cpuCores,
        memoryUsedBytes: heartbeat.memoryUsedBytes,
        memoryTotalBytes: heartbeat.memoryTotalBytes,
        activeTransfers: heartbeat.activeTransfers,
      },
      ...(heartbeat.roots.length > 0
        ? {
            allowedPaths: heartbeat.roots.map((root) => ({
              path: root.path,
              access: root.writable ? 'rw' : 'ro',
              freeBytes: root.freeBytes,
              totalBytes: root.totalBytes,
            })),
          }
        : {}),
    },
    select: { lifecycle: true },
  });
  return updated[0]?.lifecycle;
}

/** Rows left online by a previous Nucleus process whose Stars never came back. */
export async function sweepStaleOnline(
  ctx: GridServiceContext,
  cutoff: Date,
  connected: ReadonlySet<string>,
): Promise<void> {
  const stale = await ctx.db.star.findMany({
    where: { status: 'online', OR: [{ lastHeartbeatAt: null }, { lastHeartbeatAt: { lt: cutoff } }] },
    select: { id: true, teamId: true, name: true },
  });
  for (const star of stale) {
    if (connected.has(star.id)) continue;
    await markOffline(ctx, { starId: star.id, teamId: star.teamId, name: star.name }, 'no heartbeat');
  }
}
