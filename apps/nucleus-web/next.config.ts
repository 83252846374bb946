import path from 'node:path';
import type { NextConfig } from 'next';

const config: NextConfig = {
  // The engine is TypeScript source in the workspace; Next compiles it like app code.
  transpilePackages: ['@orbit/engine'],
  turbopack: { root: path.resolve(import.meta.dirname, '../..') },
  // Loaded by Node at run time, never bundled: native addons, the Prisma CLI and the embedded database.
  serverExternalPackages: [
    '@node-rs/argon2',
    '@electric-sql/pglite',
    '@electric-sql/pglite-socket',
    'pg',
    '@prisma/adapter-pg',
    'prisma',
    '@grpc/grpc-js',
    '@grpc/proto-loader',
    '@peculiar/x509',
    'reflect-metadata',
  ],
  poweredByHeader: false,
};

export default config;
