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

{{/*
How every container reaches NATS and Postgres: NATS_URL (from a Secret, or inline when `inline`; the
services otherwise read it from the ConfigMap), NATS credentials and TLS files, DATABASE_URL.
Takes (dict "root" $ "secretName" "<Secret holding DATABASE_URL when postgres.url is given>" "inline" bool).
*/}}
{{- define "vigil.connectionEnv" -}}
{{- $nats := .root.Values.nats -}}
{{- if $nats.existingSecret }}
- name: NATS_URL
  valueFrom:
    secretKeyRef:
      name: {{ $nats.existingSecret }}
      key: {{ $nats.existingSecretKey | default "NATS_URL" }}
{{- else if .inline }}
- name: NATS_URL
  value: {{ $nats.url | quote }}
{{- end }}
{{- with $nats.auth.existingSecret }}
{{- if $nats.auth.credsKey }}
- name: NATS_CREDS_FILE
  value: {{ printf "%s/%s" (include "vigil.natsCredsPath" .) $nats.auth.credsKey | quote }}
{{- else if $nats.auth.tokenKey }}
- name: NATS_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $nats.auth.tokenKey }}
{{- else }}
- name: NATS_USER
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $nats.auth.userKey }}
- name: NATS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $nats.auth.passwordKey }}
{{- end }}
{{- end }}
{{- if $nats.tls.existingSecret }}
- name: NATS_TLS_CA_FILE
  value: {{ printf "%s/%s" (include "vigil.natsTlsPath" .) $nats.tls.caKey | quote }}
{{- if $nats.tls.certKey }}
- name: NATS_TLS_CERT_FILE
  value: {{ printf "%s/%s" (include "vigil.natsTlsPath" .) $nats.tls.certKey | quote }}
- name: NATS_TLS_KEY_FILE
  value: {{ printf "%s/%s" (include "vigil.natsTlsPath" .) $nats.tls.keyKey | quote }}
{{- end }}
{{- end }}
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

{{- define "vigil.natsTlsPath" -}}
/etc/vigil/nats-tls
{{- end -}}

{{- define "vigil.natsCredsPath" -}}
/etc/vigil/nats-creds
{{- end -}}

{{/* Volumes every pod has: /tmp, the NATS TLS files, extraVolumes. Takes the root context. */}}
{{- define "vigil.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpVolume.sizeLimit | default "64Mi" }}
{{- with .Values.nats.tls.existingSecret }}
- name: nats-tls
  secret:
    secretName: {{ . }}
    defaultMode: 0440
{{- end }}
{{- if and .Values.nats.auth.existingSecret .Values.nats.auth.credsKey }}
- name: nats-creds
  secret:
    secretName: {{ .Values.nats.auth.existingSecret }}
    defaultMode: 0440
    items:
      - key: {{ .Values.nats.auth.credsKey }}
        path: {{ .Values.nats.auth.credsKey }}
{{- end }}
{{- with .Values.extraVolumes }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Their mounts. Takes the root context. */}}
{{- define "vigil.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .Values.nats.tls.existingSecret }}
- name: nats-tls
  mountPath: {{ include "vigil.natsTlsPath" . }}
  readOnly: true
{{- end }}
{{- if and .Values.nats.auth.existingSecret .Values.nats.auth.credsKey }}
- name: nats-creds
  mountPath: {{ include "vigil.natsCredsPath" . }}
  readOnly: true
{{- end }}
{{- with .Values.extraVolumeMounts }}
{{ toYaml . }}
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

{{/*
The URL people's browsers use for the query host: from the Ingress, else the HTTPRoute, else "".
Takes the root context.
*/}}
{{- define "vigil.queryUrl" -}}
{{- $ingress := .Values.ingress -}}
{{- $route := .Values.httpRoute -}}
{{- if and $ingress.enabled $ingress.query.enabled $ingress.query.host -}}
{{- printf "%s://%s" (ternary "https" "http" $ingress.query.tls.enabled) $ingress.query.host -}}
{{- else if and $route.enabled $route.query.enabled $route.query.hostnames -}}
{{- printf "https://%s" (first $route.query.hostnames) -}}
{{- end -}}
{{- end -}}

{{/* The notifier's own variables. Takes (dict "root" $ "svc" <notifier values>). */}}
{{- define "vigil.notifierEnv" -}}
{{- $webhooks := .svc.webhooks | default (dict) -}}
{{- if $webhooks.existingSecret }}
- name: NOTIFIER_WEBHOOK_URLS
  valueFrom:
    secretKeyRef:
      name: {{ $webhooks.existingSecret }}
      key: {{ $webhooks.existingSecretKey | default "NOTIFIER_WEBHOOK_URLS" }}
{{- else if include "vigil.webhookUrls" $webhooks }}
- name: NOTIFIER_WEBHOOK_URLS
  valueFrom:
    secretKeyRef:
      name: {{ include "vigil.fullname" .root }}
      key: NOTIFIER_WEBHOOK_URLS
{{- end }}
{{- $signing := $webhooks.signing | default (dict) -}}
{{- with $signing.existingSecret }}
- name: NOTIFIER_WEBHOOK_SECRETS
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $signing.existingSecretKey | default "NOTIFIER_WEBHOOK_SECRETS" }}
{{- end }}
{{- $links := .svc.actionLinks | default (dict) -}}
{{- with $links.existingSecret }}
- name: NOTIFIER_ACTION_LINK_SECRETS
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $links.existingSecretKey | default "NOTIFIER_ACTION_LINK_SECRETS" }}
{{- end }}
{{- with .svc.publicUrl | default (include "vigil.queryUrl" .root) }}
- name: NOTIFIER_PUBLIC_URL
  value: {{ . | quote }}
{{- end }}
{{- with .svc.consoleUrl | default (include "vigil.queryUrl" .root) }}
- name: NOTIFIER_CONSOLE_URL
  value: {{ . | quote }}
{{- end }}
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
    {{- include "vigil.connectionEnv" (dict "root" .root "secretName" .secretName "inline" true) | trim | nindent 4 }}
    - name: LOG_LEVEL
      value: {{ .root.Values.config.logLevel | quote }}
    - name: VIGIL_SUBJECT_PREFIX
      value: {{ .root.Values.config.subjectPrefix | toString | quote }}
    - name: NATS_STREAM_REPLICAS
      value: {{ .root.Values.config.streamReplicas | int | quote }}
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
    {{- include "vigil.volumeMounts" .root | trim | nindent 4 }}
{{- end -}}

{{/*
The durable JetStream consumers each service runs (libs/contracts Consumers; a test keeps the two
in step), as "<stream>/<durable>" pairs; the stream takes the subject prefix as Vigil does.
Takes (dict "root" $ "name" "<service>").
*/}}
{{- define "vigil.consumers" -}}
{{- $consumers := dict
  "ingest" (list "EVENTS_RAW/ingest-raw")
  "classifier" (list "EVENTS_ACCEPTED/classifier-accepted")
  "correlator" (list "EVENTS_CLASSIFIED/correlator-classified" "ALERTS_CHANGED/correlator-incidents")
  "notifier" (list "ALERTS_CHANGED/notifier-alerts" "INCIDENTS_CHANGED/notifier-incidents")
-}}
{{- $prefix := .root.Values.config.subjectPrefix | toString | upper | replace "-" "_" -}}
{{- range get $consumers .name }}
{{- $parts := splitList "/" . }}
- stream: {{ ternary (printf "%s_%s" $prefix (first $parts)) (first $parts) (ne $prefix "") }}
  consumer: {{ last $parts }}
{{- end }}
{{- end -}}

{{/* True ("true") when the service scales with KEDA rather than an HPA. Takes (dict "svc" ...). */}}
{{- define "vigil.kedaEnabled" -}}
{{- $keda := .svc.keda | default (dict) -}}
{{- if $keda.enabled -}}true{{- end -}}
{{- end -}}

{{/*
Fails the render, naming the value, for what values.schema.json cannot say: combinations of values.
Takes the root context.
*/}}
{{- define "vigil.validate" -}}
{{- if not (or .Values.postgres.url .Values.postgres.existingSecret) -}}
{{- fail "postgres.url or postgres.existingSecret (a Secret holding a postgres:// DATABASE_URL) is required" -}}
{{- end -}}
{{- if not (or .Values.nats.url .Values.nats.existingSecret) -}}
{{- fail "nats.url or nats.existingSecret is required" -}}
{{- end -}}
{{- if and .Values.nats.auth.existingSecret (not .Values.nats.auth.credsKey) (not .Values.nats.auth.tokenKey) (not (and .Values.nats.auth.userKey .Values.nats.auth.passwordKey)) -}}
{{- fail "nats.auth: give credsKey, tokenKey, or both userKey and passwordKey" -}}
{{- end -}}
{{- if and .Values.nats.tls.existingSecret .Values.nats.tls.certKey (not .Values.nats.tls.keyKey) -}}
{{- fail "nats.tls: a client certificate (certKey) needs its private key (keyKey)" -}}
{{- end -}}
{{- $anyKeda := false -}}
{{- range $name, $svc := .Values.services -}}
{{- if $svc.enabled -}}
{{- $autoscaling := $svc.autoscaling | default (dict) -}}
{{- $keda := $svc.keda | default (dict) -}}
{{- if $keda.enabled -}}
{{- $anyKeda = true -}}
{{- if gt (int $keda.minReplicaCount) (int $keda.maxReplicaCount) -}}
{{- fail (printf "services.%s.keda: minReplicaCount exceeds maxReplicaCount" $name) -}}
{{- end -}}
{{- if and (gt (int $keda.cpuUtilization) 0) (not (dig "requests" "cpu" "" ($svc.resources | default (dict)))) -}}
{{- fail (printf "services.%s.keda.cpuUtilization needs resources.requests.cpu" $name) -}}
{{- end -}}
{{- else if $autoscaling.enabled -}}
{{- if gt (int $autoscaling.minReplicas) (int $autoscaling.maxReplicas) -}}
{{- fail (printf "services.%s.autoscaling: minReplicas exceeds maxReplicas" $name) -}}
{{- end -}}
{{- if not (dig "requests" "cpu" "" ($svc.resources | default (dict))) -}}
{{- fail (printf "services.%s: CPU autoscaling needs resources.requests.cpu" $name) -}}
{{- end -}}
{{- end -}}
{{- range $key, $_ := $svc.env | default (dict) -}}
{{- if has $key (list "NATS_URL" "DATABASE_URL" "HTTP_PORT" "NATS_USER" "NATS_PASSWORD" "NATS_TOKEN" "NATS_CREDS_FILE" "NOTIFIER_WEBHOOK_URLS" "NOTIFIER_WEBHOOK_SECRETS" "NOTIFIER_ACTION_LINK_SECRETS" "QUERY_OPERATOR_TOKEN" "INGEST_ADMIN_TOKEN" "CLASSIFIER_ADMIN_TOKEN") -}}
{{- fail (printf "services.%s.env.%s: set it through its own value (see values.yaml), not env" $name $key) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if and $anyKeda (not .Values.keda.natsMonitoringEndpoint) -}}
{{- fail "keda.natsMonitoringEndpoint (NATS's monitoring host:port) is required when a service scales with KEDA" -}}
{{- end -}}
{{- if and .Values.ingress.enabled .Values.ingress.query.enabled (not .Values.ingress.query.host) -}}
{{- fail "ingress.query.host is required (or set ingress.query.enabled=false)" -}}
{{- end -}}
{{- if and .Values.ingress.enabled .Values.ingress.ingest.enabled (not .Values.ingress.ingest.host) -}}
{{- fail "ingress.ingest.host is required (or set ingress.ingest.enabled=false)" -}}
{{- end -}}
{{- if and .Values.httpRoute.enabled (not .Values.httpRoute.parentRefs) -}}
{{- fail "httpRoute.parentRefs is required: the Gateway listeners the routes attach to" -}}
{{- end -}}
{{- end -}}
