// One HTTP request with nothing tidied up: any method token, latin-1 bytes in the path and headers,
// a body of raw bytes. fetch would refuse or normalise most of what fuzzing sends.
import { Agent, request } from 'node:http';

export interface RawRequest {
  method: string;
  /** Path and query, sent as they are (latin-1 bytes included). */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  ms: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/** Sends `req` to `baseUrl`; rejects when no answer comes within `timeoutMs` (a hang is a failure, not a wait). */
export function sendRaw(baseUrl: string, req: RawRequest, timeoutMs = 15_000): Promise<RawReply> {
  const { hostname, port } = new URL(baseUrl);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: hostname, port, method: req.method, path: req.path, headers: { ...req.headers, ...(req.body && { 'content-length': String(req.body.length) }) }, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks), ms: Date.now() - started }));
        res.on('error', reject);
      },
    );
    outgoing.setTimeout(timeoutMs, () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

/** Closes the pooled keep-alive sockets, so a test process can exit. */
export const closeRawConnections = () => agent.destroy();
