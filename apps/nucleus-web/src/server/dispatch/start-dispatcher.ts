import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DEFAULT_TICKET_TTL_MS } from '@orbit/engine/identity/data-plane-ticket';
import type { Db } from '../db/create-db.ts';
import type { EventBus } from '../events/event-bus.ts';
import { GridCommandError } from '../grid/grid-command-error.ts';
import { type GridHub, TicketNotYet } from '../grid/grid-hub.ts';
import { createServerTasks } from '../grid/server-tasks.ts';
import { isTerminal } from '../runs/run-state-machine.ts';
import type { DispatchDeps } from './dispatch-deps.ts';
import { type ActivePush, attemptRun, type RunAttemptContext } from './dispatch-run.ts';
import { type LeaseTerm, startDispatcherLease } from './dispatcher-lease.ts';
import type { LeaseClock } from './lease-clock.ts';
import { FencedOutError, fencedWrite, runSubject } from './lease-fence.ts';
import { pruneFinishedCommands } from './prune-commands.ts';
import { openPushes } from './push-records.ts';
import { grantTicket } from './push-ticket.ts';
import { type AdoptedPush, adoptOpenPushes, resumePush } from './resume-push.ts';
import { starProblem, waitingReason } from './run-readiness.ts';
import { auditRefusal, transitionRun } from './run-transitions.ts';

export interface StartDispatcherOptions {
  readonly prisma: Db;
  readonly hub: GridHub;
  readonly events?: EventBus;
  readonly auditKey: string;
  /** The grid CA's private key, to sign data-plane tickets. */
  readonly caKey: CryptoKey;
  /** How often queued runs and cancellations are looked at. Defaults to 1 s. */
  readonly pollMs?: number;
  /** How long a run waits for a Star that dropped mid-transfer before it fails. Defaults to 30 min. */
  readonly starWaitMs?: number;
  /** How long the dispatcher lease lasts without renewal: a standby takes over this long after a crash. Defaults to 15 s. */
  readonly leaseTtlMs?: number;
  /** This process' name in the lease and on the commands it sends; defaults to host:pid:random. */
  readonly holder?: string;
  /** This process' grid control address (host:port), kept in the lease row for standbys to redirect Stars to. */
  readonly gridAddress?: string;
  /** The lease's clock; tests pass one they pause to play a stalled process. */
  readonly leaseClock?: LeaseClock;
  /** How long a data-plane ticket is valid. Defaults to 10 min. */
  readonly ticketTtlMs?: number;
  /** Finished GridCommand rows older than this are deleted. Defaults to 7 days. */
  readonly commandRetentionMs?: number;
  /** How often the leader prunes finished GridCommand rows. Defaults to 1 h. */
  readonly pruneEveryMs?: number;
  readonly log?: (message: string) => void;
}

export interface Dispatcher {
  /** Looks at the queue now instead of at the next poll (e.g. right after a run was queued). */
  wake(): void;
  /** Whether this process holds the dispatcher lease now (only the holder takes runs). */
  isLeading(): boolean;
  /** A write under `epoch` was refused (e.g. by the hub closing a command): stand down. */
  fencedOut(epoch: number, reason: string): void;
  readonly holder: string;
  /** Stops taking runs; transfers in flight are left to the Stars and picked up on the next start. */
  stop(): Promise<void>;
}

/** Attempts after a Star dropped or restarted; each resumes from the receiver's journal. */
const MAX_ATTEMPTS = 20;
/** Codes that mean "a Star or link went away", not "this run cannot work". */
const RETRYABLE = new Set(['ERROR_CODE_UNAVAILABLE', 'ERROR_CODE_CANCELLED', 'ERROR_CODE_ABORTED']);

const runSelect = {
  id: true,
  teamId: true,
  state: true,
  error: true,
  checkpoints: true,
  job: {
    select: {
      id: true,
      name: true,
      sourceStarId: true,
      destinationStarId: true,
      sourcePath: true,
      destinationPath: true,
      mode: true,
      include: true,
      exclude: true,
      compression: true,
      checksum: true,
      options: true,
    },
  },
} as const;

/**
 * The in-process loop that runs queued runs between Stars, one worker per run (runJob already
 * allows one active run per job), while this process holds the dispatcher lease. On taking the
 * lease it re-attaches to the pushes a previous holder left open (their Stars report them when
 * they reconnect); other runs found in planning or running are re-dispatched, and the data plane
 * resumes what was sent.
 */
export function startDispatcher(options: StartDispatcherOptions): Dispatcher {
  const shared: Omit<DispatchDeps, 'fence'> = {
    prisma: options.prisma,
    hub: options.hub,
    ...(options.events ? { events: options.events } : {}),
    auditKey: options.auditKey,
    caKey: options.caKey,
    ticketTtlMs: options.ticketTtlMs ?? DEFAULT_TICKET_TTL_MS,
    log: options.log ?? ((message) => console.error(`[orbit dispatch] ${message}`)),
  };
  const pollMs = options.pollMs ?? 1000;
  const starWaitMs = options.starWaitMs ?? 30 * 60_000;
  const retentionMs = options.commandRetentionMs ?? 7 * 24 * 60 * 60_000;
  const pruneEveryMs = options.pruneEveryMs ?? 60 * 60_000;
  const holder = options.holder ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  /** Whether the current term has re-attached to the open pushes yet (before that, tickets wait). */
  let attached = false;
  const pushes = new Map<string, ActivePush>();
  const workers = new Map<string, Promise<void>>();
  const stopping = new AbortController();
  /** The current term as lease holder: aborted when the Nucleus stops or loses the lease. */
  let context: RunAttemptContext | undefined;
  let adopted = new Map<string, AdoptedPush>();

  // The hub awaits no grant: stop() waits for the ones whose run lookup is in flight.
  const grants = createServerTasks();
  options.hub.setTicketIssuer(async (starId, commandId) => {
    const push = pushes.get(commandId);
    if (!push && (!context || context.stopping.aborted || !attached))
      throw new TicketNotYet('this Nucleus does not dispatch (yet): it stands by or is re-attaching');
    if (!push || push.sourceStarId !== starId)
      throw new Error(`command ${commandId} is not a transfer this Star is running`);
    return grants.run(`a ticket for command ${commandId}`, async () => {
      const run = await shared.prisma.run.findUnique({ where: { id: push.run.id }, select: { state: true } });
      if (run?.state !== 'running') throw new Error(`run ${push.run.id} is ${run?.state ?? 'deleted'}`);
      return grantTicket(shared, push);
    });
  });

  async function loadRun(runId: string) {
    return shared.prisma.run.findUnique({ where: { id: runId }, select: runSelect });
  }

  async function work(term: RunAttemptContext, runId: string): Promise<void> {
    const { deps } = term;
    let attempts = 0;
    for (;;) {
      const run = await loadRun(runId);
      if (!run || isTerminal(run.state) || term.stopping.aborted) return;
      try {
        const push = adopted.get(runId);
        adopted.delete(runId);
        if (push && (await resumePush(term, run, push))) return;
        await attemptRun(term, run);
        return;
      } catch (error) {
        if (term.stopping.aborted) return;
        const now = await loadRun(runId);
        if (!now || isTerminal(now.state)) return;
        const retry = error instanceof GridCommandError && RETRYABLE.has(error.code);
        attempts += 1;
        if (error instanceof FencedOutError) return;
        if (retry && attempts < MAX_ATTEMPTS) {
          deps.log(`run ${runId}: attempt ${attempts} failed (${describe(error)}); retrying`);
          if (await waitForStars(term, now)) continue;
        }
        const message = describe(error);
        if (error instanceof GridCommandError && error.code === 'ERROR_CODE_PERMISSION_DENIED')
          await auditRefusal(deps, now, 'run.path_denied', { reason: message, path: error.path ?? null });
        await transitionRun(deps, now, now.state, 'fail', { error: message }, { reason: message });
        return;
      }
    }
  }

  /** Waits, with the reason on the run, until both Stars take work again; false when it gave up. */
  async function waitForStars(
    term: RunAttemptContext,
    run: NonNullable<Awaited<ReturnType<typeof loadRun>>>,
  ): Promise<boolean> {
    const until = Date.now() + starWaitMs;
    let shown: string | null = run.error;
    while (Date.now() < until && !term.stopping.aborted) {
      const reason = (await starProblem(term.deps, run.job)) ?? null;
      if (reason !== shown) {
        await showReason(term.deps, run, reason);
        shown = reason;
      }
      if (reason === null) return true;
      await delay(pollMs, term.stopping);
    }
    return false;
  }

  async function tick(term: RunAttemptContext): Promise<void> {
    const { deps } = term;
    const runs = await deps.prisma.run.findMany({
      where: { state: { in: ['queued', 'planning', 'running'] } },
      orderBy: { queuedAt: 'asc' },
      select: runSelect,
    });
    for (const run of runs) {
      if (term.stopping.aborted) return;
      const reason =
        run.state === 'queued' ? await waitingReason(deps, run.job) : await starProblem(deps, run.job);
      // A run in flight whose Star dropped keeps its worker (the command re-attaches when the Star
      // returns) but shows why it stalls; the reason goes once the Star is back.
      const stale = reason === undefined && workers.has(run.id) && run.error?.startsWith('waiting');
      const shown = reason ?? (stale ? null : run.error);
      if (shown !== run.error) await showReason(deps, run, shown);
      if (reason !== undefined || workers.has(run.id)) continue;
      const worker = work(term, run.id)
        .catch((error: unknown) => deps.log(`run ${run.id}: ${describe(error)}`))
        .finally(() => {
          workers.delete(run.id);
          wake();
        });
      workers.set(run.id, worker);
    }
    await cancelStopped(deps);
    await pruneNow(term);
  }

  let prunedAt = 0;
  /** Finished command rows past retention go, a batch at a time, at most every `pruneEveryMs`. */
  async function pruneNow(term: RunAttemptContext): Promise<void> {
    if (Date.now() - prunedAt < pruneEveryMs) return;
    prunedAt = Date.now();
    const pruned = await pruneFinishedCommands(term.deps, { olderThanMs: retentionMs });
    if (pruned > 0) term.deps.log(`pruned ${pruned} finished grid commands older than ${retentionMs} ms`);
  }

  /** Runs a user cancelled (cancelRun only changes the row): tell the source Star to stop the push. */
  async function cancelStopped(deps: DispatchDeps): Promise<void> {
    if (pushes.size === 0) return;
    const runIds = [...new Set([...pushes.values()].map((push) => push.run.id))];
    const cancelled = await deps.prisma.run.findMany({
      where: { id: { in: runIds }, state: 'cancelled' },
      select: { id: true },
    });
    const ids = new Set(cancelled.map((run) => run.id));
    for (const [commandId, push] of pushes) {
      if (ids.has(push.run.id)) deps.hub.cancelCommand(push.sourceStarId, commandId);
    }
  }

  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> = Promise.resolve();
  let again = false;
  function wake(): void {
    const term = context;
    if (!term || term.stopping.aborted) return;
    again = true;
    clearTimeout(timer);
    ticking = ticking.then(async () => {
      if (!again || term.stopping.aborted) return;
      again = false;
      await tick(term).catch((error: unknown) => shared.log(`dispatch pass failed: ${describe(error)}`));
      if (!term.stopping.aborted) timer = setTimeout(wake, pollMs);
    });
  }

  /** A term as lease holder: re-attach to open pushes first, so no worker re-sends one of them. */
  function lead({ epoch, lost }: LeaseTerm): void {
    // Taken while stop() waits for the last term's work: a term begun now would outlive the stop.
    if (stopping.signal.aborted) return;
    const deps: DispatchDeps = {
      ...shared,
      fence: {
        epoch,
        holder,
        refused: (reason) => {
          shared.log(`fencing: ${reason}; this Nucleus stops dispatching`);
          lease.fencedOut(epoch, reason);
        },
      },
    };
    const term: RunAttemptContext = {
      deps,
      pushes,
      holder,
      stopping: AbortSignal.any([stopping.signal, lost]),
    };
    context = term;
    attached = false;
    ticking = ticking.then(async () => {
      try {
        adopted = await adoptOpenPushes(term, await openPushes(deps));
      } catch (error) {
        deps.log(`open pushes not re-attached: ${describe(error)}`);
      }
      attached = true;
    });
    wake();
    lost.addEventListener(
      'abort',
      () => {
        if (stopping.signal.aborted) return;
        clearTimeout(timer);
        // Workers wait on Star commands: let them go; the commands stay open for the next holder.
        options.hub.failAll('this Nucleus lost the dispatcher lease');
        adopted = new Map();
      },
      { once: true },
    );
  }

  const lease = startDispatcherLease({
    prisma: options.prisma,
    auditKey: options.auditKey,
    holder,
    ...(options.gridAddress ? { gridAddress: options.gridAddress } : {}),
    ...(options.leaseTtlMs ? { ttlMs: options.leaseTtlMs } : {}),
    ...(options.leaseClock ? { clock: options.leaseClock } : {}),
    onLead: lead,
    log: shared.log,
  });

  return {
    wake,
    holder,
    isLeading: () => lease.isHeld(),
    fencedOut: (epoch, reason) => lease.fencedOut(epoch, reason),
    async stop() {
      stopping.abort();
      clearTimeout(timer);
      options.hub.setTicketIssuer(undefined);
      await grants.close();
      await ticking;
      await Promise.allSettled([...workers.values()]);
      await lease.release();
    },
  };
}

/** The reason a run waits, on the run while it is not finished; fenced like every dispatcher write. */
async function showReason(
  deps: DispatchDeps,
  run: { readonly id: string; readonly teamId: string; readonly state: string },
  reason: string | null,
): Promise<void> {
  await fencedWrite(deps, 'run.reason', runSubject(run), (tx) =>
    tx.run.updateMany({
      where: { id: run.id, state: run.state as 'queued' | 'planning' | 'running' },
      data: { error: reason },
    }),
  );
  deps.events?.publish(run.teamId, { type: 'run.changed', id: run.id });
}

function describe(error: unknown): string {
  if (error instanceof GridCommandError) {
    const where = error.path ? ` (${error.path})` : '';
    const hint = error.hint ? `; ${error.hint}` : '';
    return `${error.message}${where}${hint}`;
  }
  if (!(error instanceof Error)) return String(error);
  if (error.message) return error.message;
  // Some driver errors (e.g. a pool closed under a query) carry no message: say what they are.
  const code = (error as { code?: unknown }).code;
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return [error.name, typeof code === 'string' ? code : undefined, cause].filter(Boolean).join(' ');
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
