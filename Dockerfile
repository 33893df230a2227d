# pairgrid image: the `pairgrid` CLI, run as `coordinator` or `worker` (see docker-compose.yml).
#   docker build -t pairgrid .
#   docker run --rm pairgrid worker --redis redis://HOST:6379 --threads 4

# --- build: install from the lockfile and compile every workspace -----------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
# The whole repository (minus .dockerignore): `npm ci` runs the root `prepare` script (the
# WebAssembly kernels into libs/engine/dist/wasm, then `tsc -b`), which needs every workspace's
# sources and tsconfig.
COPY . .
RUN npm ci --no-audit --no-fund \
 && npx tsc -b

# --- runtime: node_modules, package.json files, compiled output and the CLI launcher ----------
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
# node_modules/@pairgrid/* are symlinks to ../../libs/* and ../../apps/*; COPY keeps them as links,
# and the folders they point at are filled below.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/libs/stats/package.json ./libs/stats/package.json
COPY --from=build /app/libs/stats/dist ./libs/stats/dist
COPY --from=build /app/libs/engine/package.json ./libs/engine/package.json
COPY --from=build /app/libs/engine/dist ./libs/engine/dist
COPY --from=build /app/libs/resultsdb/package.json ./libs/resultsdb/package.json
COPY --from=build /app/libs/resultsdb/dist ./libs/resultsdb/dist
COPY --from=build /app/libs/cluster/package.json ./libs/cluster/package.json
COPY --from=build /app/libs/cluster/dist ./libs/cluster/dist
COPY --from=build /app/libs/threads/package.json ./libs/threads/package.json
COPY --from=build /app/libs/threads/dist ./libs/threads/dist
COPY --from=build /app/libs/jobs/package.json ./libs/jobs/package.json
COPY --from=build /app/libs/jobs/dist ./libs/jobs/dist
COPY --from=build /app/apps/worker/package.json ./apps/worker/package.json
COPY --from=build /app/apps/worker/dist ./apps/worker/dist
COPY --from=build /app/apps/cli/package.json ./apps/cli/package.json
COPY --from=build /app/apps/cli/dist ./apps/cli/dist
COPY --from=build /app/apps/cli/bin ./apps/cli/bin
COPY --from=build /app/apps/coordinator/package.json ./apps/coordinator/package.json
COPY --from=build /app/apps/coordinator/dist ./apps/coordinator/dist
# the dashboard's page, styles and compiled scripts (routes/dashboard.ts serves them from here)
COPY --from=build /app/apps/coordinator/ui/static ./apps/coordinator/ui/static
COPY --from=build /app/apps/coordinator/ui/dist ./apps/coordinator/ui/dist
# /data: the coordinator's DuckDB file and column cache. Created here, owned by `node`, so that a
# fresh named volume mounted on it starts with that owner.
RUN mkdir -p /data && chown node:node /data
USER node
ENTRYPOINT ["node", "apps/cli/bin/pairgrid.js"]
CMD ["--help"]
