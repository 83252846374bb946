import { connect, createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openTcpTuning } from './socket-options.ts';

const underDeno = Reflect.get(globalThis, 'Deno') !== undefined;

describe('tuning a connection’s socket through libc', () => {
  it.runIf(!underDeno)('is not offered under Node, where node:tls sets the options itself', () => {
    expect(openTcpTuning()).toBeUndefined();
  });

  it.runIf(underDeno)(
    'finds the accepted socket by its two ports, and nothing for ports no socket has',
    async () => {
      const tuning = openTcpTuning();
      expect(tuning).toBeDefined();
      let onAccept: (socket: Socket) => void = () => undefined;
      const accepted = new Promise<Socket>((resolve) => {
        onAccept = resolve;
      });
      const server = createServer((socket) => onAccept(socket));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as { port: number }).port;
      const client = connect(port, '127.0.0.1');
      try {
        const socket = await accepted;
        const remotePort = socket.remotePort ?? 0;
        expect(tuning?.tune({ localPort: port, remotePort })).toBe(true);
        // Port 1 is never an ephemeral port: no socket of this process has these two ends.
        expect(tuning?.tune({ localPort: port, remotePort: 1 })).toBe(false);
        socket.destroy();
      } finally {
        client.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  );
});
