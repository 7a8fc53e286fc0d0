import { connect, createServer, type Server, type Socket } from "node:net";

/**
 * A TCP proxy on loopback in front of a server, for tests that lose connections on purpose:
 * `cutAll()` drops every open connection at once, both ends, the way a network failure or a
 * load balancer restart would, whatever was in flight (a query, a commit, its answer).
 */
export interface TcpProxy {
  readonly host: string;
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Connections destroyed by `cutAll()`, including those cut by `startCutting`. */
  readonly cuts: number;
  /** Destroys every open client/server socket pair; returns how many pairs it cut. */
  cutAll(): number;
  /**
   * Lets the next Bolt COMMIT a client sends reach the server, then cuts that connection
   * when the server answers, before the answer reaches the client: the transaction
   * committed, and the client cannot know.
   */
  loseNextCommitReply(): void;
  /** Commit answers lost so far by `loseNextCommitReply()`. */
  readonly lostCommitReplies: number;
  /** Cuts all open connections every `intervalMs` until `stopCutting()`. */
  startCutting(intervalMs: number): void;
  stopCutting(): void;
  /** Stops cutting, drops every connection and stops listening. */
  close(): Promise<void>;
}

/** A COMMIT message as the driver sends it: one chunk of two bytes (an empty struct, tag 0x12), then the end marker. */
const BOLT_COMMIT = Buffer.from([0x00, 0x02, 0xb0, 0x12, 0x00, 0x00]);

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let connections = 0;
  let cuts = 0;
  let timer: NodeJS.Timeout | undefined;
  let commitArmed = false;
  let lostCommitReplies = 0;

  const server: Server = createServer((client) => {
    connections++;
    const upstream = connect(target.port, target.host);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const drop = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    // Either side failing or ending ends both: the proxy never half-keeps a connection.
    for (const socket of pair) {
      socket.setNoDelay(true);
      socket.on("error", drop);
      socket.on("close", drop);
    }
    let commitSent = false;
    client.on("data", (data: Buffer) => {
      if (commitArmed && data.includes(BOLT_COMMIT)) {
        commitArmed = false;
        commitSent = true;
      }
      upstream.write(data);
    });
    upstream.on("data", (data: Buffer) => {
      if (!commitSent) {
        client.write(data);
        return;
      }
      lostCommitReplies++;
      drop();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("the proxy got no port");

  const cutAll = (): number => {
    const open = [...pairs];
    pairs.clear();
    for (const [client, upstream] of open) {
      // resetAndDestroy sends RST where it can: the peer sees a failure, not a clean close.
      if (typeof client.resetAndDestroy === "function") client.resetAndDestroy();
      else client.destroy();
      upstream.destroy();
    }
    cuts += open.length;
    return open.length;
  };
  const stopCutting = (): void => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };

  return {
    host: "127.0.0.1",
    port: address.port,
    get connections() {
      return connections;
    },
    get cuts() {
      return cuts;
    },
    cutAll,
    loseNextCommitReply() {
      commitArmed = true;
    },
    get lostCommitReplies() {
      return lostCommitReplies;
    },
    startCutting(intervalMs) {
      stopCutting();
      timer = setInterval(cutAll, intervalMs);
    },
    stopCutting,
    async close() {
      stopCutting();
      cutAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
