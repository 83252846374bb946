import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Applies prisma/migrations with the Prisma CLI (its bundled wasm schema engine), the same command
 * an operator runs against real PostgreSQL. `root` is the repository root.
 */
export async function migrateDeploy(root: string, databaseUrl: string): Promise<string> {
  const cli = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');
  const config = path.join(root, 'apps', 'nucleus-web', 'prisma.config.ts');
  const preload = path.join(root, 'prisma', 'cli', 'unref-long-timers.cjs');
  try {
    const { stdout } = await run(
      process.execPath,
      ['--require', preload, cli, 'migrate', 'deploy', '--config', config],
      {
        cwd: path.join(root, 'apps', 'nucleus-web'),
        env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    return stdout;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`prisma migrate deploy failed:\n${`${stdout}\n${stderr}`.trim()}`, { cause: error });
  }
}
