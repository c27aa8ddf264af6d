# syntax=docker/dockerfile:1
# A small image of depaudit itself, for `docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/src"
# depaudit --offline . Dockerfile`. The builder compiles it from this repository with
# Debian's libraries and the pinned grammar packages; the runtime image holds only the
# binary (the metadata snapshot is compiled in), its shared libraries and CA certificates.
FROM debian:bookworm-slim AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential cmake pkg-config \
       libcurl4-openssl-dev libcjson-dev libzip-dev libtree-sitter-dev libyaml-dev zlib1g-dev \
       npm python3 ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /depaudit
COPY grammars/package.json grammars/package-lock.json grammars/
RUN cd grammars && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
COPY . .
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release -DDEPAUDIT_TESTS=OFF \
    && cmake --build /build -j"$(nproc)" \
    && DESTDIR=/out cmake --install /build --prefix /usr/local --strip

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libcurl4 libcjson1 libzip4 \
       libtree-sitter0 libyaml-0-2 zlib1g ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/usr/local/bin/depaudit /usr/local/bin/depaudit
COPY --from=build /out/usr/local/share/man/man1/depaudit.1.gz /usr/local/share/man/man1/
# Not root: the mounted project is read with the caller's uid (-u) or this one.
USER 65532:65532
WORKDIR /src
ENTRYPOINT ["depaudit"]
CMD ["--help"]
