import { DEFAULT_RENEWAL_WINDOW_MS, needsRenewal } from '@orbit/engine/identity/renewal-window';
import type { NucleusMessage__Output } from '@orbit/proto';
import { formatHostPort, type HostPort, parseHostPort } from '../config/host-port.ts';
import type { StarConfig } from '../config/star-config-schema.ts';
import { createPathJail } from '../security/path-jail.ts';
import { completePendingRenewal, renewCertificate } from './certificate-renewal.ts';
import {
  deferCommandRunner as createCommandRunner,
  deferTransferCommands as createTransferCommands,
} from './deferred-commands.ts';
import type { GridCallError } from './grid-channel.ts';
import { gridChannel, mutualTls, openSession } from './grid-clients.ts';
import { createHostLoad } from './host-load.ts';
import { createMemoryRelease } from './memory-release.ts';
import { ResultOutbox } from './result-outbox.ts';
import { loadSessionCredentials as loadStarCredentials } from './session-credentials.ts';
import type { StarCredentials } from './star-credentials.ts';
import { STAR_CAPABILITIES, STAR_VERSION } from './star-version.ts';
import { startStateSweeps } from './state-sweeps.ts';
import { TicketRequests } from './ticket-requests.ts';

export interface ServeStarOptions {
  readonly config: StarConfig;
  /** Aborting ends the session and returns once running commands were told to stop. */
  readonly signal: AbortSignal;
  readonly log: (line: string) => void;
  /** Lines for `serve --verbose` only. */
  readonly debug?: (line: string) => void;
}

const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;
const DEFAULT_HEARTBEAT_MS = 5000;
const DEFAULT_PART_BYTES = 1024 * 1024;
/** How long a session is allowed to run before the renewal check looks again. */
const MAX_RENEWAL_CHECK_MS = 6 * 60 * 60 * 1000;

/**
 * `orbit-star serve`: holds one Session with the Nucleus, redialling with capped exponential
 * backoff. Commands keep running across reconnects; their output waits in the outbox.
 */
export async function serveStar({
  config,
  signal,
  log,
  debug = () => undefined,
}: ServeStarOptions): Promise<void> {
  const jail = createPathJail(config.security.allowedPaths, {
    onDenied: (error) => log(`refused ${JSON.stringify(error.path)}: ${error.message}`),
  });
  const outbox = new ResultOutbox();
  let partMaxBytes = DEFAULT_PART_BYTES;
  const tickets = new TicketRequests((message) => outbox.sendOnce(message), { log });
  const memory = createMemoryRelease({ busy: () => transfers.activeTransfers() > 0, debug });
  const transfers = createTransferCommands({ config, jail, tickets, log, onQuiet: () => memory.soon() });
  const runner = createCommandRunner({
    jail,
    send: (message) => outbox.send(message),
    sendOnce: (message) => outbox.sendOnce(message),
    partMaxBytes: () => partMaxBytes,
    transfers,
  });
  // Before any receive resumes: what abandoned receives left goes after `keep_partial_days`.
  const sweeps = await startStateSweeps({
    stateDir: config.star.stateDir,
    jail,
    maxAgeMs: config.limits.keepPartialDays * 24 * 60 * 60_000,
    log,
  });
  // A sender whose push into this Star outlived its restart reconnects: listen for it at once.
  transfers
    .resumeReceives()
    .catch((error: unknown) => log(`prepared receives not resumed: ${(error as Error).message}`));
  const measure = createHostLoad(config.security.allowedPaths);
  let backoffMs = FIRST_BACKOFF_MS;
  /** Where a standby Nucleus sent this Star: dialled once, then the configured address again. */
  let redirectTo: HostPort | undefined;
  let redirectsInARow = 0;

  while (!signal.aborted) {
    let reason: string;
    let established = false;
    const address = redirectTo ?? config.hub.address;
    redirectTo = undefined;
    try {
      await completePendingRenewal(config);
      let credentials = await loadStarCredentials(config);
      if (needsRenewal(credentials.identity.notAfter, new Date(), renewalWindow(credentials))) {
        await renewCertificate(config, credentials);
        log(`renewed the certificate (it expired at ${credentials.identity.notAfter.toISOString()})`);
        credentials = await loadStarCredentials(config);
      }
      // Renewed here or by `orbit-star renew`: the data plane presents what the Nucleus now pins.
      transfers
        .useCredentials(credentials)
        .catch((error: unknown) => log(`data plane kept its certificate: ${(error as Error).message}`));
      const session = await runSession(credentials, address);
      established = session.established;
      reason = session.reason;
      redirectTo = session.redirect;
    } catch (error) {
      reason = (error as Error).message;
    }
    if (signal.aborted) break;
    if (established) backoffMs = FIRST_BACKOFF_MS;
    if (redirectTo) {
      redirectsInARow = established ? 1 : redirectsInARow + 1;
      // Dial the dispatching Nucleus at once, unless processes keep sending this Star around.
      if (redirectsInARow <= 3) {
        log(`session ended (${reason}); dialling ${formatHostPort(redirectTo)}`);
        continue;
      }
    } else redirectsInARow = 0;
    const wait = Math.round(backoffMs * (0.75 + Math.random() * 0.5));
    log(`session ended (${reason}); reconnecting in ${wait} ms`);
    await sleep(wait, signal);
    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
  }
  memory.stop();
  sweeps.stop();
  runner.stopAll();
  await transfers.close();

  function runSession(
    credentials: StarCredentials,
    address: HostPort,
  ): Promise<{ established: boolean; reason: string; redirect?: HostPort }> {
    const channel = gridChannel(
      address,
      config.hub.serverName,
      mutualTls(credentials.caPem, credentials.keyPem, credentials.chainPem),
    );
    const stream = openSession(channel);
    return new Promise((resolve) => {
      let established = false;
      let heartbeat: NodeJS.Timeout | undefined;
      let ended = false;
      let redirect: HostPort | undefined;
      const untilRenewal = credentials.identity.notAfter.getTime() - renewalWindow(credentials) - Date.now();
      const renewalCheck = setTimeout(
        () => finish('time to renew the certificate'),
        Math.min(Math.max(untilRenewal, 1000), MAX_RENEWAL_CHECK_MS),
      );
      const onAbort = () => finish('stopping');
      signal.addEventListener('abort', onAbort, { once: true });

      function finish(reason: string): void {
        if (ended) return;
        ended = true;
        clearInterval(heartbeat);
        clearTimeout(renewalCheck);
        signal.removeEventListener('abort', onAbort);
        tickets.sessionDown();
        outbox.detach(stream);
        stream.cancel();
        channel.close();
        resolve({ established, reason, ...(redirect ? { redirect } : {}) });
      }
      const beat = () => {
        measure(transfers.activeTransfers(), STAR_VERSION).then(
          (message) => {
            if (!ended) outbox.sendOnce({ heartbeat: message });
          },
          (error: unknown) => log(`heartbeat measurement failed: ${(error as Error).message}`),
        );
      };

      stream.on('message', (message: NucleusMessage__Output) => {
        if (message.settings) {
          if (!established)
            log(`connected to ${formatHostPort(address)} as Star ${credentials.identity.starId}`);
          established = true;
          const interval = message.settings.heartbeatIntervalMs || DEFAULT_HEARTBEAT_MS;
          partMaxBytes = message.settings.resultPartMaxBytes || DEFAULT_PART_BYTES;
          clearInterval(heartbeat);
          heartbeat = setInterval(beat, interval);
          beat();
          tickets.sessionUp();
          // Start-up's code and buffers are done with: an idle Star keeps only what it uses.
          memory.soon();
        } else if (message.redirect) {
          try {
            redirect = parseHostPort(message.redirect.controlAddress);
            finish(`redirected: ${message.redirect.reason}`);
          } catch (error) {
            log(`ignored a redirect to "${message.redirect.controlAddress}": ${(error as Error).message}`);
          }
        } else if (message.command) runner.start(message.command);
        else if (message.ack) outbox.acknowledge(message.ack);
        else if (message.ticketGrant) tickets.grant(message.ticketGrant);
      });
      stream.on('close', (error: GridCallError | undefined) =>
        finish(error ? error.details : 'the Nucleus closed the session'),
      );

      const inFlight = new Set([...runner.runningIds(), ...outbox.unacknowledgedIds()]);
      stream.write({
        hello: {
          starId: credentials.identity.starId,
          version: STAR_VERSION,
          resumeCommandIds: [...inFlight],
          capabilities: [...STAR_CAPABILITIES],
        },
      });
      outbox.attach(stream);
    });
  }
}

/**
 * Renew in the last third of the certificate's life, at most 10 days before expiry: a window wider
 * than the lifetime would renew on every connection.
 */
function renewalWindow({ identity }: StarCredentials): number {
  const lifetime = identity.notAfter.getTime() - identity.notBefore.getTime();
  return Math.min(DEFAULT_RENEWAL_WINDOW_MS, Math.floor(lifetime / 3));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
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
