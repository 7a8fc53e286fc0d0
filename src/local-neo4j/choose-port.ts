import { connect, createServer } from "node:net";
import { freePort } from "./free-port.js";

export const DEFAULT_PORT = 7687;

/** How many ports from the default on are tried before any free port the system gives will do. */
const PORTS_TRIED = 100;

/** The first of `count` ports from `first` on that `isFree` accepts; undefined when all are taken. */
export async function firstFreePort(first: number, count: number, isFree: (port: number) => Promise<boolean>): Promise<number | undefined> {
  for (let port = first; port < first + count && port <= 65535; port++) {
    if (await isFree(port)) return port;
  }
  return undefined;
}

/** Whether a server could listen on host:port, and no server answers there, right now. */
export async function portIsFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  // On BSD and macOS a bind to 127.0.0.1 succeeds beside a listener on the wildcard address,
  // which clients of 127.0.0.1 would still reach; a connection that is accepted tells.
  return (await canListen(host, port)) && !(await acceptsConnections(host, port));
}

/**
 * The port for a local server when none was asked for: the default, or when something holds
 * it (Neo4j Desktop, another server) the next free one from `from` on.
 */
export async function chooseBoltPort(from = DEFAULT_PORT): Promise<number> {
  return (await firstFreePort(from, PORTS_TRIED, (port) => portIsFree(port))) ?? (await freePort());
}

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function acceptsConnections(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const finish = (answer: boolean): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once("connect", () => finish(true));
    socket.once("error", () => finish(false));
  });
}
