/**
 * The HTTP edge: the only module that listens on a socket.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  /** e.g. http://127.0.0.1:3978 */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves a plain Node request listener (the demo tenant, test stand-ins) on host:port (0 = any free port). */
export function listenHttp(listener: http.RequestListener, host: string, port: number): Promise<Listening> {
  const server = http.createServer(listener);
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
