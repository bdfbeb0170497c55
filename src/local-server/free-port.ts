import { createServer } from 'node:net';

/**
 * Asks the OS for a free TCP port on 127.0.0.1. Another process could take it before
 * the server binds; the server then fails to start and says so, which is rare enough.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
