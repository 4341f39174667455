#!/bin/bash
# Writes /opt/kafka/server.properties from the KAFKA_* environment (the apache/kafka image's
# convention), formats KAFKA_LOG_DIRS with CLUSTER_ID unless it is formatted already (a restart over
# the same volume keeps its data), then runs the broker in the foreground.
set -euo pipefail
props=/opt/kafka/server.properties
: > "$props"
while IFS='=' read -r name value; do
  case "$name" in
    KAFKA_HEAP_OPTS|KAFKA_OPTS|KAFKA_JVM_OPTS) continue ;;
    KAFKA_*) key="${name#KAFKA_}"; key="${key,,}"; key="${key//___/-}"; key="${key//__/@}"; key="${key//_/.}"; key="${key//@/_}"
             printf '%s=%s\n' "$key" "$value" >> "$props" ;;
  esac
done < <(env)
grep -q '^log.dirs=' "$props" || echo "log.dirs=/var/lib/kafka/data" >> "$props"
cp=/opt/kafka/libs/*
logdirs="$(sed -n 's/^log.dirs=//p' "$props")"
if [[ ! -f "${logdirs%%,*}/meta.properties" ]]; then
  java -cp "$cp" kafka.tools.StorageTool format -t "${CLUSTER_ID:?set CLUSTER_ID (a base64 UUID)}" -c "$props" --ignore-formatted
fi
exec java ${KAFKA_HEAP_OPTS:--Xmx512m} ${KAFKA_JVM_OPTS:-} ${KAFKA_OPTS:-} -Dorg.slf4j.simpleLogger.defaultLogLevel=info \
  -Dorg.slf4j.simpleLogger.log.kafka=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn \
  -cp "$cp" kafka.Kafka "$props"
