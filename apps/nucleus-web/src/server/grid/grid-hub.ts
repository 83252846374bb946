import { randomUUID } from 'node:crypto';
import type {
  Command,
  CommandResult__Output,
  DrainResult__Output,
  Heartbeat__Output,
  NucleusMessage,
  Progress__Output,
  ResultPart__Output,
  TicketRequest__Output,
} from '@orbit/proto';
import type { LeaseFence } from '../dispatch/lease-fence.ts';
import type { CommandRecords } from './command-records.ts';
import { GridCommandError } from './grid-command-error.ts';
import { createHeldResults } from './held-results.ts';
import { createPendingCommands, type PendingCommand } from './pending-commands.ts';

export type StarLifecycle = 'registered' | 'scheduled' | 'draining' | 'shutdown';

/** One live Session stream, as the hub sees it. */
export interface StarLink {
  readonly starId: string;
  readonly teamId: string;
  readonly name: string;
  readonly connectedAt: Date;
  lifecycle: StarLifecycle;
  version: string;
  lastSeenMs: number;
  lastHeartbeat: Heartbeat__Output | undefined;
  /** Commands this Star refused with PERMISSION_DENIED (path-jail refusals) on this connection. */
  deniedCommands: number;
  write(message: NucleusMessage): void;
  /** Ends the stream with an ABORTED status carrying `reason`. */
  close(reason: string): void;
  /** Tells the Star to dial the dispatching Nucleus at `controlAddress` instead, and ends the stream. */
  redirect(controlAddress: string, reason: string): void;
}

/** Exactly one command kind, without the id and deadline the hub assigns. */
export type CommandBody = Omit<Command, 'id' | 'deadlineUnixMs' | 'kind'>;

export interface SendCommandOptions {
  /** How long the Star has to answer, from now. */
  readonly deadlineMs: number;
  /** Receives each streamed part in order; when given, parts are not also kept for the outcome. */
  readonly onPart?: (part: ResultPart__Output) => void;
  readonly onProgress?: (progress: Progress__Output) => void;
  /** Read-only queries (scanDirectory, readHeader: browsing, previews) may run on a draining Star; work may not. */
  readonly query?: boolean;
  /** Told the id the command was sent under, e.g. to cancel it or to answer its ticket requests. */
  readonly onSent?: (commandId: string) => void;
  /**
   * A GridCommand row the caller wrote before sending, under its lease term: the command goes out
   * under the row's id. The hub closes the row when the command fails; a success is the caller's
   * to store (with the row closed in the same transaction) before it calls `acknowledge`.
   */
  readonly recorded?: { readonly id: string; readonly fence: LeaseFence };
}

/** A recorded command a previous Nucleus process sent, to be re-attached to instead of re-sent. */
export interface AdoptedCommand {
  readonly id: string;
  readonly teamId: string;
  readonly starId: string;
  readonly kind: string;
  readonly deadline: Date;
  /** The lease term that re-attaches: the row's outcome is written under it. */
  readonly fence: LeaseFence;
}

/** A fresh data-plane ticket and the pin of the destination Star's current certificate. */
export interface IssuedTicket {
  readonly ticket: string;
  readonly peerCertFingerprint: string;
}

/** Signs a fresh data-plane ticket for a running command, or refuses with a reason. */
export type TicketIssuer = (starId: string, commandId: string) => Promise<IssuedTicket>;

export interface CommandOutcome {
  readonly result: CommandResult__Output;
  /** The streamed parts in sequence order (empty when `onPart` consumed them). */
  readonly parts: readonly ResultPart__Output[];
  /**
   * Tells the Star the result is stored, so it may forget it. Already done for unrecorded
   * commands; a recorded command's caller calls it once its result is in the database.
   */
  acknowledge(): void;
}

export interface ConnectedStar {
  readonly starId: string;
  readonly teamId: string;
  readonly name: string;
  readonly lifecycle: StarLifecycle;
  readonly version: string;
  readonly connectedAt: Date;
  readonly lastSeenAt: Date;
  readonly lastHeartbeat: Heartbeat__Output | undefined;
  readonly deniedCommands: number;
}

/** What services and the dispatcher use to talk to connected Stars. */
export interface GridHub {
  sendCommand(starId: string, command: CommandBody, options: SendCommandOptions): Promise<CommandOutcome>;
  connectedStars(): ConnectedStar[];
  isConnected(starId: string): boolean;
  /** Stops new work going to the Star and asks it to finish what it runs; resolves when it has. */
  drain(starId: string, deadlineMs?: number): Promise<DrainResult__Output>;
  /** Ends the Star's session now (e.g. it was removed); it is refused again when it redials. */
  disconnect(starId: string, reason: string): void;
  /** Asks the Star to stop a command; its pending promise then ends with CANCELLED. No-op when offline. */
  cancelCommand(starId: string, commandId: string): void;
  /** Who answers the Stars' TicketRequests (the dispatcher); without one they are refused. */
  setTicketIssuer(issuer: TicketIssuer | undefined): void;
  /**
   * Fails every pending command (the server is stopping, or its dispatcher lost the lease); their
   * GridCommand rows stay open for the Nucleus that re-attaches to them.
   */
  failAll(message: string): void;
  /**
   * `failAll`, and every command sent or adopted from now on fails at once the same way: the server
   * is stopping, and a dispatcher step that sends after the first `failAll` must not wait for a
   * Star that will never answer this process.
   */
  shutDown(message: string): void;
  /**
   * Waits for the result of a command another Nucleus process sent (a restart): the Star reports
   * it when it reconnects, or already did. Fails with UNAVAILABLE when the Star is or comes back
   * without it (it restarted), and with DEADLINE_EXCEEDED at the command's deadline.
   */
  adopt(
    command: AdoptedCommand,
    options: Pick<SendCommandOptions, 'onProgress' | 'onPart'>,
  ): Promise<CommandOutcome>;
}

/** The Session handler's side of the hub. */
export interface GridHubInternals extends GridHub {
  attach(link: StarLink, resumeCommandIds: readonly string[]): void;
  detach(link: StarLink): void;
  linkOf(starId: string): StarLink | undefined;
  acceptPart(link: StarLink, part: ResultPart__Output): void;
  acceptResult(link: StarLink, result: CommandResult__Output): void;
  acceptProgress(link: StarLink, progress: Progress__Output): void;
  acceptTicketRequest(link: StarLink, request: TicketRequest__Output): void;
}

const UNGATED_KINDS = new Set(['drain', 'cancel']);

/**
 * `records` connects the hub to GridCommand rows; without it (tests of the hub alone) nothing is
 * recorded and a result for an unknown command is acknowledged and dropped at once.
 */
export function createGridHub(
  now: () => Date = () => new Date(),
  records?: CommandRecords,
): GridHubInternals {
  const links = new Map<string, StarLink>();
  /** Per Star, the command ids its current session's Hello said it still runs or holds results for. */
  const resumed = new Map<string, Set<string>>();
  const writeTo = (starId: string, message: NucleusMessage) => links.get(starId)?.write(message);
  const pending = createPendingCommands(writeTo, records);
  const held = createHeldResults(records, writeTo);
  let ticketIssuer: TicketIssuer | undefined;
  let shutDown: string | undefined;

  function sendCommand(
    starId: string,
    body: CommandBody,
    options: SendCommandOptions,
  ): Promise<CommandOutcome> {
    if (shutDown) return Promise.reject(new GridCommandError('ERROR_CODE_UNAVAILABLE', shutDown));
    const link = links.get(starId);
    if (!link) {
      return Promise.reject(
        new GridCommandError('ERROR_CODE_UNAVAILABLE', `Star ${starId} is not connected to the Nucleus`, {
          hint: 'start `orbit-star serve` on the Star machine and check that it can reach the control port',
        }),
      );
    }
    const kind = Object.keys(body).find((key) => body[key as keyof CommandBody] != null) ?? '';
    const gated = !UNGATED_KINDS.has(kind);
    const allowed =
      link.lifecycle === 'scheduled' || (options.query === true && link.lifecycle === 'draining');
    if (gated && !allowed) {
      return Promise.reject(
        new GridCommandError(
          'ERROR_CODE_FAILED_PRECONDITION',
          `Star "${link.name}" is ${link.lifecycle} and takes no new work`,
        ),
      );
    }
    const id = options.recorded?.id ?? randomUUID();
    const deadline = now().getTime() + options.deadlineMs;
    return new Promise<CommandOutcome>((resolve, reject) => {
      pending.add(
        {
          id,
          starId,
          teamId: link.teamId,
          options,
          parts: [],
          nextSequence: 0,
          resolve,
          reject,
          record: options.recorded && { fence: options.recorded.fence },
        },
        options.deadlineMs,
        `Star "${link.name}" did not answer ${kind} within ${options.deadlineMs} ms`,
      );
      options.onSent?.(id);
      link.write({ command: { ...body, id, deadlineUnixMs: deadline } });
    });
  }

  const hub: GridHubInternals = {
    sendCommand,
    connectedStars: () =>
      [...links.values()].map((link) => ({
        starId: link.starId,
        teamId: link.teamId,
        name: link.name,
        lifecycle: link.lifecycle,
        version: link.version,
        connectedAt: link.connectedAt,
        lastSeenAt: new Date(link.lastSeenMs),
        lastHeartbeat: link.lastHeartbeat,
        deniedCommands: link.deniedCommands,
      })),
    isConnected: (starId) => links.has(starId),
    async drain(starId, deadlineMs = 10 * 60_000) {
      const link = links.get(starId);
      if (link && link.lifecycle === 'scheduled') link.lifecycle = 'draining';
      const { result } = await sendCommand(starId, { drain: {} }, { deadlineMs });
      return result.drain ?? { finishedCommands: 0 };
    },
    disconnect(starId, reason) {
      links.get(starId)?.close(reason);
    },
    cancelCommand(starId, commandId) {
      writeTo(starId, { command: { id: randomUUID(), cancel: { commandId } } });
    },
    setTicketIssuer(issuer) {
      ticketIssuer = issuer;
    },
    attach(link, resumeCommandIds) {
      links.set(link.starId, link);
      const known = new Set(resumeCommandIds);
      resumed.set(link.starId, known);
      // The new session replays everything unacknowledged: output held from the last one goes.
      held.dropStar(link.starId);
      for (const command of pending.forStar(link.starId)) {
        if (known.has(command.id)) continue;
        // Sent before the drop and unknown to the Star now: it restarted and lost the command.
        pending.fail(command, lostError(link, command.id), 'abandoned');
      }
    },
    detach(link) {
      if (links.get(link.starId) !== link) return;
      links.delete(link.starId);
      resumed.delete(link.starId);
      held.dropStar(link.starId);
    },
    linkOf: (starId) => links.get(starId),
    acceptPart(link, part) {
      const command = pending.of(link.starId, part.commandId);
      if (!command) {
        held.hold(link.starId, part.commandId)?.parts.push(part);
        return;
      }
      // Parts below the next sequence are replays after a reconnect: already taken.
      if (part.sequence < command.nextSequence) return;
      if (part.sequence > command.nextSequence) {
        pending.fail(
          command,
          new GridCommandError(
            'ERROR_CODE_DATA_LOSS',
            `Star "${link.name}" skipped result parts ${command.nextSequence}–${part.sequence - 1} of ${command.id}`,
          ),
        );
        return;
      }
      command.nextSequence += 1;
      if (command.options.onPart) command.options.onPart(part);
      else command.parts.push(part);
      link.write({ ack: { commandId: command.id, sequence: part.sequence, resultStored: false } });
    },
    acceptResult(link, result) {
      const command = pending.of(link.starId, result.commandId);
      if (!command) {
        const output = held.hold(link.starId, result.commandId);
        if (output) output.result = result;
        // Not waited for by anyone, here or in the database: acknowledge so the Star can drop it.
        else link.write({ ack: { commandId: result.commandId, sequence: 0, resultStored: true } });
        return;
      }
      if (result.outcome === 'error' && result.error) {
        link.write({ ack: { commandId: result.commandId, sequence: 0, resultStored: true } });
        if (result.error.code === 'ERROR_CODE_PERMISSION_DENIED') link.deniedCommands += 1;
        pending.fail(command, GridCommandError.fromStar(result.error), 'failed');
        return;
      }
      pending.succeed(command, result);
    },
    acceptProgress(link, progress) {
      pending.of(link.starId, progress.commandId)?.options.onProgress?.(progress);
    },
    acceptTicketRequest(link, request) {
      const { commandId } = request;
      const issued = ticketIssuer
        ? ticketIssuer(link.starId, commandId)
        : Promise.reject(new TicketNotYet('this Nucleus runs no dispatcher'));
      issued.then(
        (issuedTicket) =>
          link.write({ ticketGrant: { commandId, ...issuedTicket, error: '', retry: false } }),
        (error: unknown) =>
          link.write({
            ticketGrant: {
              commandId,
              ticket: '',
              error: (error as Error).message,
              retry: error instanceof TicketNotYet,
            },
          }),
      );
    },
    failAll(message) {
      for (const command of pending.all()) {
        pending.fail(command, new GridCommandError('ERROR_CODE_UNAVAILABLE', message));
      }
    },
    shutDown(message) {
      shutDown = message;
      hub.failAll(message);
    },
    adopt(adopted, options) {
      if (shutDown) return Promise.reject(new GridCommandError('ERROR_CODE_UNAVAILABLE', shutDown));
      return new Promise<CommandOutcome>((resolve, reject) => {
        const command: PendingCommand = {
          id: adopted.id,
          starId: adopted.starId,
          teamId: adopted.teamId,
          options: { deadlineMs: adopted.deadline.getTime() - now().getTime(), ...options },
          parts: [],
          nextSequence: 0,
          resolve,
          reject,
          record: { fence: adopted.fence },
        };
        pending.add(
          command,
          adopted.deadline.getTime() - now().getTime(),
          `${adopted.kind} ${adopted.id} passed its deadline (${adopted.deadline.toISOString()}) before the Star reported it`,
        );
        const link = links.get(adopted.starId);
        const output = held.take(adopted.id);
        if (link && output) {
          for (const part of output.parts) hub.acceptPart(link, part);
          if (output.result) hub.acceptResult(link, output.result);
        } else if (link && !resumed.get(adopted.starId)?.has(adopted.id)) {
          pending.fail(command, lostError(link, adopted.id), 'abandoned');
        }
      });
    },
  };
  return hub;
}

/**
 * A ticket this Nucleus cannot issue yet but may soon (it stands by, or is still re-attaching to
 * the Star's push after a restart): the Star asks again instead of failing its push.
 */
export class TicketNotYet extends Error {
  override readonly name = 'TicketNotYet';
}

function lostError(link: StarLink, commandId: string): GridCommandError {
  return new GridCommandError(
    'ERROR_CODE_UNAVAILABLE',
    `Star "${link.name}" reconnected without command ${commandId}: it restarted and lost it; retry`,
  );
}
