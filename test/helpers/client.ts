// A small HTTP client for black-box tests: JSON or form bodies, a cookie jar, and the raw response.

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  json?: unknown;
  form?: Record<string, string>;
  body?: string;
  headers?: Record<string, string>;
  token?: string;
  redirect?: 'manual' | 'follow';
}

export class Client {
  cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined = options.body;
    if (options.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    }
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (this.cookies.size && !headers.cookie) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(new URL(path, this.baseUrl), { method, headers, body, redirect: options.redirect ?? 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = pair.split('=');
      if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(line) || value.join('=') === '') this.cookies.delete(name);
      else this.cookies.set(name, value.join('='));
    }
    const text = await response.text();
    let parsed: unknown = text;
    if (response.headers.get('content-type')?.includes('json') && text) parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  get<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }
  post<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('POST', path, options);
  }
  put<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('PUT', path, options);
  }
  delete<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, options);
  }
}

let counter = 0;

/** Signs up a fresh user and returns a client holding its session cookie. */
export async function newUser(baseUrl: string, name = 'user'): Promise<{ client: Client; id: string; email: string; password: string }> {
  const client = new Client(baseUrl);
  const email = `${name}-${process.pid}-${++counter}-${Date.now()}@example.com`;
  const password = 'correct horse battery';
  const reply = await client.post('/api/auth/signup', { json: { email, password, name } });
  if (reply.status !== 201) throw new Error(`signup failed: ${reply.status} ${reply.text}`);
  return { client, id: reply.body.id, email, password };
}

/** Creates a personal access token for the client's user. */
export async function newPersonalToken(client: Client, scopes = ['record|read']): Promise<string> {
  const reply = await client.post('/api/access-token', { json: { name: 'test token', scopes, expiredTime: '2999-12-31' } });
  if (reply.status !== 201) throw new Error(`token creation failed: ${reply.status} ${reply.text}`);
  return reply.body.token;
}
