# The three images of the project from one file (classic builder compatible: no BuildKit syntax).
#
#   docker build --target backend -t backend-api:v1 .
#   docker build --target data    -t data-api:v1 .
#   docker build --target health  -t health-check:v1 .
#
# Build args: VERSION and GIT_COMMIT (baked into the binaries, shown by /version and the labels),
# SOURCE_URL (label), BUILD_IMAGE and RUNTIME_IMAGE (the base images; the container tests swap in
# local stand-ins, see test/containers/fixture/).

ARG BUILD_IMAGE=oven/bun:1.4.5
# The compiled binaries link only glibc (`ldd dist/backend-api`: libc, libm, libdl, libpthread and
# the loader), so distroless "base" is enough: "cc" would only add libstdc++/libgcc we never load,
# and "static" lacks glibc.
ARG RUNTIME_IMAGE=gcr.io/distroless/base-debian12:nonroot

# One build stage compiles all three programs: the classic builder runs every stage before the
# target anyway, and the three `docker build --target` calls then share this cached stage.
FROM ${BUILD_IMAGE} AS build
WORKDIR /app
# Manifests first, so the dependency layer is reused until package.json or bun.lock change.
# Compiling needs only the runtime dependencies (bun bundles them into the binaries).
COPY package.json bun.lock bunfig.toml ./
RUN bun install --frozen-lockfile --production && bun pm cache rm
COPY tsconfig.json ./
# Only the build script and its process helper: the other scripts/ must not bust this cache.
COPY scripts/build.ts scripts/process.ts scripts/
COPY src/ src/
# Bun bakes NODE_ENV into the binary at compile time (scripts/build.ts sets it as well).
ENV NODE_ENV=production
# Declared after the sources so that a new commit only re-runs the compile step; RUN sees them as
# environment variables, which scripts/build.ts bakes in. An empty VERSION means package.json's;
# GIT_COMMIT defaults here because the build image has no git (and the context no .git).
ARG VERSION
ARG GIT_COMMIT=unknown
RUN bun run scripts/build.ts backend data health --outdir /out && mkdir -p /out/logs

# What every final image shares: the non-root numeric user and the OCI labels.
FROM ${RUNTIME_IMAGE} AS runtime
ARG VERSION
ARG GIT_COMMIT=unknown
ARG SOURCE_URL
LABEL org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${GIT_COMMIT}" \
      org.opencontainers.image.vendor="small-services"
USER 65532:65532

FROM runtime AS backend
LABEL org.opencontainers.image.title="backend-api" \
      org.opencontainers.image.description="Backend API (Bun + Elysia, compiled single binary)"
# Writable for 65532 so a plain `docker run` works; the manifests mount an emptyDir here.
COPY --from=build --chown=65532:65532 /out/logs /logs
COPY --from=build /out/backend-api /usr/local/bin/backend-api
EXPOSE 5000
ENTRYPOINT ["/usr/local/bin/backend-api"]

FROM runtime AS data
LABEL org.opencontainers.image.title="data-api" \
      org.opencontainers.image.description="Data API (Bun + Elysia, compiled single binary)"
COPY --from=build --chown=65532:65532 /out/logs /logs
COPY --from=build /out/data-api /usr/local/bin/data-api
EXPOSE 5000
ENTRYPOINT ["/usr/local/bin/data-api"]

FROM runtime AS health
LABEL org.opencontainers.image.title="health-check" \
      org.opencontainers.image.description="Health check run by the CronJob (health-check, health-check show)"
COPY --from=build /out/health-check /usr/local/bin/health-check
ENTRYPOINT ["/usr/local/bin/health-check"]
