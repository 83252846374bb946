import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const deno = path.join(repoRoot, 'node_modules', '.bin', 'deno');

interface ModuleGraph {
  readonly roots: readonly string[];
  readonly modules: readonly {
    readonly specifier: string;
    readonly dependencies?: readonly {
      readonly code?: { readonly specifier: string };
      readonly isDynamic?: boolean;
    }[];
  }[];
}

/** What loading `entry` loads before any dynamic import runs: its static, non-type-only imports. */
async function staticRuntimeGraph(entry: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    deno,
    ['info', '--json', '--no-lock', '--node-modules-dir=manual', entry],
    { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' } },
  );
  const graph = JSON.parse(stdout) as ModuleGraph;
  const bySpecifier = new Map(graph.modules.map((module) => [module.specifier, module]));
  const seen = new Set<string>();
  const stack = [...graph.roots];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (seen.has(next)) continue;
    seen.add(next);
    for (const dependency of bySpecifier.get(next)?.dependencies ?? []) {
      if (dependency.code && dependency.isDynamic !== true) stack.push(dependency.code.specifier);
    }
  }
  return [...seen];
}

// An idle Star holds only its control session; anything heavier loads with the first command that
// needs it (deferred-commands.ts). A static import of one of these costs every idle Star megabytes.
const LOADED_ON_DEMAND = [
  /@peculiar\/x509|reflect-metadata/, // certificates: join, renewal, the data plane's TLS
  /zstd-napi|@napi-rs\/blake-hash/, // native addons: hashing, compression
  /@grpc\//, // the Nucleus' gRPC library; the Star speaks gRPC over node:http2
  /\/apps\/star\/src\/data-plane\/data-plane-server\.ts$/, // the receiving side
  /\/apps\/star\/src\/data-plane\/state-sweep\.ts$/, // the sweep of old journals (and its zod schemas)
];

describe("an idle Star's modules", () => {
  it('leave certificates, native addons and the data plane to the first command that needs them', async () => {
    const loaded = await staticRuntimeGraph(
      path.join(repoRoot, 'apps', 'star', 'src', 'agent', 'star-agent.ts'),
    );
    // The walk itself works: the agent and its control channel are in the graph.
    expect(loaded.some((specifier) => specifier.endsWith('/agent/grid-channel.ts'))).toBe(true);
    for (const pattern of LOADED_ON_DEMAND) {
      expect(loaded.filter((specifier) => pattern.test(specifier))).toEqual([]);
    }
  }, 60_000);
});
