# The Nucleus: Next.js UI + tRPC/REST API + grid control plane. Build from the repository root:
#   docker build -f docker/nucleus.Dockerfile -t orbit-nucleus .
FROM node:20-bookworm-slim AS build
WORKDIR /orbit
# node-gyp builds zstd-napi; everything else arrives prebuilt from the npm registry.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json turbo.json tsconfig.base.json ./
COPY apps/nucleus-web/package.json apps/nucleus-web/
COPY apps/star/package.json apps/star/
COPY packages/engine/package.json packages/engine/
COPY packages/proto/package.json packages/proto/
RUN npm ci --no-audit --no-fund
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1 DATABASE_URL=postgresql://localhost/unused-at-build
RUN cd apps/nucleus-web \
 && node --require ../../prisma/cli/unref-long-timers.cjs ../../node_modules/prisma/build/index.js generate \
 && node ../../node_modules/next/dist/bin/next build

FROM node:20-bookworm-slim
WORKDIR /orbit
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 ORBIT_DATA_DIR=/var/lib/orbit
COPY --from=build /orbit /orbit
COPY docker/nucleus-entrypoint.sh /usr/local/bin/orbit-nucleus
RUN chmod +x /usr/local/bin/orbit-nucleus && mkdir -p /var/lib/orbit
VOLUME /var/lib/orbit
# 3000: web UI and APIs; 7443: Star enrolment; 7444: Star control sessions (mutual TLS).
EXPOSE 3000 7443 7444
HEALTHCHECK --interval=10s --timeout=3s --retries=6 CMD node -e "fetch('http://127.0.0.1:3000/api/ready').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
ENTRYPOINT ["orbit-nucleus"]
