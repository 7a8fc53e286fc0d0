package graphload.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Runs Neo4j Community embedded with Bolt on loopback and authentication off, or on with
 * {@code --password-file}: user {@code neo4j} then has the file's password (one trailing
 * newline trimmed), as a server with credentials would.
 *
 * <p>Usage: {@code Launcher --data-dir DIR [--port 7687] [--import-dir DIR]
 * [--page-cache 256m] [--tx-memory 1g] [--password-file FILE] [--exit-on-stdin-eof]}. Prints one line
 * {@code graphload-neo4j ready bolt://127.0.0.1:PORT version V} once Bolt accepts
 * connections, and shuts the database down cleanly on SIGTERM / SIGINT. When it cannot start
 * it prints {@code graphload-neo4j failed: REASON} as its last line and exits with status 1,
 * rather than lingering on the threads Neo4j has already started.
 */
public final class Launcher {
    static final String HOST = "127.0.0.1";
    private static final Set<String> FLAGS = Set.of("exit-on-stdin-eof");

    private Launcher() {}

    public static void main(String[] args) throws InterruptedException {
        DatabaseManagementService service;
        String ready;
        try {
            Map<String, String> opts = parse(args);
            Path dataDir = Path.of(require(opts, "data-dir")).toAbsolutePath();
            int port = port(opts.getOrDefault("port", "7687"));
            checkPortFree(port);
            service = build(opts, dataDir, port).build();
            registerShutdown(service);
            if (opts.containsKey("password-file")) {
                setPassword(service, Path.of(opts.get("password-file")));
            }
            ready = "graphload-neo4j ready bolt://" + HOST + ":" + port + " version " + version(service);
            if (opts.containsKey("exit-on-stdin-eof")) {
                exitOnStdinEof();
            }
        } catch (Throwable error) {
            if (!(error instanceof UsageException)) {
                error.printStackTrace();
            }
            System.out.println("graphload-neo4j failed: " + reason(error));
            System.out.flush();
            System.exit(1);
            return;
        }
        System.out.println(ready);
        System.out.flush();
        // Neo4j's own threads may all be daemons: the main thread keeps the JVM up until a signal.
        Thread.currentThread().join();
    }

    private static DatabaseManagementServiceBuilder build(Map<String, String> opts, Path dataDir, int port) {
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(dataDir)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                // Bolt's event loops sit out both waits in full on shutdown, even with no connection
                // left (then log a harmless warning): the 5 s defaults made every stop take 10 s.
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofMillis(200))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofMillis(200))
                .setConfig(HttpConnector.enabled, false)
                // An embedded server has no neo4j.conf, whose line caps the logs at 2G: without it
                // every load's transaction log is kept for two days, tens of GB after a few benchmarks.
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 days 2G")
                .setConfig(GraphDatabaseSettings.auth_enabled, opts.containsKey("password-file"));
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
        return builder;
    }

    /** Set in the system database, which an embedded caller may change without logging in. */
    private static void setPassword(DatabaseManagementService service, Path file) throws IOException {
        String password = Files.readString(file).replaceFirst("\\r?\\n$", "");
        service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
    }

    private static void registerShutdown(DatabaseManagementService service) {
        Runtime.getRuntime().addShutdownHook(new Thread(service::shutdown, "graphload-neo4j-shutdown"));
    }

    private static String version(DatabaseManagementService service) {
        GraphDatabaseService db = service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        return db.executeTransactionally(
                "CALL dbms.components() YIELD versions RETURN versions[0] AS version", Map.of(),
                result -> (String) result.next().get("version"));
    }

    /**
     * Binding first gives a one-line answer in a fraction of a second, where Neo4j would
     * open both databases and only then fail deep inside its Bolt connector.
     */
    private static void checkPortFree(int port) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
        } catch (BindException error) {
            String message = String.valueOf(error.getMessage());
            throw new UsageException(message.contains("in use")
                    ? "port " + HOST + ":" + port + " is already in use by another process"
                    : "cannot listen on " + HOST + ":" + port + ": " + message);
        }
    }

    /** A parent that holds our stdin open takes the server down with it when it dies, however it dies. */
    private static void exitOnStdinEof() {
        Thread watcher = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() != -1) {
                    // The parent never writes; only the end of the stream matters.
                }
            } catch (IOException ignored) {
                // A broken pipe means the parent is gone, the same as end of stream.
            }
            System.exit(0);
        }, "graphload-neo4j-stdin-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Our own errors say what is wrong; Neo4j's say it best in their innermost cause. */
    private static String reason(Throwable error) {
        if (error instanceof UsageException) {
            return error.getMessage();
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // Reported below with the value as given.
        }
        throw new UsageException("--port must be a number from 1 to 65535, got: " + value);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new UsageException("expected --name value pairs, got: " + args[i]);
            }
            String name = args[i].substring(2);
            if (FLAGS.contains(name)) {
                opts.put(name, "true");
            } else if (i + 1 < args.length) {
                opts.put(name, args[++i]);
            } else {
                throw new UsageException("missing a value after " + args[i]);
            }
        }
        return opts;
    }

    /** A failure this launcher explains in one line, with no stack trace to read. */
    private static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    private static String require(Map<String, String> opts, String name) {
        String value = opts.get(name);
        if (value == null) {
            throw new UsageException("missing --" + name);
        }
        return value;
    }
}
