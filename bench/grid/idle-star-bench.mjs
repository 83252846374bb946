// Part 3 of `node bench/grid.mjs`: RSS of a real `orbit-star serve` (Deno) joined to a grid server
// and left idle (bench/grid/idle-star.ts).
import { join } from 'node:path';
import { timed } from '../lib/measure.mjs';

const TARGET_MIB = 50;
const IDLE_SECONDS = 15;

/** Runs part 3 and returns its printed report. */
export async function idleStarBench({ root, log }) {
  log(`idle Star: join, serve, ${IDLE_SECONDS} s idle…`);
  const { stdout, stderr } = timed(
    process.execPath,
    ['--import', 'tsx', join(root, 'bench', 'grid', 'idle-star.ts'), String(IDLE_SECONDS)],
    { cwd: root },
  );
  process.stderr.write(stderr);
  const result = JSON.parse(stdout);
  const met = result.idleRssMiB < TARGET_MIB ? 'met' : 'MISSED';
  return [
    `Idle Star (orbit-star serve under Deno, connected to the grid: ${result.connected})`,
    `RSS ${result.idleRssMiB.toFixed(1)} MiB after ${result.idleSeconds} s idle ` +
      `(${result.connectedRssMiB.toFixed(1)} MiB just after connecting, peak ${result.peakRssMiB.toFixed(1)} MiB); ` +
      `target < ${TARGET_MIB} MB: ${met}.`,
    `Of that RSS: ${result.idleAnonMiB.toFixed(1)} MiB anonymous (this Star's own), ${result.idleFileBackedMiB.toFixed(1)} MiB ` +
      'file-backed (the deno executable, shared by every Deno process).',
  ].join('\n');
}
