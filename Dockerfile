# syntax=docker/dockerfile:1
# Bulwark service image: build the shaded jar with Maven, run it on a JRE as a non-root user, with an AppCDS
# archive from a training run for a faster start (docs/benchmarks.md). Needs BuildKit (Docker's default).
#   docker build -t bulwark .
#   docker run -p 8080:8080 -e DB_URL=... -e DB_PASSWORD=... -e REDIS_URL=... bulwark
# Every setting is an environment variable (see .env.example and docs/configuration.md).

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# The parent POM lists every module, so the reactor needs each module's POM even though only service
# (with resilience, and embedded for its tests) and dev are built. bulwark-dev.jar, with the embedded
# PostgreSQL and Redis, serves only the training run below; the image never carries it.
COPY pom.xml ./
COPY resilience resilience
COPY embedded embedded
COPY service service
COPY toxiproxy-server/pom.xml toxiproxy-server/pom.xml
COPY example/pom.xml example/pom.xml
COPY dev dev
COPY chaos-tests/pom.xml chaos-tests/pom.xml
COPY gatling/pom.xml gatling/pom.xml
RUN mvn -B -q -pl service,dev -am package -DskipTests

FROM eclipse-temurin:17-jre
# A fixed uid/gid, so Kubernetes can check runAsNonRoot and volume ownership (fsGroup) matches.
RUN groupadd --system --gid 10001 bulwark \
 && useradd --system --uid 10001 --gid bulwark --home-dir /app --no-create-home --shell /usr/sbin/nologin bulwark
WORKDIR /app
COPY --from=build /src/service/target/bulwark-service.jar /app/bulwark-service.jar
COPY service/config.yml /app/config.yml
# The AppCDS archive: this JRE and this jar path, as the JVM requires. The training run (deploy/cds-archive)
# uses the dev jar's embedded PostgreSQL and Redis, mounted for this step only: neither the dev jar nor
# what it unpacks (into the tmpfs /tmp) stays in the image.
RUN --mount=type=bind,from=build,source=/src/dev/target/bulwark-dev.jar,target=/mnt/bulwark-dev.jar \
    --mount=type=bind,source=deploy/cds-archive,target=/mnt/cds-archive \
    --mount=type=tmpfs,target=/tmp \
    bash /mnt/cds-archive /app/bulwark-service.jar /mnt/bulwark-dev.jar /app/bulwark.jsa /app/config.yml
USER 10001:10001

# 8080: the API and the probes (/health-check); 8081: admin (health details, metrics, tasks), bound to
# 127.0.0.1 unless ADMIN_BIND_HOST says otherwise, since nothing outside the container needs it by default.
EXPOSE 8080 8081

# Liveness, not readiness: an orchestrator that replaces unhealthy containers must not restart the service
# because PostgreSQL is down (a restart would not bring it back). The check needs no curl or wget, which
# the temurin JRE images no longer promise; bash's /dev/tcp speaks just enough HTTP/1.0 for a status line.
# The port opens only once the dependencies answered and migrations ran; failures in the start period do
# not count, and a longer start-up wait shows as unhealthy until the port opens.
HEALTHCHECK --interval=10s --timeout=3s --start-period=120s --retries=3 \
  CMD bash -c 'exec 3<>"/dev/tcp/127.0.0.1/${HTTP_PORT:-8080}" \
    && printf "GET /health-check?type=alive HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 \
    && head -n 1 <&3 | grep -q " 200 "'

# MaxRAMPercentage: size the heap from the container's memory limit; SharedArchiveFile: the classes of the
# training run, loaded from the archive (a JVM that cannot use it says so and loads them from the jar);
# JAVA_TOOL_OPTIONS adds more flags.
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/bulwark.jsa", "-XX:MaxRAMPercentage=75", "-jar", "/app/bulwark-service.jar"]
CMD ["server", "/app/config.yml"]
