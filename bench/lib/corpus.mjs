// A reproducible benchmark corpus: every byte comes from a seeded PRNG, so two machines (or two runs)
// measure the same data. Sizes scale with ORBIT_BENCH_SCALE; a finished corpus is reused.
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** mulberry32: tiny, fast, well-distributed 32-bit PRNG; fine for test data, not for secrets. */
export function createRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

function fillRandom(buffer, next) {
  const words = new Uint32Array(buffer.buffer, buffer.byteOffset, buffer.byteLength >>> 2);
  for (let i = 0; i < words.length; i++) words[i] = next();
  for (let i = words.length * 4; i < buffer.length; i++) buffer[i] = next() & 0xff;
}

const WORDS =
  'orbit star nucleus cargo chunk manifest journal audit flight plan verify resume archive mirror copy ' +
  'delta hash blake zstd gear window boundary payload transfer source destination snapshot restore';

/** Log-like text: compressible (zstd shrinks it several times) but not trivially repetitive. */
function fillText(buffer, next) {
  const words = WORDS.split(' ');
  let offset = 0;
  let line = 0;
  while (offset < buffer.length) {
    let text = `${String(line++).padStart(8, '0')} ${next() % 100000} `;
    const count = 4 + (next() % 12);
    for (let i = 0; i < count; i++) text += `${words[next() % words.length]} `;
    offset += buffer.write(`${text}\n`, offset, 'latin1');
  }
}

async function writeGenerated(path, size, fill, next) {
  const file = await open(path, 'w');
  try {
    const block = Buffer.allocUnsafe(Math.min(size, 8 * MiB));
    let written = 0;
    while (written < size) {
      const length = Math.min(block.length, size - written);
      fill(block.subarray(0, length), next);
      await file.write(block, 0, length);
      written += length;
    }
  } finally {
    await file.close();
  }
}

/** The corpus description at a scale; its JSON is the marker that says "already built". */
export function corpusSpec(scale) {
  return {
    version: 1,
    scale,
    bigFileBytes: Math.max(MiB, Math.round((GiB * scale) / MiB) * MiB),
    smallFiles: Math.max(10, Math.round(20_000 * scale)),
    mixedFiles: Math.max(10, Math.round(300 * scale)),
    textBytes: Math.max(4 * MiB, Math.round((256 * MiB * scale) / MiB) * MiB),
  };
}

async function buildBig(dir, spec) {
  await mkdir(dir, { recursive: true });
  await writeGenerated(join(dir, 'big.bin'), spec.bigFileBytes, fillRandom, createRandom(1));
}

async function buildSmall(dir, spec) {
  const next = createRandom(2);
  for (let i = 0; i < spec.smallFiles; i++) {
    const folder = join(dir, `d${String(Math.floor(i / 200)).padStart(3, '0')}`);
    if (i % 200 === 0) await mkdir(folder, { recursive: true });
    const data = Buffer.allocUnsafe(1024 + (next() % (15 * 1024)));
    fillRandom(data, next);
    await writeFile(join(folder, `f${String(i).padStart(5, '0')}.dat`), data);
  }
}

/** Text logs, random "media", empty files, nested folders and a symlink: what real trees hold. */
async function buildMixed(dir, spec) {
  const next = createRandom(3);
  for (let i = 0; i < spec.mixedFiles; i++) {
    const folder = join(dir, `project-${i % 7}`, i % 3 === 0 ? 'logs' : 'media', `set-${i % 5}`);
    await mkdir(folder, { recursive: true });
    const kind = i % 10;
    if (kind === 0) await writeFile(join(folder, `empty-${i}.txt`), '');
    else if (kind < 6) {
      const size = 16 * 1024 + (next() % (2 * MiB));
      await writeGenerated(join(folder, `log-${i}.txt`), size, fillText, next);
    } else {
      const size = 64 * 1024 + (next() % (4 * MiB));
      await writeGenerated(join(folder, `media-${i}.bin`), size, fillRandom, next);
    }
  }
  await symlink('project-0', join(dir, 'latest'));
}

/** Builds (or reuses) `<root>/scale-<s>/{big,small,mixed}` and returns their paths. */
export async function ensureCorpus(root, scale, log) {
  const spec = corpusSpec(scale);
  const base = join(root, `scale-${scale}`);
  const marker = join(base, 'corpus.json');
  const paths = {
    base,
    big: join(base, 'big'),
    small: join(base, 'small'),
    mixed: join(base, 'mixed'),
    text: join(base, 'text.log'),
    spec,
  };
  if (existsSync(marker) && (await readFile(marker, 'utf8')) === JSON.stringify(spec)) return paths;
  await rm(base, { recursive: true, force: true });
  log(`building the corpus at scale ${scale} in ${base} (seeded, reused next time)…`);
  await buildBig(paths.big, spec);
  await buildSmall(paths.small, spec);
  await buildMixed(paths.mixed, spec);
  await writeGenerated(paths.text, spec.textBytes, fillText, createRandom(4));
  await writeFile(marker, JSON.stringify(spec));
  return paths;
}

/** Flips 1 MiB in the middle of a file (XOR, so applying it twice restores the original). */
export async function flipMiddle(path, size, length = MiB) {
  const file = await open(path, 'r+');
  try {
    const offset = Math.max(0, Math.floor((size - length) / 2));
    const block = Buffer.alloc(Math.min(length, size));
    await file.read(block, 0, block.length, offset);
    for (let i = 0; i < block.length; i++) block[i] ^= 0x5a;
    await file.write(block, 0, block.length, offset);
    return block.length;
  } finally {
    await file.close();
  }
}
