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
import { GridCommandError } from './grid-command-error.ts';

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
}

/** Signs a fresh data-plane ticket for a running command, or refuses with a reason. */
export type TicketIssuer = (starId: string, commandId: string) => Promise<string>;

export interface CommandOutcome {
  readonly result: CommandResult__Output;
  /** The streamed parts in sequence order (empty when `onPart` consumed them). */
  readonly parts: readonly ResultPart__Output[];
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
  /** Fails every pending command (the server is stopping). */
  failAll(message: string): void;
}

interface PendingCommand {
  readonly id: string;
  readonly starId: string;
  readonly options: SendCommandOptions;
  readonly parts: ResultPart__Output[];
  nextSequence: number;
  readonly timer: NodeJS.Timeout;
  resolve(outcome: CommandOutcome): void;
  reject(error: GridCommandError): void;
}

const UNGATED_KINDS = new Set(['drain', 'cancel']);

export function createGridHub(now: () => Date = () => new Date()): GridHubInternals {
  const links = new Map<string, StarLink>();
  const pending = new Map<string, PendingCommand>();
  let ticketIssuer: TicketIssuer | undefined;

  function settle(command: PendingCommand): void {
    clearTimeout(command.timer);
    pending.delete(command.id);
  }

  function fail(command: PendingCommand, error: GridCommandError): void {
    settle(command);
    command.reject(error);
  }

  function sendCommand(
    starId: string,
    body: CommandBody,
    options: SendCommandOptions,
  ): Promise<CommandOutcome> {
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
    const id = randomUUID();
    const deadline = now().getTime() + options.deadlineMs;
    return new Promise<CommandOutcome>((resolve, reject) => {
      const command: PendingCommand = {
        id,
        starId,
        options,
        parts: [],
        nextSequence: 0,
        resolve,
        reject,
        timer: setTimeout(() => {
          fail(
            command,
            new GridCommandError(
              'ERROR_CODE_DEADLINE_EXCEEDED',
              `Star "${link.name}" did not answer ${kind} within ${options.deadlineMs} ms`,
            ),
          );
          links.get(starId)?.write({ command: { id: randomUUID(), cancel: { commandId: id } } });
        }, options.deadlineMs),
      };
      pending.set(id, command);
      options.onSent?.(id);
      link.write({ command: { ...body, id, deadlineUnixMs: deadline } });
    });
  }

  function pendingFor(link: StarLink, commandId: string): PendingCommand | undefined {
    const command = pending.get(commandId);
    return command?.starId === link.starId ? command : undefined;
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
      links.get(starId)?.write({ command: { id: randomUUID(), cancel: { commandId } } });
    },
    setTicketIssuer(issuer) {
      ticketIssuer = issuer;
    },
    attach(link, resumeCommandIds) {
      links.set(link.starId, link);
      const resumed = new Set(resumeCommandIds);
      for (const command of [...pending.values()]) {
        if (command.starId !== link.starId || resumed.has(command.id)) continue;
        // Sent before the drop and unknown to the Star now: it restarted and lost the command.
        fail(
          command,
          new GridCommandError(
            'ERROR_CODE_UNAVAILABLE',
            `Star "${link.name}" reconnected without command ${command.id}: it restarted and lost it; retry`,
          ),
        );
      }
    },
    detach(link) {
      if (links.get(link.starId) === link) links.delete(link.starId);
    },
    linkOf: (starId) => links.get(starId),
    acceptPart(link, part) {
      const command = pendingFor(link, part.commandId);
      // Parts below the next sequence are replays after a reconnect: already taken.
      if (!command || part.sequence < command.nextSequence) return;
      if (part.sequence > command.nextSequence) {
        fail(
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
      const command = pendingFor(link, result.commandId);
      // Acknowledge even unknown results so the Star can drop them (e.g. after a Nucleus restart).
      link.write({ ack: { commandId: result.commandId, sequence: 0, resultStored: true } });
      if (result.outcome === 'error' && result.error?.code === 'ERROR_CODE_PERMISSION_DENIED') {
        link.deniedCommands += 1;
      }
      if (!command) return;
      if (result.outcome === 'error' && result.error) {
        fail(command, GridCommandError.fromStar(result.error));
        return;
      }
      settle(command);
      command.resolve({ result, parts: command.parts });
    },
    acceptProgress(link, progress) {
      pendingFor(link, progress.commandId)?.options.onProgress?.(progress);
    },
    acceptTicketRequest(link, request) {
      const { commandId } = request;
      const issued = ticketIssuer
        ? ticketIssuer(link.starId, commandId)
        : Promise.reject(new Error('this Nucleus runs no dispatcher'));
      issued.then(
        (ticket) => link.write({ ticketGrant: { commandId, ticket } }),
        (error: unknown) =>
          link.write({ ticketGrant: { commandId, ticket: '', error: (error as Error).message } }),
      );
    },
    failAll(message) {
      for (const command of [...pending.values()]) {
        fail(command, new GridCommandError('ERROR_CODE_UNAVAILABLE', message));
      }
    },
  };
  return hub;
}
