/** A response with its body parsed as JSON when it is JSON. */
export interface HttpAnswer<T> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

export interface RequestOptions {
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is, with `contentType` (default application/yaml). */
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Small HTTP helpers for the classifier's API in tests. */
export function httpClient(base: string) {
  async function request<T>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<HttpAnswer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.text !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/yaml';
      body = options.text;
    }
    const response = await fetch(`${base}${path}`, { method, headers, body });
    const text = await response.text();
    const isJson = response.headers.get('content-type')?.includes('json') ?? false;
    return {
      status: response.status,
      headers: response.headers,
      text,
      body: (isJson ? JSON.parse(text) : text) as T,
    };
  }
  return {
    get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
    put: <T>(path: string, options?: RequestOptions) => request<T>('PUT', path, options),
    post: <T>(path: string, options?: RequestOptions) => request<T>('POST', path, options),
    delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
  };
}

export type HttpClient = ReturnType<typeof httpClient>;

/** The error body every refusal of the API has. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  errors: {
    path?: string;
    field?: string;
    line?: number | null;
    column?: number | null;
    message?: string;
    reason?: string;
  }[];
}

/** The value of an unlabelled-but-for-service Prometheus sample, e.g. `vigil_classifier_discarded_total`. */
export function metricValue(
  exposition: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}
