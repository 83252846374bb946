import { mkdir, opendir, readFile, rm } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import type { z } from 'zod';
import { OrbitError } from '../errors.ts';
import { isErrno, writeFileAtomic } from '../transfer/atomic-file.ts';
import {
  CARGO_FOLDER,
  CARGO_SUFFIX,
  type CargoRecord,
  cargoRecordSchema,
  FLIGHT_PLAN_FILE,
  type FlightPlan,
  flightPlanSchema,
} from './cargo-schema.ts';

/** `<dir>/cargo/<relpath>.cargo.json`; relpaths are checked so a record can never land outside. */
export function cargoPathFor(manifestDir: string, relPath: string): string {
  const normal = posix.normalize(relPath);
  if (normal.startsWith('../') || normal === '..' || posix.isAbsolute(normal)) {
    throw new OrbitError('INVALID_ARGUMENT', `path "${relPath}" escapes the job root`, {
      path: relPath,
      hint: 'cargo paths are relative to the job root and may not contain ".." segments',
    });
  }
  return join(manifestDir, CARGO_FOLDER, `${normal}${CARGO_SUFFIX}`);
}

async function readJson<T>(file: string, schema: z.ZodType<T>, what: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw new OrbitError('IO', `cannot read ${what}: ${String(error)}`, { path: file, cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new OrbitError('CORRUPT', `${what} is not valid JSON`, {
      file,
      cause: error,
      hint: 'delete it and run the job again (or `orbit manifest` to rebuild it)',
    });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const keyPath = issue?.path.join('.') ?? '';
    throw new OrbitError('CORRUPT', `${what} is invalid: ${issue?.message ?? 'unknown problem'}`, {
      file,
      ...(keyPath ? { keyPath } : {}),
      hint: 'delete it and run the job again (or `orbit manifest` to rebuild it)',
    });
  }
  return parsed.data;
}

/** The record for `relPath`, or undefined when there is none; a malformed record is an error naming its file. */
export function readCargoRecord(manifestDir: string, relPath: string): Promise<CargoRecord | undefined> {
  return readJson(cargoPathFor(manifestDir, relPath), cargoRecordSchema, 'cargo manifest');
}

/**
 * Records are a cache of what was written; atomic rename keeps them whole without an fsync each.
 * `folders`, when given, remembers the folders already made, for a caller writing many records.
 */
export async function writeCargoRecord(
  manifestDir: string,
  record: CargoRecord,
  folders?: Set<string>,
): Promise<void> {
  const file = cargoPathFor(manifestDir, record.path);
  const folder = dirname(file);
  if (!folders?.has(folder)) {
    await mkdir(folder, { recursive: true });
    folders?.add(folder);
  }
  await writeFileAtomic(file, `${JSON.stringify(record)}\n`, { durable: false });
}

/** Skips the write when the same record is already there, so a no-op sync only reads its records. */
export async function updateCargoRecord(manifestDir: string, record: CargoRecord): Promise<void> {
  const current = await readCargoRecord(manifestDir, record.path).catch(() => undefined);
  if (current && JSON.stringify(current) === JSON.stringify(record)) return;
  await writeCargoRecord(manifestDir, record);
}

export async function removeCargoRecord(manifestDir: string, relPath: string): Promise<void> {
  await rm(cargoPathFor(manifestDir, relPath), { force: true });
}

export async function readFlightPlan(manifestDir: string): Promise<FlightPlan> {
  const file = join(manifestDir, FLIGHT_PLAN_FILE);
  const plan = await readJson(file, flightPlanSchema, 'flight plan');
  if (plan === undefined) {
    throw new OrbitError('NOT_FOUND', `no ${FLIGHT_PLAN_FILE} in ${manifestDir}`, {
      path: file,
      hint: 'point --manifest-dir at a folder written by `orbit manifest` or a run (.orbit/manifests/<job>)',
    });
  }
  return plan;
}

export async function writeFlightPlanFile(manifestDir: string, plan: FlightPlan): Promise<void> {
  await mkdir(manifestDir, { recursive: true });
  await writeFileAtomic(join(manifestDir, FLIGHT_PLAN_FILE), `${JSON.stringify(plan, null, 2)}\n`);
}

/** Relative paths of every cargo record under `<dir>/cargo`, sorted. */
export async function listCargoPaths(manifestDir: string): Promise<string[]> {
  const root = join(manifestDir, CARGO_FOLDER);
  const found: string[] = [];
  const stack: string[] = [''];
  while (stack.length > 0) {
    const rel = stack.pop() ?? '';
    let dir: Awaited<ReturnType<typeof opendir>>;
    try {
      dir = await opendir(join(root, rel));
    } catch (error) {
      if (isErrno(error, 'ENOENT')) continue;
      throw error;
    }
    for await (const entry of dir) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) stack.push(child);
      else if (entry.isFile() && entry.name.endsWith(CARGO_SUFFIX)) {
        found.push(child.slice(0, -CARGO_SUFFIX.length));
      }
    }
  }
  return found.sort();
}
