import { errors } from '@nats-io/transport-node';
import { ConnectionEnv, loadEnv } from '@vigil/config';
import {
  describeNatsCredentials,
  messagingOptionsFromEnv,
  NatsConnectError,
  natsConnectOptions,
  permanentConnectProblem,
  redactNatsServers,
} from './nats-connection';

const file = __filename;
const fromEnv = (source: NodeJS.ProcessEnv) => messagingOptionsFromEnv(loadEnv(ConnectionEnv, source));

describe('messagingOptionsFromEnv', () => {
  it('maps the defaults to no credentials and no TLS files', () => {
    expect(fromEnv({})).toEqual({
      servers: 'nats://127.0.0.1:4222',
      user: undefined,
      password: undefined,
      token: undefined,
      credsFile: undefined,
      tls: undefined,
      prefix: '',
      streamReplicas: 1,
      producerDuplicateWindowSeconds: 600,
    });
  });

  it('carries every connection variable', () => {
    expect(
      fromEnv({
        NATS_URL: 'tls://a:4222,tls://b:4222',
        NATS_USER: 'vigil',
        NATS_PASSWORD: 'pw',
        NATS_TLS_CA_FILE: file,
        NATS_TLS_CERT_FILE: file,
        NATS_TLS_KEY_FILE: file,
        VIGIL_SUBJECT_PREFIX: 'p',
        NATS_STREAM_REPLICAS: '3',
      }),
    ).toMatchObject({
      servers: 'tls://a:4222,tls://b:4222',
      user: 'vigil',
      password: 'pw',
      tls: { caFile: file, certFile: file, keyFile: file },
      prefix: 'p',
      streamReplicas: 3,
    });
    expect(fromEnv({ NATS_TOKEN: 't' })).toMatchObject({ token: 't', user: undefined });
    expect(fromEnv({ NATS_CREDS_FILE: file })).toMatchObject({ credsFile: file });
  });
});

describe('natsConnectOptions', () => {
  it('passes user and password, or a token, to nats.js', () => {
    expect(natsConnectOptions(fromEnv({ NATS_URL: 'nats://a:1,nats://b:2' }))).toEqual({
      servers: ['nats://a:1', 'nats://b:2'],
    });
    expect(natsConnectOptions(fromEnv({ NATS_USER: 'u', NATS_PASSWORD: 'p' }))).toMatchObject({
      user: 'u',
      pass: 'p',
    });
    const token = natsConnectOptions(fromEnv({ NATS_TOKEN: 't' }));
    expect(token.token).toBe('t');
    expect(token.user).toBeUndefined();
  });

  it('reads a creds file through an authenticator and leaves TLS files to nats.js', () => {
    const options = natsConnectOptions(fromEnv({ NATS_CREDS_FILE: file, NATS_TLS_CA_FILE: file }));
    expect(typeof options.authenticator).toBe('function');
    expect(options.tls).toEqual({ caFile: file, certFile: undefined, keyFile: undefined });
    expect(options.user).toBeUndefined();
  });
});

describe('messages about the connection', () => {
  it('removes credentials from URLs', () => {
    expect(redactNatsServers('nats://u:secret@a:4222, tls://tok@b:4222,nats://c:4222')).toBe(
      'nats://a:4222,tls://b:4222,nats://c:4222',
    );
  });

  it('says how we authenticated without the secret', () => {
    expect(describeNatsCredentials({ servers: '', user: 'u', password: 'secret' })).toBe(
      'as user "u" (NATS_USER, NATS_PASSWORD)',
    );
    expect(describeNatsCredentials({ servers: '', token: 'secret' })).toBe('with the token in NATS_TOKEN');
    expect(describeNatsCredentials({ servers: '' })).toMatch(/^without credentials/);
  });

  it('tells permanent failures from ones worth retrying', () => {
    expect(permanentConnectProblem(new errors.AuthorizationError('Authorization Violation'))).toBe(
      'credentials',
    );
    const tlsError = Object.assign(new Error('self-signed certificate in certificate chain'), {
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
    expect(permanentConnectProblem(tlsError)).toBe('tls');
    expect(permanentConnectProblem(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBe(
      'file',
    );
    expect(permanentConnectProblem(new errors.ConnectionError("server does not support 'tls'"))).toBe(
      'configuration',
    );
    expect(permanentConnectProblem(new errors.ConnectionError('connection refused'))).toBeUndefined();
    expect(
      permanentConnectProblem(Object.assign(new Error('reset'), { code: 'ECONNRESET' })),
    ).toBeUndefined();
  });

  it('explains refused credentials with the URL and the variables, never the password', () => {
    const error = new NatsConnectError(
      'credentials',
      { servers: 'nats://u:hunter2@h:4222', user: 'u', password: 'hunter2' },
      new errors.AuthorizationError('Authorization Violation'),
    );
    expect(error.message).toBe(
      'cannot connect to NATS at nats://h:4222: the server refused our credentials (Authorization Violation): ' +
        'we connected as user "u" (NATS_USER, NATS_PASSWORD)',
    );
  });
});
