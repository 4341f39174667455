# syntax=docker/dockerfile:1
# The sluice image, one for every sluice service: `docker run sluice:local <command>`.
# docker-compose.yml builds it as sluice:local; by hand: `docker build -t sluice:local .`

# Build with the project's Maven wrapper, as on a developer machine; tests run elsewhere (./mvnw -B verify).
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -DskipTests package

# Runtime: a JRE, sluice.jar and the lib/ directory its manifest Class-Path points at.
FROM eclipse-temurin:21-jre
RUN useradd --system --uid 10001 --no-create-home sluice
WORKDIR /opt/sluice
COPY --from=build /src/cli/target/lib/ lib/
COPY --from=build /src/cli/target/sluice.jar sluice.jar
USER sluice
ENTRYPOINT ["java", "-jar", "sluice.jar"]
CMD ["--help"]
