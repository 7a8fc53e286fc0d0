import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { freePort } from "../../src/local-neo4j/free-port.js";
import { startServerProcess } from "./server-process.js";

const run = promisify(execFile);

/** s3proxy 3.0 (2.6 refuses the checksum header the AWS SDK v3 sends), cached where the tests keep downloads. */
const ARTIFACT = "org.gaul:s3proxy:3.0.0:jar:jar-with-dependencies";
const CACHE = resolve(import.meta.dirname, "../../.graphload/s3proxy");
const JAR = join(CACHE, "s3proxy-3.0.0-jar-with-dependencies.jar");

/** An S3-compatible store on loopback (s3proxy on the JVM, objects in memory), signed access, for one test file. */
export interface StartedS3 {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The environment that points the AWS SDK's default chains at this store. */
  env(overrides?: { accessKeyId?: string; secretAccessKey?: string }): Record<string, string>;
  stop(): Promise<void>;
}

/** The jar from Maven Central through mvn, once per checkout. */
async function s3proxyJar(): Promise<string> {
  if (!existsSync(JAR)) {
    mkdirSync(CACHE, { recursive: true });
    await run("mvn", ["-q", "-B", "dependency:copy", `-Dartifact=${ARTIFACT}`, `-DoutputDirectory=${CACHE}`], { maxBuffer: 16 << 20 });
  }
  return JAR;
}

export async function startS3(): Promise<StartedS3> {
  const jar = await s3proxyJar();
  const dir = mkdtempSync(join(tmpdir(), "graphload-s3proxy-"));
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const accessKeyId = "graphload-test";
  const secretAccessKey = "graphload-test-secret";
  const properties = join(dir, "s3proxy.properties");
  writeFileSync(
    properties,
    [
      `s3proxy.endpoint=${endpoint}`,
      "s3proxy.authorization=aws-v2-or-v4",
      `s3proxy.identity=${accessKeyId}`,
      `s3proxy.credential=${secretAccessKey}`,
      "jclouds.provider=transient-nio2",
      "jclouds.identity=unused",
      "jclouds.credential=unused",
      "",
    ].join("\n"),
  );
  // Any answer over HTTP (an anonymous request is refused) means it listens.
  const server = await startServerProcess("s3proxy", "java", ["-Xmx256m", "-jar", jar, "--properties", properties], () => fetch(endpoint).then(() => true, () => false), 60_000);
  const region = "us-east-1";
  return {
    endpoint,
    region,
    accessKeyId,
    secretAccessKey,
    env: (overrides = {}) => ({
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: overrides.accessKeyId ?? accessKeyId,
      AWS_SECRET_ACCESS_KEY: overrides.secretAccessKey ?? secretAccessKey,
      // No profile of the machine's may stand in for the keys above.
      AWS_CONFIG_FILE: join(dir, "no-config"),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "no-credentials"),
    }),
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
