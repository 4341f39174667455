# syntax=docker/dockerfile:1
# Two images from one build:
#   sluice:local          (target "sluice", the default) every sluice service: `docker run sluice:local <command>`
#   sluice-connect:local  (target "connect") the Debezium Kafka Connect worker with sluice's Avro converter
# docker-compose.yml builds both; by hand: `docker build -t sluice:local .` and
# `docker build --target connect -t sluice-connect:local .`
# The base images are build arguments (defaults: the official images), so a machine with its own
# mirror or local images builds the same layout: --build-arg RUNTIME_IMAGE=... and so on.
ARG RUNTIME_IMAGE=eclipse-temurin:21-jre
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-21
ARG CONNECT_IMAGE=quay.io/debezium/connect:3.6.1.Final

# The runtime layout every sluice image shares: a JRE, an unprivileged user, /opt/sluice with
# sluice.jar and the lib/ directory its manifest Class-Path points at, `java -jar sluice.jar`.
FROM ${RUNTIME_IMAGE} AS runtime
RUN useradd --system --uid 10001 --no-create-home sluice
WORKDIR /opt/sluice
ENTRYPOINT ["java", "-jar", "sluice.jar"]
CMD ["--help"]

# The same image from jars already built on this machine (./mvnw package), for builders without
# BuildKit, which cannot run the cache mounts below. Build it with cli/target as the context:
#   docker build -f Dockerfile --target prebuilt --build-arg RUNTIME_IMAGE=... -t sluice:local cli/target
# (Kept before the build stage: a builder without BuildKit builds every stage up to its target.)
FROM runtime AS prebuilt
COPY lib/ lib/
COPY sluice.jar sluice.jar
USER sluice

# Build with the project's Maven wrapper, as on a developer machine; tests run elsewhere (./mvnw -B verify).
FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -DskipTests package
# The converter as a Connect plugin directory: the sluice-schemas jar and what it needs at run time.
# The worker brings Kafka's own jars (kafka-clients with its compression libraries, connect-api) and
# SLF4J, so the plugin leaves those out, and kafka-streams with RocksDB, which the converter does not use.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -pl schemas dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory=/src/connect-plugin \
        -DexcludeGroupIds=org.apache.kafka,org.slf4j,org.rocksdb,com.github.luben,at.yawk.lz4,org.xerial.snappy \
    && find schemas/target -maxdepth 1 -name 'sluice-schemas-*.jar' ! -name '*-tests.jar' ! -name '*-sources.jar' \
        -exec cp {} /src/connect-plugin/ \;

# Kafka Connect with the Debezium connectors (the same Debezium version as in pom.xml) and sluice's
# converter, io.sluice.schemas.connect.AvroConverter, which connect-config/mongodb-users-source.json
# names. /kafka/connect is the image's plugin path; each directory in it is one isolated plugin.
FROM ${CONNECT_IMAGE} AS connect
COPY --from=build /src/connect-plugin/ /kafka/connect/sluice-avro-converter/

# Runtime: the layout above with the jars of the build stage.
FROM runtime AS sluice
COPY --from=build /src/cli/target/lib/ lib/
COPY --from=build /src/cli/target/sluice.jar sluice.jar
USER sluice
