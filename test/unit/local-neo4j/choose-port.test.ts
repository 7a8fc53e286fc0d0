import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { firstFreePort, portIsFree } from "../../../src/local-neo4j/choose-port.js";

describe("firstFreePort", () => {
  const freeExcept = (...taken: number[]) => async (port: number) => !taken.includes(port);

  it("takes the first port when it is free", async () => {
    expect(await firstFreePort(7687, 100, freeExcept())).toBe(7687);
  });

  it("skips taken ports, in order", async () => {
    const tried: number[] = [];
    const isFree = async (port: number): Promise<boolean> => {
      tried.push(port);
      return ![7687, 7688, 7690].includes(port);
    };
    expect(await firstFreePort(7687, 100, isFree)).toBe(7689);
    expect(tried).toEqual([7687, 7688, 7689]);
  });

  it("gives up after count ports and never goes past 65535", async () => {
    expect(await firstFreePort(7687, 3, freeExcept(7687, 7688, 7689))).toBeUndefined();
    const tried: number[] = [];
    const nothingFree = async (port: number): Promise<boolean> => (tried.push(port), false);
    expect(await firstFreePort(65534, 100, nothingFree)).toBeUndefined();
    expect(tried).toEqual([65534, 65535]);
  });
});

describe("portIsFree", () => {
  let server: Server | undefined;
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });
  afterEach(close);

  const listen = (host: string): Promise<number> =>
    new Promise((resolve, reject) => {
      server = createServer();
      server.once("error", reject);
      server.listen(0, host, () => resolve((server!.address() as { port: number }).port));
    });

  it("is false while a server listens on the port, on 127.0.0.1 or on every address", async () => {
    expect(await portIsFree(await listen("127.0.0.1"))).toBe(false);
    await close();
    expect(await portIsFree(await listen("0.0.0.0"))).toBe(false);
  });

  it("is true once that server has closed", async () => {
    const port = await listen("127.0.0.1");
    await close();
    expect(await portIsFree(port)).toBe(true);
  });
});
