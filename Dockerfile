# The dev node in a container (not built here: this machine has no Docker
# engine). Build: docker build -t sequencer .   Run: docker run -p 8545:8545 -v seqdata:/data sequencer
FROM swift:6.3-noble AS build
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
COPY Fuzz ./Fuzz
RUN swift build -c release --product sequencer --static-swift-stdlib \
 && cp "$(swift build -c release --show-bin-path)/sequencer" /sequencer

FROM ubuntu:24.04
RUN apt-get update \
 && apt-get install -y --no-install-recommends libstdc++6 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --create-home sequencer \
 && mkdir -p /data && chown sequencer /data
COPY --from=build /sequencer /usr/local/bin/sequencer
USER sequencer
VOLUME /data
EXPOSE 8545 8546
HEALTHCHECK --interval=10s --timeout=2s CMD curl -fsS http://127.0.0.1:8545/health || exit 1
ENTRYPOINT ["sequencer"]
CMD ["--host", "0.0.0.0", "--port", "8545", "--l1-port", "8546", "--data-dir", "/data"]
