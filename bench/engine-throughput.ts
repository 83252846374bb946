/**
 * Engine primitive throughput, run under Deno by bench/run.mjs:
 *   deno run … bench/engine-throughput.ts <big-file> <text-file> <scale>
 * Prints one JSON object of MiB/s figures on stdout.
 */
import { readFile } from 'node:fs/promises';
import process from 'node:process';
import {
  type ChunkingOptions,
  chunkBuffer,
  DEFAULT_CHUNKING,
  getCodec,
  getHashAlgorithm,
  hashFile,
} from '@orbit/engine';

const MiB = 1024 * 1024;

function mibPerSecond(bytes: number, ms: number): number {
  return Math.round((bytes / MiB / (ms / 1000)) * 10) / 10;
}

/** Best of a few passes: the figure least disturbed by other work on a shared machine. */
async function best(passes: number, work: () => Promise<number> | number): Promise<number> {
  let fastest = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < passes; pass++) {
    const started = performance.now();
    await work();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

function compressAll(data: Uint8Array, chunking: ChunkingOptions, level: number): Uint8Array[] {
  const zstd = getCodec('zstd');
  return chunkBuffer(data, chunking).map((span) =>
    zstd.compress(data.subarray(span.offset, span.offset + span.length), level),
  );
}

const [bigFile, textFile] = process.argv.slice(2);
if (bigFile === undefined || textFile === undefined) {
  process.stderr.write('usage: engine-throughput.ts <big-file> <text-file>\n');
  process.exit(2);
}

const big = await readFile(bigFile);
const text = await readFile(textFile);
const blake3 = getHashAlgorithm('blake3');
const sha256 = getHashAlgorithm('sha256');

const fastcdcMs = await best(3, () => chunkBuffer(big, DEFAULT_CHUNKING).length);
const blake3MemMs = await best(3, () => blake3.hash(big).length);
const blake3FileMs = await best(3, async () => (await hashFile(bigFile, blake3)).size);
const sha256Ms = await best(1, () => sha256.hash(big).length);

const zstd = getCodec('zstd');
const results: Record<string, number> = {
  bigBytes: big.length,
  textBytes: text.length,
  fastcdcMiBs: mibPerSecond(big.length, fastcdcMs),
  blake3MemoryMiBs: mibPerSecond(big.length, blake3MemMs),
  blake3FileMiBs: mibPerSecond(big.length, blake3FileMs),
  sha256MiBs: mibPerSecond(big.length, sha256Ms),
};
for (const level of [1, 3]) {
  let compressed: Uint8Array[] = [];
  // Three passes: the first also pays for growing the heap the compressed chunks live in.
  const compressMs = await best(3, () => {
    compressed = compressAll(text, DEFAULT_CHUNKING, level);
    return compressed.length;
  });
  const spans = chunkBuffer(text, DEFAULT_CHUNKING);
  const decompressMs = await best(2, () => {
    let restored = 0;
    for (const [index, chunk] of compressed.entries()) {
      restored += zstd.decompress(chunk, spans[index]?.length ?? 0).length;
    }
    return restored;
  });
  const storedBytes = compressed.reduce((sum, chunk) => sum + chunk.length, 0);
  results[`zstdL${level}CompressMiBs`] = mibPerSecond(text.length, compressMs);
  results[`zstdL${level}DecompressMiBs`] = mibPerSecond(text.length, decompressMs);
  results[`zstdL${level}Ratio`] = Math.round((text.length / Math.max(1, storedBytes)) * 100) / 100;
}
process.stdout.write(`${JSON.stringify(results)}\n`);
