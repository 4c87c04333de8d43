{{/*
Names and labels.
*/}}

{{/* Chart name, truncated to the 63-character DNS label limit. */}}
{{- define "vigil.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Release-qualified name; the release name alone if it already contains the chart name. */}}
{{- define "vigil.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "vigil.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "vigil.selectorLabels" -}}
app.kubernetes.io/name: {{ include "vigil.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "vigil.labels" -}}
helm.sh/chart: {{ include "vigil.chart" . }}
{{ include "vigil.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: vigil
{{- end -}}

{{/*
Per-component helpers take (dict "root" $ "name" "<component>"): a service name or "migrate".
*/}}

{{/* "<fullname>-<component>", the fullname shortened so the result fits 63 characters. */}}
{{- define "vigil.componentName" -}}
{{- $max := int (sub 62 (len .name)) -}}
{{- printf "%s-%s" (include "vigil.fullname" .root | trunc $max | trimSuffix "-") .name -}}
{{- end -}}

{{- define "vigil.componentSelectorLabels" -}}
{{ include "vigil.selectorLabels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "vigil.componentLabels" -}}
{{ include "vigil.labels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{/*
Image reference. Takes (dict "root" $ "name" "<image suffix>" "image" <override map or nil>):
"<image.repository>-<name>:<image.tag or appVersion>" unless the override gives repository/tag.
*/}}
{{- define "vigil.image" -}}
{{- $override := .image | default (dict) -}}
{{- $repository := $override.repository | default (printf "%s-%s" .root.Values.image.repository .name) -}}
{{- $tag := $override.tag | default .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- printf "%s:%s" $repository (toString $tag) -}}
{{- end -}}

{{/*
An environment variable value, quoted. YAML numbers reach templates as float64 and would print
in exponent notation (1e+06), so whole numbers are printed as integers.
*/}}
{{- define "vigil.envValue" -}}
{{- if kindIs "float64" . -}}
{{- . | int64 | toString | quote -}}
{{- else -}}
{{- . | toString | quote -}}
{{- end -}}
{{- end -}}

{{/*
Shutdown and termination. Both take (dict "root" $ "svc" <service values>).
*/}}

{{/* The service's effective SHUTDOWN_TIMEOUT_MS: services.<name>.env overrides config. */}}
{{- define "vigil.shutdownTimeoutMs" -}}
{{- $env := .svc.env | default (dict) -}}
{{- get $env "SHUTDOWN_TIMEOUT_MS" | default .root.Values.config.shutdownTimeoutMs | int64 -}}
{{- end -}}

{{/*
terminationGracePeriodSeconds: must outlast the preStop sleep plus the graceful drain, or the
kubelet SIGKILLs a pod that is still finishing in-flight messages.
*/}}
{{- define "vigil.terminationGracePeriodSeconds" -}}
{{- $drain := div (add (include "vigil.shutdownTimeoutMs" .) 999) 1000 -}}
{{- $minimum := add $drain (int .root.Values.preStopSleepSeconds) -}}
{{- $explicit := .svc.terminationGracePeriodSeconds | default .root.Values.terminationGracePeriodSeconds -}}
{{- if $explicit -}}
{{- if le (int64 $explicit) $minimum -}}
{{- fail (printf "terminationGracePeriodSeconds (%d) must exceed ceil(SHUTDOWN_TIMEOUT_MS / 1000) + preStopSleepSeconds (%d)" (int64 $explicit) $minimum) -}}
{{- end -}}
{{- int64 $explicit -}}
{{- else -}}
{{- add $minimum 10 -}}
{{- end -}}
{{- end -}}

{{/*
Environment wiring.
*/}}

{{/* NATS_URL from nats.existingSecret, else the plain URL. Takes the root context. */}}
{{- define "vigil.natsUrlEnv" -}}
{{- if .Values.nats.existingSecret -}}
- name: NATS_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.nats.existingSecret }}
      key: {{ .Values.nats.existingSecretKey | default "NATS_URL" }}
{{- else -}}
- name: NATS_URL
  value: {{ .Values.nats.url | quote }}
{{- end -}}
{{- end -}}

{{/*
DATABASE_URL from postgres.existingSecret, else from the chart's Secret named secretName.
Takes (dict "root" $ "secretName" "<name>").
*/}}
{{- define "vigil.databaseUrlEnv" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      {{- if .root.Values.postgres.existingSecret }}
      name: {{ .root.Values.postgres.existingSecret }}
      key: {{ .root.Values.postgres.existingSecretKey | default "DATABASE_URL" }}
      {{- else }}
      name: {{ .secretName }}
      key: DATABASE_URL
      {{- end }}
{{- end -}}

{{/* services.notifier.webhooks.urls as one comma-separated string (a list or a string in values). */}}
{{- define "vigil.webhookUrls" -}}
{{- $urls := .urls | default (list) -}}
{{- if kindIs "string" $urls -}}
{{- $urls | trim -}}
{{- else -}}
{{- join "," $urls -}}
{{- end -}}
{{- end -}}

{{/* NOTIFIER_WEBHOOK_URLS for the notifier, or nothing. Takes (dict "root" $ "svc" <notifier values>). */}}
{{- define "vigil.webhookUrlsEnv" -}}
{{- $webhooks := .svc.webhooks | default (dict) -}}
{{- if $webhooks.existingSecret -}}
- name: NOTIFIER_WEBHOOK_URLS
  valueFrom:
    secretKeyRef:
      name: {{ $webhooks.existingSecret }}
      key: {{ $webhooks.existingSecretKey | default "NOTIFIER_WEBHOOK_URLS" }}
{{- else if include "vigil.webhookUrls" $webhooks -}}
- name: NOTIFIER_WEBHOOK_URLS
  valueFrom:
    secretKeyRef:
      name: {{ include "vigil.fullname" .root }}
      key: NOTIFIER_WEBHOOK_URLS
{{- end -}}
{{- end -}}

{{/*
One container of the migrations Job (the cli image). Takes
(dict "root" $ "command" "migrate|provision" "image" "<ref>" "secretName" "<hook Secret>").
The Job runs before the chart's ConfigMap exists, so its environment is inline.
*/}}
{{- define "vigil.migrationsContainer" -}}
- name: {{ .command }}
  image: {{ .image | quote }}
  imagePullPolicy: {{ .root.Values.image.pullPolicy }}
  args:
    - {{ .command | quote }}
  env:
    {{- include "vigil.natsUrlEnv" .root | nindent 4 }}
    {{- include "vigil.databaseUrlEnv" (dict "root" .root "secretName" .secretName) | nindent 4 }}
    - name: LOG_LEVEL
      value: {{ .root.Values.config.logLevel | quote }}
    - name: VIGIL_SUBJECT_PREFIX
      value: {{ .root.Values.config.subjectPrefix | toString | quote }}
    - name: NATS_STREAM_REPLICAS
      value: {{ .root.Values.config.streamReplicas | int64 | quote }}
    {{- with .root.Values.config.nodeOptions }}
    - name: NODE_OPTIONS
      value: {{ . | quote }}
    {{- end }}
    {{- with .root.Values.extraEnv }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with .root.Values.extraEnvFrom }}
  envFrom:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .root.Values.migrations.resources }}
  resources:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .root.Values.securityContext }}
  securityContext:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  volumeMounts:
    - name: tmp
      mountPath: /tmp
    {{- with .root.Values.extraVolumeMounts }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}

{{/*
Fails the render, naming the value, when the configuration cannot work. Takes the root context.
*/}}
{{- define "vigil.validate" -}}
{{- $known := list "query" "ingest" "classifier" "correlator" "notifier" -}}
{{- if not (or .Values.postgres.url .Values.postgres.existingSecret) -}}
{{- fail "postgres.url or postgres.existingSecret (a Secret holding a postgres:// DATABASE_URL) is required" -}}
{{- end -}}
{{- if and .Values.postgres.url (not .Values.postgres.existingSecret) (not (regexMatch "^postgres(ql)?://[^\\s]+$" .Values.postgres.url)) -}}
{{- fail "postgres.url must be a postgres:// URL" -}}
{{- end -}}
{{- if not (or .Values.nats.url .Values.nats.existingSecret) -}}
{{- fail "nats.url or nats.existingSecret is required" -}}
{{- end -}}
{{- if and .Values.nats.url (not .Values.nats.existingSecret) -}}
{{- range splitList "," .Values.nats.url -}}
{{- if not (regexMatch "^(nats|tls|wss?)://[^\\s]+$" .) -}}
{{- fail (printf "nats.url: %q is not a nats://, tls:// or ws(s):// URL (comma-separate several, no spaces)" .) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if not (has .Values.config.logLevel (list "error" "warn" "info" "debug" "verbose")) -}}
{{- fail (printf "config.logLevel must be one of error, warn, info, debug, verbose (got %v)" .Values.config.logLevel) -}}
{{- end -}}
{{- if not (regexMatch "^[A-Za-z0-9_-]*$" (toString .Values.config.subjectPrefix)) -}}
{{- fail "config.subjectPrefix may contain only letters, digits, \"_\" and \"-\"" -}}
{{- end -}}
{{- if not (has (int64 .Values.config.streamReplicas) (list 1 3 5)) -}}
{{- fail (printf "config.streamReplicas must be 1, 3 or 5 (got %v)" .Values.config.streamReplicas) -}}
{{- end -}}
{{- range $name, $svc := .Values.services -}}
{{- if not (has $name $known) -}}
{{- fail (printf "services.%s: unknown service (the chart deploys query, ingest, classifier, correlator and notifier)" $name) -}}
{{- end -}}
{{- $autoscaling := $svc.autoscaling | default (dict) -}}
{{- if and $svc.enabled $autoscaling.enabled -}}
{{- if gt (int ($autoscaling.minReplicas | default 1)) (int $autoscaling.maxReplicas) -}}
{{- fail (printf "services.%s.autoscaling: minReplicas exceeds maxReplicas" $name) -}}
{{- end -}}
{{- if not (dig "requests" "cpu" "" ($svc.resources | default (dict))) -}}
{{- fail (printf "services.%s: CPU autoscaling needs resources.requests.cpu" $name) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- $notifier := .Values.services.notifier | default (dict) -}}
{{- $webhooks := $notifier.webhooks | default (dict) -}}
{{- if not $webhooks.existingSecret -}}
{{- range splitList "," (include "vigil.webhookUrls" $webhooks) -}}
{{- if and (trim .) (not (regexMatch "^https?://[^\\s,]+$" (trim .))) -}}
{{- fail (printf "services.notifier.webhooks.urls: %q is not an http(s):// URL" (trim .)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
