import { db } from '../db/db.ts';
import { repoRoot } from '../env.ts';
import { checkReadiness, migrationsDir, type Readiness } from './readiness.ts';

export async function handleReady(): Promise<Response> {
  let verdict: Readiness;
  try {
    verdict = await checkReadiness(db(), migrationsDir(repoRoot()));
  } catch (error) {
    verdict = { ready: false, reason: error instanceof Error ? error.message : String(error) };
  }
  if (verdict.ready) return Response.json({ status: 'ready', migrations: verdict.migrations });
  return Response.json({ status: 'unavailable', reason: verdict.reason }, { status: 503 });
}
