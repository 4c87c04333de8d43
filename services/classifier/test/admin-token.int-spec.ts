import { startTestService, TestService } from '@vigil/testing';
import { classifierService } from '../src/service';
import { httpClient, HttpClient } from './http-client';

const TOKEN = 'classifier-token-for-this-test';
const RULES = `globals:
  rules:
    - { name: anything, all: true, team: ops }
`;

describe('classifier API behind CLASSIFIER_ADMIN_TOKEN (real NATS and Postgres)', () => {
  let service: TestService;
  let http: HttpClient;

  beforeAll(async () => {
    service = await startTestService(classifierService, { CLASSIFIER_ADMIN_TOKEN: TOKEN });
    http = httpClient(service.url);
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('refuses rule, table and dry-run requests without the token, naming the variable', async () => {
    for (const [method, path] of [
      ['put', '/api/v1/rules'],
      ['get', '/api/v1/rules/versions'],
      ['put', '/api/v1/tables/hosts'],
      ['post', '/api/v1/rules/dry-run'],
    ] as const) {
      const answer = await http[method]<{ message: string }>(path, method === 'get' ? {} : { text: RULES });
      expect({ path, status: answer.status }).toEqual({ path, status: 401 });
      expect(answer.body.message).toMatch(/CLASSIFIER_ADMIN_TOKEN/);
    }
    const wrong = await http.put('/api/v1/rules', { text: RULES, headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });

  it('accepts them with it', async () => {
    const saved = await http.put<{ version: number }>('/api/v1/rules', {
      text: RULES,
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(saved.status).toBe(201);
    expect(saved.body.version).toBe(1);
  });
});
