# Passkey Helpdesk as a container image (docs/deploy.md#container-image).
# Built in two stages: the build stage has the compilers (TypeScript, better-sqlite3's native build);
# the runtime stage has only production dependencies and runs as a non-root user.
# Not built in this project's CI: no base image can be pulled offline there (docs/deploy.md says what was checked).

ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY scripts ./scripts
COPY bench ./bench
COPY test ./test
# tsc emits JavaScript only: data files read next to the code (e.g. language corpora) are copied beside it.
RUN npm run build \
 && (cd src && find . -name '*.json' -exec install -D -m 0644 {} ../dist/src/{} \;) \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PASSKEY_HELPDESK_MODE=tenant \
    PORT=3978 \
    DATA_DIR=/data \
    LOG_FORMAT=json
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# Runtime assets read from the project root: card templates, the Teams manifest and icons, the demo fixture.
COPY adaptiveCards ./adaptiveCards
COPY appPackage ./appPackage
COPY --from=build /app/src/demoTenant/fixtures ./src/demoTenant/fixtures
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3978
# Liveness: /healthz answers 200 when storage and Graph answer (docs/deploy.md#operations). Node has fetch built in.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3978)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM reaches node directly (exec form, PID 1): the bot drains for up to 10 s and exits 0.
CMD ["node", "dist/src/cli/main.js", "start"]
