import path from 'node:path';
import { migrateDeploy } from '../db/migrate-deploy.ts';
import { adminQuery, databaseUrl, TEMPLATE_DATABASE } from './test-database.ts';

/** Builds the migrated template database once per test run; every test file clones it. */
export default async function setup(): Promise<void> {
  await adminQuery(`DROP DATABASE IF EXISTS "${TEMPLATE_DATABASE}" WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE "${TEMPLATE_DATABASE}"`);
  await migrateDeploy(path.resolve(import.meta.dirname, '../../../../..'), databaseUrl(TEMPLATE_DATABASE));
}
