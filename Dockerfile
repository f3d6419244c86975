# Multi-stage build: Maven builds the fat jar, a slim JRE runs it as a non-root user.
#   docker build -t change-server .
#   docker run -p 8008:8008 -p 127.0.0.1:8009:8009 change-server          # conf/docker.json: whole topology, 0.0.0.0
#   docker run -v $PWD/conf:/app/conf:ro change-server -conf conf/my.json  # your own config
# Roles as separate containers: see README "Container". Never publish the admin port (8009) or the cluster ports
# (Hazelcast 5701+, event bus) beyond a private network.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src/main ./src/main
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre-jammy
# curl only for the HEALTHCHECK.
# hadolint ignore=DL3008
RUN apt-get update \
  && apt-get install -y --no-install-recommends curl \
  && rm -rf /var/lib/apt/lists/* \
  && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin changeserver
WORKDIR /app
COPY --from=build /src/target/change-server.jar /app/change-server.jar
COPY conf /app/conf
USER changeserver
EXPOSE 8008 8009
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s CMD curl -fsS http://127.0.0.1:8009/health || exit 1
# The hub and admin bind 127.0.0.1 by default, unreachable from outside a container: the default config binds 0.0.0.0.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/change-server.jar"]
CMD ["-conf", "conf/docker.json"]
