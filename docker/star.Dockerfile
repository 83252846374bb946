# A Star: the Deno agent that sits next to the data. Build from the repository root:
#   docker build -f docker/star.Dockerfile -t orbit-star .
# Deno comes from the npm package `deno`; the Star runs with `deno run` and explicit permissions.
FROM node:20-bookworm-slim AS build
WORKDIR /orbit
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json turbo.json tsconfig.base.json ./
COPY apps/nucleus-web/package.json apps/nucleus-web/
COPY apps/star/package.json apps/star/
COPY packages/engine/package.json packages/engine/
COPY packages/proto/package.json packages/proto/
RUN npm ci --no-audit --no-fund --workspace @orbit/star --include-workspace-root
COPY apps/star apps/star
COPY packages packages
COPY scripts scripts

FROM node:20-bookworm-slim
WORKDIR /orbit
COPY --from=build /orbit /orbit
COPY docker/star-entrypoint.sh /usr/local/bin/orbit-star
RUN chmod +x /usr/local/bin/orbit-star && mkdir -p /var/lib/orbit-star /data
VOLUME ["/var/lib/orbit-star", "/data"]
# The data plane: other Stars push chunks here (TLS, tickets signed by the Nucleus).
EXPOSE 7450
ENTRYPOINT ["orbit-star"]
