/** The five services and the ports they listen on unless told otherwise. */
export const SERVICE_PORTS = {
  query: 8080,
  ingest: 8081,
  classifier: 8082,
  correlator: 8083,
  notifier: 8084,
} as const;
export type ServiceName = keyof typeof SERVICE_PORTS;
export const SERVICE_NAMES = Object.keys(SERVICE_PORTS) as ServiceName[];

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/vigil';

/** Syslog over UDP and TCP, served by ingest; above 1024 so that no privilege is needed. */
export const SYSLOG_PORT = 5514;
