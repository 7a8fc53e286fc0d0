// A sink that encodes each batch exactly as neo4j-driver would send it (Bolt 5.8 message
// structures, the driver's own packstream and chunking) and throws the bytes away: with it,
// a run measures what graphload itself can do on one core, whatever the server could take.
import { createRequire } from "node:module";
import { MARKER_CYPHER } from "../dist/run/neo4j-checkpoint-store.js";

const require = createRequire(import.meta.url);
const BoltProtocol = require("neo4j-driver-bolt-connection/lib/bolt/bolt-protocol-v5x8.js").default;
const { Chunker } = require("neo4j-driver-bolt-connection/lib/channel/chunking.js");
const { Structure } = require("neo4j-driver-bolt-connection/lib/packstream/structure.js");

const RUN = 0x10;

export class EncodingSink {
  bytes = 0;
  batches = 0;

  constructor() {
    this.chunker = new Chunker({ write: (buffer) => void (this.bytes += buffer.length) });
    const log = { isDebugEnabled: () => false };
    this.protocol = new BoltProtocol({}, this.chunker, { disableLosslessIntegers: false }, undefined, log, () => {});
  }

  /** Encodes one RUN message of `cypher` with `parameters`. */
  send(cypher, parameters) {
    this.protocol.packable(new Structure(RUN, [cypher, parameters, {}]))();
    this.chunker.messageBoundary();
    this.chunker.flush();
  }

  async write(batch) {
    if (batch.marker) this.send(MARKER_CYPHER, { ...batch.marker });
    this.send(batch.cypher, batch.parameters);
    this.batches++;
    return { counters: {}, unmatched: [] };
  }

  async runStatement() {
    return { counters: {}, unmatched: [] };
  }
}
