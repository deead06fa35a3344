package dev.vectorcache.qdrant.testserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link QdrantTestServer} from the command line.
 *
 * <pre>
 * ./mvnw -q -pl qdrant-testserver -am package -DskipTests
 * java -jar qdrant-testserver/target/vectorcache-qdrant-testserver-*-all.jar --port 6334 [--api-key KEY]
 *     [--tls-cert server.crt --tls-key server.key [--tls-client-ca ca.crt]]
 *     [--snapshots DIR] [--restore FILE]... [--storage DIR]
 * </pre>
 *
 * <p>With {@code --tls-cert} (a PEM certificate chain) and {@code --tls-key} (its PKCS#8 PEM key)
 * it serves TLS only ({@code grpcs://}); {@code --tls-client-ca} (PEM) makes it mutual TLS,
 * refusing clients without a certificate signed by that CA.
 *
 * <p>{@code --snapshots} is the directory of the Snapshots service (default: a temporary one,
 * deleted on exit); each {@code --restore} names a snapshot file (a collection or a full snapshot)
 * restored before the server answers.
 *
 * <p>{@code --storage DIR} serves a durable embedded engine keeping its data in {@code DIR}:
 * started again on the same directory, the server has every collection and point it had ({@code
 * docs/storage.md}).
 *
 * <p>Prints the port alone on the first line of standard output (so a script can read it), then
 * serves until SIGTERM/Ctrl-C or until standard input is closed; {@code --ignore-stdin} keeps it
 * running with a closed standard input (for {@code &} in scripts, where stdin is {@code
 * /dev/null}).
 */
public final class QdrantTestServerMain {
  private QdrantTestServerMain() {}

  public static void main(String[] args) throws InterruptedException {
    int port = 0;
    String apiKey = null;
    boolean watchStdin = true;
    Path tlsCert = null;
    Path tlsKey = null;
    Path clientCa = null;
    Path snapshots = null;
    Path storage = null;
    List<Path> restore = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
        case "--api-key" -> apiKey = value(args, ++i, "--api-key");
        case "--ignore-stdin" -> watchStdin = false;
        case "--tls-cert" -> tlsCert = Path.of(value(args, ++i, "--tls-cert"));
        case "--tls-key" -> tlsKey = Path.of(value(args, ++i, "--tls-key"));
        case "--tls-client-ca" -> clientCa = Path.of(value(args, ++i, "--tls-client-ca"));
        case "--snapshots" -> snapshots = Path.of(value(args, ++i, "--snapshots"));
        case "--restore" -> restore.add(Path.of(value(args, ++i, "--restore")));
        case "--storage" -> storage = Path.of(value(args, ++i, "--storage"));
        case "-h", "--help" -> {
          usage(System.out);
          return;
        }
        default -> {
          System.err.println("unknown argument: " + args[i]);
          usage(System.err);
          System.exit(2);
        }
      }
    }
    if ((tlsCert == null) != (tlsKey == null) || (clientCa != null && tlsCert == null)) {
      System.err.println("--tls-cert and --tls-key go together; --tls-client-ca needs both");
      usage(System.err);
      System.exit(2);
    }
    QdrantTestServer.Builder builder = QdrantTestServer.builder().port(port).apiKey(apiKey);
    if (tlsCert != null && tlsKey != null) {
      builder.tls(tlsCert, tlsKey);
    }
    if (clientCa != null) {
      builder.clientCa(clientCa);
    }
    if (snapshots != null) {
      builder.snapshotsDirectory(snapshots);
    }
    if (storage != null) {
      builder.storageDirectory(storage);
    }
    restore.forEach(builder::restoreSnapshot);
    QdrantTestServer server = builder.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "qdrant-testserver-shutdown"));
    System.out.println(server.port());
    System.out.flush();
    System.err.println(
        "vectorcache Qdrant test server "
            + QdrantTestServer.VERSION
            + " listening on "
            + server.url()
            + (apiKey == null ? "" : " (API key required)")
            + (clientCa == null ? "" : " (client certificate required)")
            + "; stop with Ctrl-C"
            + (watchStdin ? " or by closing standard input" : ""));
    if (watchStdin) {
      Thread watcher =
          new Thread(
              () -> {
                drain(System.in);
                System.exit(0);
              },
              "qdrant-testserver-stdin");
      watcher.setDaemon(true);
      watcher.start();
    }
    stopped.await();
  }

  private static void drain(InputStream in) {
    byte[] buf = new byte[256];
    try {
      while (in.read(buf) >= 0) {
        // keep reading until end of input
      }
    } catch (IOException e) {
      // a broken stdin counts as closed
    }
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      System.err.println(flag + " needs a value");
      System.exit(2);
    }
    return args[i];
  }

  private static void usage(PrintStream out) {
    out.println(
        "usage: java -jar vectorcache-qdrant-testserver-VERSION-all.jar"
            + " [--port N (0 = free port)] [--api-key KEY] [--ignore-stdin]"
            + " [--tls-cert CERT.pem --tls-key KEY.pem [--tls-client-ca CA.pem]]"
            + " [--snapshots DIR] [--restore SNAPSHOT_FILE]... [--storage DIR]");
  }
}
