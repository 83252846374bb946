import { type ServerDuplexStream, status } from '@grpc/grpc-js';
import type { Heartbeat__Output, NucleusMessage, Settings, StarMessage__Output } from '@orbit/proto';
import { authenticateStar } from './authenticate-star.ts';
import type { GridServiceContext } from './enrol-star.ts';
import type { GridHubInternals, StarLink } from './grid-hub.ts';
import { describeGridFailure, GridRefusal, toGridStatus } from './grid-refusal.ts';
import { ServerStopping, type ServerTasks } from './server-tasks.ts';
import { markOnline, type PresenceStar, recordHeartbeat } from './star-presence.ts';

/** When each Star was last heard from, connected or not: what the offline sweeper reads. */
export interface PresenceEntry {
  readonly star: PresenceStar;
  lastSeenMs: number;
  online: boolean;
}

export interface SessionDeps {
  readonly ctx: GridServiceContext;
  readonly hub: GridHubInternals;
  readonly settings: Settings;
  /** Heartbeats are kept in memory; the database gets one at most this often per Star. */
  readonly heartbeatWriteMs: number;
  readonly presence: Map<string, PresenceEntry>;
  /**
   * The dispatching Nucleus' control address when it is another process (this one stands by):
   * a Star that dials here is sent there, since only that process sends it work.
   */
  readonly leaderAddress: () => Promise<string | undefined>;
  /** The stream is not awaited by anyone: its database work runs here, so the server's stop waits for it. */
  readonly tasks: ServerTasks;
  readonly log: (message: string) => void;
}

type SessionCall = ServerDuplexStream<StarMessage__Output, NucleusMessage>;

/**
 * One Star's Session stream: authenticate the certificate, wait for Hello, go online, then route
 * heartbeats to presence and results to the hub until the stream ends.
 */
export function handleSession(deps: SessionDeps, call: SessionCall): void {
  const { ctx, hub, tasks } = deps;
  const queued: StarMessage__Output[] = [];
  let deliver: ((message: StarMessage__Output) => void) | undefined;
  let link: StarLink | undefined;
  let closed = false;

  const refuse = (error: unknown): void => {
    if (closed) return;
    closed = true;
    if (!(error instanceof GridRefusal)) deps.log(`grid session failed: ${describeGridFailure(error)}`);
    call.emit('error', toGridStatus(error));
  };
  const finish = (): void => {
    if (link) {
      hub.detach(link);
      const entry = deps.presence.get(link.starId);
      if (entry) entry.lastSeenMs = link.lastSeenMs;
    }
    if (!closed) {
      closed = true;
      call.end();
    }
  };

  /** Tells the Star where the dispatching Nucleus is and ends the stream (the Star dials there). */
  const sendAway = (controlAddress: string, reason: string): void => {
    if (closed) return;
    call.write({ redirect: { controlAddress, reason } });
    closed = true;
    call.end();
  };

  call.on('data', (message: StarMessage__Output) => {
    if (deliver) deliver(message);
    else queued.push(message);
  });
  call.on('end', finish);
  call.on('error', finish);
  call.on('cancelled', finish);

  // Until the Session is set up, the first message answers this promise and the rest wait in order.
  const firstMessage = new Promise<StarMessage__Output>((resolve) => {
    deliver = (message) => {
      deliver = (later) => {
        queued.push(later);
      };
      resolve(message);
    };
  });

  void (async () => {
    const star = await tasks.run('a Star session', () => authenticateStar(ctx, call));
    const hello = (await firstMessage).hello;
    if (!hello) throw new GridRefusal(status.INVALID_ARGUMENT, 'the Star must send Hello first on a Session');
    if (hello.starId !== star.identity.starId) {
      throw new GridRefusal(
        status.PERMISSION_DENIED,
        `Hello names Star ${hello.starId} but the certificate belongs to ${star.identity.starId}`,
      );
    }
    if (closed) return;
    const leader = await tasks.run('a Star session', deps.leaderAddress).catch(() => undefined);
    if (leader) {
      sendAway(leader, 'this Nucleus stands by; the dispatching one is at that address');
      return;
    }
    if (closed) return;
    const presenceStar = { starId: star.identity.starId, teamId: star.identity.teamId, name: star.name };
    const lifecycle = await tasks.run(`Star ${presenceStar.starId} online`, () =>
      markOnline(ctx, presenceStar, hello, { ip: peerIp(call.getPeer()), userAgent: null }),
    );
    // The stream may have ended meanwhile (the server stopped): a dead link must not join the hub.
    if (closed) return;
    const nowMs = ctx.now().getTime();
    deps.presence.set(presenceStar.starId, { star: presenceStar, lastSeenMs: nowMs, online: true });
    const current: StarLink = {
      ...presenceStar,
      connectedAt: ctx.now(),
      lifecycle,
      version: hello.version,
      lastSeenMs: nowMs,
      lastHeartbeat: undefined,
      deniedCommands: 0,
      write: (message) => {
        if (!closed) call.write(message);
      },
      close: (reason) => refuse(new GridRefusal(status.ABORTED, reason)),
      redirect: (address, reason) => {
        // Gone from here on purpose: this process must not mark it offline once its heartbeats stop.
        deps.presence.delete(current.starId);
        hub.detach(current);
        sendAway(address, reason);
      },
    };
    // A second session for the same Star (a stale stream not yet timed out) loses to the new one.
    hub.linkOf(presenceStar.starId)?.close('a newer session of this Star replaced this one');
    link = current;
    hub.attach(current, hello.resumeCommandIds);
    current.write({ settings: deps.settings });

    let lastWriteMs = 0;
    // One heartbeat write per Star at a time: on a slow database, more would only queue for the pool.
    let writing = false;
    const storeHeartbeat = (heartbeat: Heartbeat__Output): void => {
      if (writing || current.lastSeenMs - lastWriteMs < deps.heartbeatWriteMs) return;
      lastWriteMs = current.lastSeenMs;
      writing = true;
      tasks
        .run(`heartbeat of Star ${current.starId}`, () => recordHeartbeat(ctx, current.starId, heartbeat))
        .then(
          (stored) => {
            if (stored === undefined || stored === 'shutdown') {
              refuse(
                new GridRefusal(status.PERMISSION_DENIED, `Star "${current.name}" was removed from the grid`),
              );
              return;
            }
            // A drain decided here must not be undone by a heartbeat write that started before it.
            if (!(current.lifecycle === 'draining' && stored === 'scheduled')) current.lifecycle = stored;
          },
          (error: unknown) => {
            if (error instanceof ServerStopping) return;
            // A database hiccup must not drop a healthy Star; the next heartbeat writes again.
            lastWriteMs = 0;
            deps.log(`heartbeat of Star ${current.starId} not stored: ${(error as Error).message}`);
          },
        )
        .finally(() => {
          writing = false;
        });
    };
    const onMessage = (message: StarMessage__Output): void => {
      current.lastSeenMs = ctx.now().getTime();
      const entry = deps.presence.get(current.starId);
      if (entry) entry.lastSeenMs = current.lastSeenMs;
      if (message.heartbeat) {
        current.lastHeartbeat = message.heartbeat;
        if (message.heartbeat.version) current.version = message.heartbeat.version;
        storeHeartbeat(message.heartbeat);
      } else if (message.resultPart) hub.acceptPart(current, message.resultPart);
      else if (message.commandResult) hub.acceptResult(current, message.commandResult);
      else if (message.progress) hub.acceptProgress(current, message.progress);
      else if (message.ticketRequest) hub.acceptTicketRequest(current, message.ticketRequest);
    };
    deliver = onMessage;
    for (const message of queued.splice(0)) onMessage(message);
  })().catch(refuse);
}

/** grpc-js names peers `host:port` (IPv6 in brackets); the audit log keeps the address alone. */
export function peerIp(peer: string): string {
  return peer.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
}
