import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrateDeploy } from '../db/migrate-deploy.ts';
import { adminQuery, databaseUrl } from './test-database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    orbitTemplateDatabase: string;
  }
}

/**
 * Builds a migrated template database for this test run (named per run, so engineers running tests
 * at the same time never share or drop each other's template); every test file clones it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const template = `orbit_test_template_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${template}"`);
  await migrateDeploy(path.resolve(import.meta.dirname, '../../../../..'), databaseUrl(template));
  project.provide('orbitTemplateDatabase', template);
  return async () => {
    await adminQuery(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
  };
}
