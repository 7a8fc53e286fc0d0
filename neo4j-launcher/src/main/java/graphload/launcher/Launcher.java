package graphload.launcher;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Runs Neo4j Community embedded with Bolt on loopback and authentication off.
 *
 * <p>Usage: {@code Launcher --data-dir DIR [--port 7687] [--import-dir DIR]
 * [--page-cache 256m] [--tx-memory 1g]}. Prints one line
 * {@code graphload-neo4j ready bolt://127.0.0.1:PORT version V} once Bolt accepts
 * connections, and shuts the database down cleanly on SIGTERM / SIGINT.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        Path dataDir = Path.of(require(opts, "data-dir")).toAbsolutePath();
        int port = Integer.parseInt(opts.getOrDefault("port", "7687"));

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(dataDir)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, false);
        if (opts.containsKey("import-dir")) {
            builder.setConfig(GraphDatabaseSettings.load_csv_file_url_root,
                    Path.of(opts.get("import-dir")).toAbsolutePath());
        }
        if (opts.containsKey("page-cache")) {
            builder.setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(opts.get("page-cache")));
        }
        if (opts.containsKey("tx-memory")) {
            builder.setConfig(GraphDatabaseSettings.memory_transaction_global_max_size,
                    ByteUnit.parse(opts.get("tx-memory")));
        }

        DatabaseManagementService service = builder.build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.shutdown();
            stopped.countDown();
        }, "graphload-neo4j-shutdown"));

        GraphDatabaseService db = service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        String version = db.executeTransactionally(
                "CALL dbms.components() YIELD versions RETURN versions[0] AS version", Map.of(),
                result -> (String) result.next().get("version"));
        System.out.println("graphload-neo4j ready bolt://127.0.0.1:" + port + " version " + version);
        System.out.flush();
        stopped.await();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got: " + args[i]);
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        return opts;
    }

    private static String require(Map<String, String> opts, String name) {
        String value = opts.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return value;
    }
}
