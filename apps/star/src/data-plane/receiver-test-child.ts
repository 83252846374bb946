import { readFile } from 'node:fs/promises';
import { createPathJail } from '../security/path-jail.ts';
import { startDataPlaneServer } from './data-plane-server.ts';

/**
 * A receiving Star in its own process, so a test can SIGKILL it mid-file. Reads its settings from
 * the JSON file named by argv, prints `{"port":…}` once listening and serves until killed.
 */
const [configPath] = process.argv.slice(2);
if (configPath === undefined) throw new Error('usage: receiver-test-child.ts <config.json>');
const config = JSON.parse(await readFile(configPath, 'utf8')) as {
  cert: string;
  key: string;
  caCert: string;
  starId: string;
  root: string;
  stateDir: string;
  checkpointBytes: number;
  directWriteMinBytes?: number;
};
const server = await startDataPlaneServer({
  cert: config.cert,
  key: config.key,
  caCert: config.caCert,
  starId: config.starId,
  jail: createPathJail([{ path: config.root, access: 'rw' }]),
  stateDir: config.stateDir,
  checkpointBytes: config.checkpointBytes,
  ...(config.directWriteMinBytes === undefined ? {} : { directWriteMinBytes: config.directWriteMinBytes }),
});
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
