# roleplay in a container: a terminal voice agent on one warm local LLM.
#
# Build:
#   docker build -t roleplay .
#   docker build --build-arg KEEP_GPU_BINARIES=1 -t roleplay:gpu .   # keep node-llama-cpp's CUDA/Vulkan builds
#
# Models live in the /models volume (ROLEPLAY_MODELS_DIR=/models): `roleplay pull` downloads there,
# and ROLEPLAY_MODEL (or --model) names the GGUF file to chat with:
#   docker run --rm -it --init -v "$PWD/models:/models" \
#     -e ROLEPLAY_MODEL=/models/your-model.Q4_K_M.gguf roleplay
#   docker run --rm -i --init -v "$PWD/models:/models" \
#     -e ROLEPLAY_MODEL=/models/your-model.Q4_K_M.gguf roleplay -p "Hello there"   # headless
#
# Other settings follow the same pattern (ROLEPLAY_LLM_THREADS, ROLEPLAY_LLM_CONTEXT_SIZE,
# ROLEPLAY_TTS_ENGINE, ...; `roleplay config` prints them all). Sound: pass the ALSA devices with
# `--device /dev/snd` (the user is in the audio group); without them use -p, WAV files or
# `--audio-out none`. Conversations and logs go to /home/roleplay/.local: mount a volume there to
# keep them. A bind-mounted /models must be writable by the container user (or run with
# `--user "$(id -u):$(id -g)"`). `--init` reaps the PTY children and forwards signals.

ARG NODE_VERSION=20

# ---- build: compile the native addons, bundle the CLI, drop dev dependencies ----
FROM node:${NODE_VERSION}-bookworm AS build

# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ libasound2-dev \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# A portable image: no -march=native whisper build (it would only run on the build machine's CPU),
# and never build llama.cpp from source when a prebuilt binary is missing.
ENV ROLEPLAY_WHISPER_FAST=0 \
    NODE_LLAMA_CPP_SKIP_DOWNLOAD=true \
    npm_config_update_notifier=false

# .npmrc holds onnxruntime-node-install=skip (no CUDA download for onnxruntime-node).
COPY package.json package-lock.json .npmrc ./
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund

COPY tsconfig.json tsup.config.ts ./
COPY src ./src
COPY config ./config
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# Keep only this platform's llama.cpp build (and its GPU builds on request) and onnxruntime's Linux
# binaries; drop compiler intermediates. Saves several hundred MB.
ARG KEEP_GPU_BINARIES=0
RUN set -eu; \
    case "$(uname -m)" in \
      x86_64) arch=x64 ;; \
      aarch64) arch=arm64 ;; \
      armv7l) arch=armv7l ;; \
      *) arch=unknown ;; \
    esac; \
    for dir in node_modules/@node-llama-cpp/*; do \
      name="$(basename "$dir")"; \
      case "$name" in \
        "linux-$arch") ;; \
        "linux-$arch-"*) if [ "$KEEP_GPU_BINARIES" != "1" ]; then rm -rf "$dir"; fi ;; \
        *) if [ "$arch" != "unknown" ]; then rm -rf "$dir"; fi ;; \
      esac; \
    done; \
    rm -rf node_modules/onnxruntime-node/bin/napi-v*/darwin node_modules/onnxruntime-node/bin/napi-v*/win32; \
    find node_modules -type d -path '*/build/Release/obj.target' -prune -exec rm -rf {} +

# ---- runtime: Node, the speech programs, the app; runs as a non-root user ----
FROM node:${NODE_VERSION}-bookworm-slim AS runtime

# espeak-ng: the default voice; sox/alsa-utils: microphone capture (rec/arecord) and `roleplay doctor`;
# libasound2: the speaker addon; ca-certificates: `roleplay pull` over HTTPS.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends espeak-ng sox libsox-fmt-alsa alsa-utils libasound2 ca-certificates \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system roleplay \
 && useradd --system --gid roleplay --groups audio --create-home --home-dir /home/roleplay --shell /usr/sbin/nologin roleplay \
 && mkdir -p /models \
 && chown roleplay:roleplay /models

WORKDIR /app

ENV NODE_ENV=production \
    ROLEPLAY_MODELS_DIR=/models

# The app stays owned by root: the roleplay user can run it, not change it.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/config ./config

USER roleplay
VOLUME ["/models"]

ENTRYPOINT ["node", "/app/dist/cli.js"]
