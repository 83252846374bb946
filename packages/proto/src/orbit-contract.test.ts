import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrbitPackageDefinition, loadOrbitProto, ORBIT_PROTO_FILE, orbitProtoRoot } from './index.ts';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const buf = join(packageDir, '..', '..', 'node_modules', '.bin', 'buf');
const temps: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'orbit-proto-'));
  temps.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function filesUnder(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(root, path), readFileSync(path, 'utf8'));
  }
  return files;
}

function bufLint(moduleRoot: string): { status: number | null; output: string } {
  const result = spawnSync(buf, ['lint'], { cwd: moduleRoot, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('the orbit.v1 contract', () => {
  it('generated types are up to date with the .proto (run `npm run -w @orbit/proto generate`)', () => {
    const out = join(tempDir(), 'generated');
    execFileSync(process.execPath, [join(packageDir, 'scripts', 'generate.mjs'), out], { stdio: 'pipe' });
    const fresh = filesUnder(out);
    const committed = filesUnder(join(packageDir, 'src', 'generated'));
    expect([...committed.keys()].sort()).toEqual([...fresh.keys()].sort());
    for (const [path, text] of fresh) expect(committed.get(path), path).toBe(text);
  });

  it('passes buf lint, which requires a comment on every message, field, enum value and rpc', () => {
    const result = bufLint(packageDir);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('buf lint fails when a field loses its comment', () => {
    const copy = tempDir();
    cpSync(join(packageDir, 'buf.yaml'), join(copy, 'buf.yaml'));
    cpSync(join(packageDir, 'proto'), join(copy, 'proto'), { recursive: true });
    const file = join(copy, 'proto', ORBIT_PROTO_FILE);
    const text = readFileSync(file, 'utf8');
    const stripped = text.replace('  // Where to start reading, bytes.\n', '');
    expect(stripped).not.toBe(text);
    writeFileSync(file, stripped);
    const result = bufLint(copy);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('Field "offset" should have a non-empty comment');
  });

  it('loads both services from the .proto found beside the package', () => {
    expect(orbitProtoRoot()).toBe(join(packageDir, 'proto'));
    const definition = loadOrbitPackageDefinition();
    expect(Object.keys(definition)).toEqual(
      expect.arrayContaining(['orbit.v1.StarControl', 'orbit.v1.Enrolment']),
    );
    const orbit = loadOrbitProto().orbit.v1;
    const session = orbit.StarControl.service.Session;
    expect(session.path).toBe('/orbit.v1.StarControl/Session');
    expect(session.requestStream && session.responseStream).toBe(true);
    expect(Object.keys(orbit.Enrolment.service).sort()).toEqual(['Join', 'Renew']);
  });

  it('aligns ErrorCode values with gRPC status codes', async () => {
    const { status } = await import('@grpc/grpc-js');
    const definition = loadOrbitPackageDefinition();
    const errorCode = definition['orbit.v1.ErrorCode'];
    const values = (errorCode as { type: { value: { name: string; number: number }[] } }).type.value;
    for (const { name, number } of values) {
      if (name === 'ERROR_CODE_UNSPECIFIED') continue;
      const grpcName = name.replace('ERROR_CODE_', '') as keyof typeof status;
      expect(status[grpcName], name).toBe(number);
    }
    expect(values).toHaveLength(17);
  });
});
