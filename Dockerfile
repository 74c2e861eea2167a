# syntax=docker/dockerfile:1
# One image for every process of the platform; its command selects the role:
#   docker run IMAGE gateway                the gateway alone (departments at SUBGRAPH_<NAME>_URL)
#   docker run IMAGE subgraph household     one department
# docs/operations.md ("Production topology") lists what each role needs.

# Node 20: the version the tests and CI run on (better-sqlite3 12 supports it).
ARG NODE_IMAGE=node:20-bookworm

# Dependencies, with the build tools better-sqlite3 falls back to when no prebuilt binary fits.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# The runtime: no compiler, no npm cache, no tests or benchmarks, not root.
FROM ${NODE_IMAGE}-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    DATA_DIR=/var/lib/gd-assistance
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY bin ./bin
COPY gateway ./gateway
COPY lib ./lib
COPY schema ./schema
COPY subgraphs ./subgraphs
# The data folder is the only place the processes write (embedded databases when DATABASE_URL is
# unset); the code stays owned by root and read-only to the user the processes run as.
RUN mkdir -p "$DATA_DIR" && chown node:node "$DATA_DIR"
VOLUME ["/var/lib/gd-assistance"]
USER node
EXPOSE 4000 4001 4002 4003 4004 4005 4006
ENTRYPOINT ["bin/serve.sh"]
CMD ["gateway"]
