#!/bin/sh
# Production start: apply pending migrations, then serve. DATABASE_URL is required here; the
# embedded database is for the quick start only.
set -eu
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL the Nucleus should use}"
: "${NEXTAUTH_SECRET:?set NEXTAUTH_SECRET (openssl rand -hex 32)}"
: "${ORBIT_AUDIT_KEY:?set ORBIT_AUDIT_KEY (openssl rand -hex 32)}"
cd /orbit/apps/nucleus-web
node --require ../../prisma/cli/unref-long-timers.cjs ../../node_modules/prisma/build/index.js migrate deploy
exec node ../../node_modules/next/dist/bin/next start -p "${PORT:-3000}"
