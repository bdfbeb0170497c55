import { createServer } from 'node:http';

export interface CountingProxy {
  readonly url: string;
  /** `METHOD /path` of every request forwarded since the last reset. */
  readonly requests: string[];
  reset(): void;
  close(): Promise<void>;
}

/**
 * A plain HTTP forwarder in front of a real server that records every request it passes
 * on: a test points a client at it to count what reaches the server (nothing is answered
 * by the proxy itself).
 */
export async function startCountingProxy(upstream: string): Promise<CountingProxy> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push(`${req.method} ${(req.url ?? '').split('?')[0]}`);
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      const contentType = req.headers['content-type'];
      fetch(`${upstream}${req.url ?? ''}`, {
        method: req.method,
        headers: contentType ? { 'content-type': contentType } : {},
        ...(body && req.method !== 'GET' ? { body } : {}),
      })
        .then(async (up) => {
          const bytes = Buffer.from(await up.arrayBuffer());
          res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/octet-stream' });
          res.end(bytes);
        })
        .catch((err: unknown) => {
          res.writeHead(502);
          res.end(String(err));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reset: () => requests.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
