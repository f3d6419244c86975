# Multi-stage build: Maven builds the fat jar, a slim JRE runs it as a non-root user.
#   docker build -t change-server .
#   docker run -p 8008:8008 -p 127.0.0.1:8009:8009 change-server          # conf/docker.json: whole topology, 0.0.0.0
#   docker run -v $PWD/conf:/app/conf:ro change-server -conf conf/my.json  # your own config
# Roles as separate containers, and Kubernetes (deploy/kubernetes): see README "Container". Never publish the admin port (8009) or the cluster ports
# (Hazelcast 5701+, event bus) beyond a private network.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src/main ./src/main
RUN mvn -B -q package -DskipTests -Dcds.skip=true

FROM eclipse-temurin:17-jre-jammy
# tini is PID 1: it forwards SIGTERM to java and reaps orphans (a chain-worker JVM whose plugin JVM was killed is
# re-parented to PID 1, which a JVM would never wait for). `docker run --init` does the same for an image without it.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin changeserver
WORKDIR /app
COPY --from=build /src/target/change-server.jar /app/change-server.jar
COPY conf /app/conf
# The class-data archive must be written by the JVM that will map it: this image's, for this jar at this path.
RUN java -jar /app/change-server.jar train-class-data
USER changeserver
EXPOSE 8008 8009
# No curl in the image (one package less to patch): bash's /dev/tcp asks the admin port's /health.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8009 && printf \"GET /health HTTP/1.0\\r\\n\\r\\n\" >&3 && grep -q UP <&3"]
# The hub and admin bind 127.0.0.1 by default, unreachable from outside a container: the default config binds 0.0.0.0.
# No heap option: the jar relaunches itself with the heap of its role from the config (supervisor.heapMb).
# Any config key can also be set by a CHANGE_SERVER_* variable (README "Configuration"): one image for every role,
#   docker run -e CHANGE_SERVER_role=hub -e CHANGE_SERVER_hub__port=9000 change-server
ENTRYPOINT ["/usr/bin/tini", "--", "java", "-jar", "/app/change-server.jar"]
CMD ["-conf", "conf/docker.json"]
