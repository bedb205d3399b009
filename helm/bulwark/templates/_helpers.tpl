{{/*
Expand the name of the chart.
*/}}
{{- define "bulwark.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Create a default fully qualified app name.
We truncate at 63 chars because some Kubernetes name fields are limited to this (by the DNS naming spec).
If release name contains chart name it will be used as a full name.
*/}}
{{- define "bulwark.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Create chart name and version as used by the chart label.
*/}}
{{- define "bulwark.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels
*/}}
{{- define "bulwark.labels" -}}
helm.sh/chart: {{ include "bulwark.chart" . }}
{{ include "bulwark.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Selector labels
*/}}
{{- define "bulwark.selectorLabels" -}}
app.kubernetes.io/name: {{ include "bulwark.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Create the name of the service account to use
*/}}
{{- define "bulwark.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "bulwark.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The Secret holding DB_PASSWORD: database.existingSecret, or the one this chart creates.
*/}}
{{- define "bulwark.databaseSecretName" -}}
{{- default (include "bulwark.fullname" .) .Values.database.existingSecret }}
{{- end }}

{{/*
Milliseconds one dependency's start-up wait can last: the backoff delays after each failed attempt but the
last, min(retryIntervalMs * 2^(n-1), maxBackoffSeconds * 1000), stretched by the jitter, plus attempts
times attemptMs (one failed attempt's own time). Called with a dict: knobs (resilience.database or
resilience.redis), jitter and attemptMs. values.yaml (startupProbe) shows the formula with the numbers.
*/}}
{{- define "bulwark.startupWaitMs" -}}
{{- $attempts := max 1 (int .knobs.maxRetries) }}
{{- $cap := mul (int .knobs.maxBackoffSeconds) 1000 }}
{{- $delay := min (int .knobs.retryIntervalMs) $cap }}
{{- $delays := 0 }}
{{- range until (int (sub $attempts 1)) }}
{{- $delays = add $delays $delay }}
{{- $delay = min (mul $delay 2) $cap }}
{{- end }}
{{- $jittered := mulf $delays (addf 1 .jitter) | ceil | int }}
{{- add $jittered (mul $attempts .attemptMs) }}
{{- end }}

{{/*
Seconds the startupProbe must allow: the database wait, the Redis wait when Redis is required, and
startupProbe.extraSeconds for the JVM and migrations. A database attempt can take config.yml's JDBC
connectTimeout (2 s) plus socketTimeout (5 s); a Redis attempt a connect and a PING, each up to timeoutMs.
*/}}
{{- define "bulwark.startupWindowSeconds" -}}
{{- $r := .Values.resilience }}
{{- $waitMs := include "bulwark.startupWaitMs" (dict "knobs" $r.database "jitter" $r.jitter "attemptMs" 7000) | int }}
{{- if $r.redis.required }}
{{- $redisAttemptMs := mul 2 (int .Values.redis.timeoutMs) }}
{{- $waitMs = add $waitMs (include "bulwark.startupWaitMs" (dict "knobs" $r.redis "jitter" $r.jitter "attemptMs" $redisAttemptMs) | int) }}
{{- end }}
{{- add (div (add $waitMs 999) 1000) (int .Values.startupProbe.extraSeconds) }}
{{- end }}

{{/*
The startupProbe's failureThreshold: enough periods to cover bulwark.startupWindowSeconds.
*/}}
{{- define "bulwark.startupFailureThreshold" -}}
{{- $period := int .Values.startupProbe.periodSeconds }}
{{- div (add (include "bulwark.startupWindowSeconds" . | int) (sub $period 1)) $period }}
{{- end }}

{{/*
How long Kubernetes waits between the preStop hook's start and SIGKILL: the preStop sleep, the readiness wait after
SIGTERM (SHUTDOWN_WAIT_PERIOD_MS, rounded up), the grace for in-flight requests (SHUTDOWN_GRACE_PERIOD_SECONDS) and
a margin for the JVM's exit.
*/}}
{{- define "bulwark.terminationGracePeriodSeconds" -}}
{{- $s := .Values.shutdown -}}
{{- add $s.preStopSleepSeconds (div (add $s.waitPeriodMs 999) 1000) $s.gracePeriodSeconds $s.marginSeconds -}}
{{- end -}}
