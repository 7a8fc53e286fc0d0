import { connect } from "node:net";

/** Bolt's magic preamble followed by four version proposals: 5.0–5.8, 4.4 and two empty slots. */
const HANDSHAKE = Buffer.from([0x60, 0x60, 0xb0, 0x17, 0, 8, 8, 5, 0, 0, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0]);

/**
 * Whether a Bolt server answers on host:port. Completes the handshake rather than a bare
 * TCP connect, so an unrelated service on the port does not count as Neo4j.
 */
export function boltAnswers(host: string, port: number, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let received = Buffer.alloc(0);
    const finish = (answer: boolean): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once("error", () => finish(false));
    socket.once("connect", () => socket.write(HANDSHAKE));
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      // The server answers with the four bytes of the version it chose; zero means none fits.
      if (received.length >= 4) finish(received.readUInt32BE(0) !== 0);
    });
    socket.once("end", () => finish(false));
  });
}
