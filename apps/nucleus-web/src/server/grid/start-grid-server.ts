import {
  Metadata,
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type sendUnaryData,
  status,
} from '@grpc/grpc-js';
import {
  type EnrolmentHandlers,
  type JoinRequest__Output,
  type JoinResponse,
  loadOrbitProto,
  type RenewRequest__Output,
  type RenewResponse,
  type Settings,
  type StarControlHandlers,
} from '@orbit/proto';
import type { Db } from '../db/create-db.ts';
import { currentHolder } from '../dispatch/dispatcher-lease.ts';
import { type ScheduleRuns, startScheduleRuns } from '../dispatch/schedule-runs.ts';
import {
  type Dispatcher,
  type StartDispatcherOptions,
  startDispatcher,
} from '../dispatch/start-dispatcher.ts';
import type { EventBus } from '../events/event-bus.ts';
import { authenticateStar } from './authenticate-star.ts';
import { createCommandRecords } from './command-records.ts';
import { enrolStar, type GridServiceContext, reportedRootSchema } from './enrol-star.ts';
import { loadGridCredentials } from './grid-credentials.ts';
import { createGridHub, type GridHub } from './grid-hub.ts';
import { describeGridFailure, GridRefusal, toGridStatus } from './grid-refusal.ts';
import { renewStar } from './renew-star.ts';
import { createServerTasks, settlesWithin } from './server-tasks.ts';
import { markOffline, sweepStaleOnline } from './star-presence.ts';
import { handleSession, type PresenceEntry, peerIp } from './star-session.ts';

export interface StartGridServerOptions {
  readonly prisma: Db;
  readonly auditKey: string;
  readonly events?: EventBus;
  /** Holds `grid/ca.crt` and `grid/ca.key` (0600); created on first start. */
  readonly stateDir: string;
  /** TLS without client certificates: Enrolment.Join. 0 picks a free port. */
  readonly enrolPort: number;
  /** Mutual TLS: StarControl.Session and Enrolment.Renew. 0 picks a free port. */
  readonly controlPort: number;
  /** The address to bind, e.g. "0.0.0.0" or "127.0.0.1". */
  readonly host: string;
  /** The host name or IP Stars dial; goes into the server certificate and the join command. */
  readonly publicHostname: string;
  /** Defaults to 5 s; a Star is marked offline after three missed heartbeats. */
  readonly heartbeatIntervalMs?: number;
  readonly now?: () => Date;
  readonly log?: (message: string) => void;
  /** Folder holding orbit/v1/orbit.proto, when a bundler moved @orbit/proto away from it. */
  readonly protoRoot?: string;
  /**
   * The dispatcher that runs queued runs between Stars starts with the grid, and with it the loop
   * that queues runs of scheduled jobs; `false` leaves both off (a second Nucleus process serving
   * only the UI, or tests of the grid alone).
   */
  readonly dispatcher?:
    | false
    | Pick<
        StartDispatcherOptions,
        | 'pollMs'
        | 'starWaitMs'
        | 'leaseTtlMs'
        | 'holder'
        | 'leaseClock'
        | 'ticketTtlMs'
        | 'commandRetentionMs'
        | 'pruneEveryMs'
      >;
}

export interface GridServer {
  readonly hub: GridHub;
  /** Undefined when started with `dispatcher: false`. */
  readonly dispatcher: Dispatcher | undefined;
  readonly enrolPort: number;
  readonly controlPort: number;
  /** `sha256:<hex>` of the grid CA certificate, for `orbit-star join --ca-pin`. */
  readonly caPin: string;
  readonly caCertificatePem: string;
  /** The command an admin runs on the Star machine for a freshly issued join token. */
  /** With `name` (a token bound to a name) the command passes it as --name: the Star must ask for it. */
  joinCommand(token: string, name?: string | null): string;
  stop(): Promise<void>;
}

/** Initial metadata on every Join answer: the CA, so a joining Star can check it against its pin. */
export const GRID_CA_METADATA_KEY = 'orbit-grid-ca-bin';
/** Initial metadata on every Join answer: the mTLS port the Star dials for its Session. */
export const CONTROL_PORT_METADATA_KEY = 'orbit-control-port';
/** Join metadata a Star sends with its allowed roots, JSON `[{ path, access }]`. */
export const ALLOWED_PATHS_METADATA_KEY = 'orbit-allowed-paths';

const MISSED_HEARTBEATS = 3;

/**
 * Starts the Nucleus' grid endpoints. Two grpc-js servers keep the trust levels apart: the
 * enrolment port accepts anyone over TLS (Join only), the control port requires a grid client
 * certificate (Session, Renew).
 */
export async function startGridServer(options: StartGridServerOptions): Promise<GridServer> {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? ((message: string) => console.error(`[orbit grid] ${message}`));
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 5000;
  const credentials = await loadGridCredentials({
    stateDir: options.stateDir,
    publicHostname: options.publicHostname,
    now: now(),
  });
  const ctx: GridServiceContext = {
    db: options.prisma,
    auditKey: options.auditKey,
    ...(options.events ? { events: options.events } : {}),
    ca: credentials.ca,
    now,
  };
  // Handlers and the hub start database work nobody awaits; stop() waits for it before it returns.
  const tasks = createServerTasks();
  const hub = createGridHub(now, createCommandRecords(options.prisma, options.auditKey, log, tasks));
  const presence = new Map<string, PresenceEntry>();
  const settings: Settings = { heartbeatIntervalMs, resultPartMaxBytes: 1024 * 1024 };
  const orbit = loadOrbitProto(options.protoRoot).orbit.v1;
  const joinMetadata = new Metadata();
  joinMetadata.set(GRID_CA_METADATA_KEY, Buffer.from(credentials.ca.certificatePem));

  const enrolment: EnrolmentHandlers = {
    Join(call: ServerUnaryCall<JoinRequest__Output, JoinResponse>, callback: sendUnaryData<JoinResponse>) {
      call.sendMetadata(joinMetadata.clone());
      const meta = { ip: peerIp(call.getPeer()), userAgent: null };
      tasks
        .run('a join', async () =>
          enrolStar(ctx, { ...call.request, allowedPaths: await readAllowedPaths(call.metadata) }, meta),
        )
        .then(
          (enrolled) =>
            callback(null, {
              starId: enrolled.starId,
              teamId: enrolled.teamId,
              certificateChainPem: enrolled.certificate.chainPem,
              caCertificatePem: credentials.ca.certificatePem,
              settings,
            }),
          (error: unknown) => reply(callback, error),
        );
    },
    Renew(
      call: ServerUnaryCall<RenewRequest__Output, RenewResponse>,
      callback: sendUnaryData<RenewResponse>,
    ) {
      const meta = { ip: peerIp(call.getPeer()), userAgent: null };
      tasks
        .run('a renewal', async () => renewStar(ctx, await authenticateStar(ctx, call), call.request, meta))
        .then(
          (certificate) =>
            callback(null, {
              certificateChainPem: certificate.chainPem,
              caCertificatePem: credentials.ca.certificatePem,
            }),
          (error: unknown) => reply(callback, error),
        );
    },
  };
  function reply(callback: sendUnaryData<never>, error: unknown): void {
    if (!(error instanceof GridRefusal)) log(`enrolment failed: ${describeGridFailure(error)}`);
    callback(toGridStatus(error));
  }

  const keyPair = {
    cert_chain: Buffer.from(credentials.server.chainPem),
    private_key: Buffer.from(credentials.server.privateKeyPem),
  };
  const caBuffer = Buffer.from(credentials.ca.certificatePem);
  const enrolServer = new Server();
  // The enrolment port never asks for a client certificate, so Renew is only answered on the control port.
  enrolServer.addService(orbit.Enrolment.service, {
    Join: enrolment.Join,
    Renew(
      _call: ServerUnaryCall<RenewRequest__Output, RenewResponse>,
      callback: sendUnaryData<RenewResponse>,
    ) {
      callback(
        new GridRefusal(
          status.FAILED_PRECONDITION,
          'renew on the control port with the current Star certificate, not on the enrolment port',
        ).toStatus(),
      );
    },
  });
  const controlServer = new Server();
  controlServer.addService(orbit.Enrolment.service, enrolment);
  const control: StarControlHandlers = {
    Session(call) {
      handleSession(
        {
          ctx,
          hub,
          settings,
          heartbeatWriteMs: heartbeatIntervalMs * 3,
          presence,
          leaderAddress,
          tasks,
          log,
        },
        call,
      );
    },
  };
  controlServer.addService(orbit.StarControl.service, control);
  const enrolPort = await bind(
    enrolServer,
    options.host,
    options.enrolPort,
    ServerCredentials.createSsl(null, [keyPair], false),
  );
  const controlPort = await bind(
    controlServer,
    options.host,
    options.controlPort,
    ServerCredentials.createSsl(caBuffer, [keyPair], true),
  ).catch((error: unknown) => {
    enrolServer.forceShutdown();
    throw error;
  });

  joinMetadata.set(CONTROL_PORT_METADATA_KEY, String(controlPort));
  const ownAddress = hubAddress(options.publicHostname, controlPort);
  let dispatcher: Dispatcher | undefined;

  /** Where Stars should be when another process dispatches; undefined while this one does or none does. */
  async function leaderAddress(): Promise<string | undefined> {
    if (dispatcher?.isLeading()) return undefined;
    const leader = await currentHolder(options.prisma);
    if (!leader?.gridAddress || leader.gridAddress === ownAddress) return undefined;
    if (leader.holder === dispatcher?.holder) return undefined;
    return leader.gridAddress;
  }

  const windowMs = heartbeatIntervalMs * MISSED_HEARTBEATS;
  // The sweep in flight, so stop() can wait for it instead of pulling the database from under it.
  let sweep: Promise<void> | undefined;
  const sweeper = setInterval(() => {
    if (sweep) return;
    sweep = sweepOffline().finally(() => {
      sweep = undefined;
    });
  }, heartbeatIntervalMs);
  async function sweepOffline(): Promise<void> {
    const cutoffMs = now().getTime() - windowMs;
    try {
      for (const entry of presence.values()) {
        if (!entry.online || entry.lastSeenMs >= cutoffMs) continue;
        entry.online = false;
        hub.linkOf(entry.star.starId)?.close(`no heartbeat for ${windowMs} ms`);
        await markOffline(ctx, entry.star, `no heartbeat for ${windowMs} ms`);
      }
      const leader = await leaderAddress();
      if (leader) {
        // This process stopped dispatching (or never did): its Stars go to the one that does.
        for (const star of hub.connectedStars())
          hub
            .linkOf(star.starId)
            ?.redirect(leader, 'this Nucleus does not dispatch; the one at that address does');
        return;
      }
      // Rows of Stars connected to no process are the dispatching process' to clear: a standby does
      // not see the Stars connected elsewhere.
      if (dispatcher && !dispatcher.isLeading()) return;
      const connected = new Set(hub.connectedStars().map((star) => star.starId));
      await sweepStaleOnline(ctx, new Date(cutoffMs), connected);
    } catch (error) {
      log(`offline sweep failed: ${(error as Error).message}`);
    }
  }

  dispatcher =
    options.dispatcher === false
      ? undefined
      : startDispatcher({
          prisma: options.prisma,
          hub,
          ...(options.events ? { events: options.events } : {}),
          auditKey: options.auditKey,
          caKey: credentials.ca.privateKey,
          gridAddress: ownAddress,
          ...options.dispatcher,
          log: (message) => log(`dispatch: ${message}`),
        });
  const schedules: ScheduleRuns | undefined =
    dispatcher &&
    startScheduleRuns({
      prisma: options.prisma,
      auditKey: options.auditKey,
      ...(options.events ? { events: options.events } : {}),
      onQueued: () => dispatcher.wake(),
      log: (message) => log(`schedule: ${message}`),
    });

  return {
    hub,
    dispatcher,
    enrolPort,
    controlPort,
    caPin: credentials.caPin,
    caCertificatePem: credentials.ca.certificatePem,
    joinCommand: (token, name) =>
      `orbit-star join --hub ${hubAddress(options.publicHostname, enrolPort)} --ca-pin ${credentials.caPin} --token ${token}` +
      (name ? ` --name ${shellWord(name)}` : ''),
    async stop() {
      const deadline = Date.now() + STOP_DEADLINE_MS;
      clearInterval(sweeper);
      await sweep;
      await schedules?.stop();
      // Workers wait on Star commands: stop taking runs, then fail those commands so they return.
      const dispatcherStopped = dispatcher?.stop();
      hub.shutDown('the Nucleus grid server stopped');
      if (dispatcherStopped && !(await settlesWithin(dispatcherStopped, deadline - Date.now()))) {
        log(`stop: the dispatcher did not finish within ${STOP_DEADLINE_MS / 1000} s; shutting down anyway`);
      }
      for (const star of hub.connectedStars()) hub.linkOf(star.starId)?.close('the Nucleus is restarting');
      enrolServer.forceShutdown();
      controlServer.forceShutdown();
      // No handler starts database work from here on; what runs still holds pool clients the
      // caller's $disconnect would wait for.
      const writing = tasks.running();
      if (!(await settlesWithin(tasks.close(), deadline - Date.now()))) {
        log(`stop: ${tasks.running()} of ${writing} database writes still running; shutting down anyway`);
      }
    },
  };
}

/**
 * A last resort: a database that stops answering (pg has no query timeout) must not keep the
 * process from exiting; what was left open is re-attached by the next leader.
 */
const STOP_DEADLINE_MS = 15_000;

/** host:port as Stars dial it (IPv6 in brackets). */
function hubAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function bind(server: Server, host: string, port: number, credentials: ServerCredentials): Promise<number> {
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return new Promise((resolve, reject) =>
    server.bindAsync(address, credentials, (error, bound) =>
      error
        ? reject(new Error(`cannot listen on ${address}: ${error.message}`, { cause: error }))
        : resolve(bound),
    ),
  );
}

async function readAllowedPaths(metadata: Metadata) {
  const raw = metadata.get(ALLOWED_PATHS_METADATA_KEY)[0];
  if (raw === undefined) return [];
  try {
    return reportedRootSchema
      .array()
      .max(256)
      .parse(JSON.parse(String(raw)));
  } catch {
    throw new GridRefusal(
      status.INVALID_ARGUMENT,
      `metadata ${ALLOWED_PATHS_METADATA_KEY} must be JSON [{ "path": "/abs", "access": "ro" | "rw" }]`,
    );
  }
}

/** A word the shell passes through unchanged: bare when safe, else single-quoted. */
function shellWord(text: string): string {
  return /^[A-Za-z0-9._-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
