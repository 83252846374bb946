/**
 * The receiving Star of the loopback transfer bench: a real grid CA, a certificate issued from a CSR,
 * the data-plane endpoint, and a signed send ticket for `<dest dir>`.
 *   deno run … bench/grid/star-receiver.ts <dest dir> <state dir>
 * Prints one JSON line (address, pin, ticket) for star-sender.ts, then serves until stdin closes,
 * answering each stdin line with its CPU seconds so far and its RSS.
 */
import 'reflect-metadata';
import process from 'node:process';
import { createInterface } from 'node:readline';
import { issueStarCertificate } from '@orbit/engine/identity/certificate-issuer';
import { signTicket } from '@orbit/engine/identity/data-plane-ticket';
import { createGridCa } from '@orbit/engine/identity/grid-ca';
import { exportPrivateKeyPem, generateGridKeys } from '@orbit/engine/identity/grid-crypto';
import { createCsr } from '@orbit/engine/identity/star-csr';
import { createMemoryRelease } from '../../apps/star/src/agent/memory-release.ts';
import { startDataPlaneServer } from '../../apps/star/src/data-plane/data-plane-server.ts';
import { createPathJail } from '../../apps/star/src/security/path-jail.ts';

const [dest, stateDir] = process.argv.slice(2);
if (!dest || !stateDir) {
  console.error('usage: star-receiver.ts <dest dir> <state dir>');
  process.exit(2);
}

const SOURCE_STAR = 'bench-source';
const DESTINATION_STAR = 'bench-destination';

const ca = await createGridCa({ commonName: 'Orbit grid bench CA', validityDays: 1 });
const keys = await generateGridKeys();
const issued = await issueStarCertificate({
  ca,
  csrPem: await createCsr({ starName: DESTINATION_STAR, keys }),
  starId: DESTINATION_STAR,
  teamId: 'bench-team',
  validityDays: 1,
});
const memory = createMemoryRelease({
  busy: () => server.connections() > 0,
  debug: (line) => console.error(`receiver: ${line}`),
});
const server = await startDataPlaneServer({
  cert: issued.chainPem,
  key: await exportPrivateKeyPem(keys.privateKey),
  caCert: ca.certificatePem,
  starId: DESTINATION_STAR,
  // As the agent does: freed memory goes back to the kernel once no sender is connected.
  onQuiet: () => memory.soon(),
  jail: createPathJail([{ path: dest, access: 'rw' }]),
  stateDir,
  host: '127.0.0.1',
  onSessionError: (error) => console.error(`receiver: ${(error as Error).message}`),
  onNotice: (message) => console.error(`receiver: ${message}`),
});
const ticket = await signTicket(
  {
    jobId: 'bench-job',
    path: dest,
    direction: 'send',
    sourceStarId: SOURCE_STAR,
    destinationStarId: DESTINATION_STAR,
  },
  ca.privateKey,
);
console.log(
  JSON.stringify({ address: `${server.host}:${server.port}`, fingerprint: server.fingerprint, ticket }),
);

// Each stdin line asks for this process' CPU seconds so far (the parent bills the push the difference);
// the parent closes stdin when the bench is done with this receiver.
const lines = createInterface({ input: process.stdin });
lines.on('line', () => {
  const used = process.cpuUsage();
  const rssMiB = process.memoryUsage().rss / 2 ** 20;
  console.log(JSON.stringify({ cpuS: (used.user + used.system) / 1e6, systemS: used.system / 1e6, rssMiB }));
});
lines.on('close', () => {
  memory.stop();
  server.close().then(() => process.exit(0));
});
