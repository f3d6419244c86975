# Multi-stage build: Maven builds the fat jar, a slim JRE runs it as a non-root user.
# Roles as separate containers on one network (cluster.host must be the container's own address then):
#   docker network create cs
#   docker run -d --network cs --name fake -v $PWD/conf:/app/conf change-server -cluster -conf conf/plugin-fake.json
#   docker run -d --network cs --name hub -p 8008:8008 -v $PWD/conf:/app/conf change-server -cluster -conf conf/hub.json
# Cluster ports (5701+, event bus) must stay on the private network: never publish them.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q clean package -DskipTests

FROM eclipse-temurin:17-jre-jammy
RUN useradd --system --uid 10001 --home-dir /app changeserver \
  && apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/target/change-server.jar /app/change-server.jar
COPY conf /app/conf
USER changeserver
EXPOSE 8008 8009
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s CMD curl -fsS http://127.0.0.1:8009/health || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/change-server.jar"]
