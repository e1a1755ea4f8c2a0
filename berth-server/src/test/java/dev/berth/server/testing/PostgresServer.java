package dev.berth.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real, throwaway PostgreSQL server for tests: {@code initdb} into a temporary directory, {@code
 * pg_ctl start} on a free 127.0.0.1 port with its unix socket in that directory, trust
 * authentication for the superuser {@code berth}, and a database {@code berth}. {@link #close()}
 * stops it ({@code -m immediate}), makes sure the postmaster is gone, and deletes the directory.
 *
 * <p>Binaries are looked up in {@code $BERTH_PG_BIN}, {@code $PATH}, {@code
 * /usr/lib/postgresql/<newest>/bin} and {@code /usr/local/bin}. PostgreSQL refuses to run as root;
 * when the tests run as root, the server runs as {@code nobody} via {@code runuser -u nobody --}
 * (util-linux) and the directory is handed to that user (so it must be under a directory {@code
 * nobody} can traverse, such as {@code /tmp}, which is where it goes).
 *
 * <p>{@link #shared()} gives one server per JVM (stopped by a shutdown hook); each test class
 * should take its own database with {@link #createDatabase()}. Use {@link #requireBinaries()}
 * first: it fails with an install hint when PostgreSQL is missing, or skips when {@code
 * BERTH_SKIP_POSTGRES=1}.
 */
public final class PostgresServer implements AutoCloseable {
  private static final String RUN_AS = "nobody";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static PostgresServer shared;

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asRoot;
  private final AtomicInteger databases = new AtomicInteger();
  private volatile boolean closed;

  private PostgresServer(Path bin, Path dir, int port, boolean asRoot) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asRoot = asRoot;
  }

  /** Where {@code initdb} and {@code pg_ctl} are, if anywhere. */
  public static Optional<Path> findBinaries() {
    List<Path> candidates = new ArrayList<>();
    String env = System.getenv("BERTH_PG_BIN");
    if (env != null && !env.isBlank()) {
      candidates.add(Paths.get(env));
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String p : path.split(java.io.File.pathSeparator)) {
        if (!p.isBlank()) {
          candidates.add(Paths.get(p));
        }
      }
    }
    Path debian = Paths.get("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        versions
            .filter(v -> v.getFileName().toString().matches("\\d+"))
            .sorted(
                Comparator.comparingInt((Path v) -> Integer.parseInt(v.getFileName().toString()))
                    .reversed())
            .forEach(v -> candidates.add(v.resolve("bin")));
      } catch (IOException e) {
        // fall through to the other candidates
      }
    }
    candidates.add(Paths.get("/usr/local/bin"));
    return candidates.stream()
        .filter(
            d -> Files.isExecutable(d.resolve("initdb")) && Files.isExecutable(d.resolve("pg_ctl")))
        .map(PostgresServer::realDirectory)
        .findFirst();
  }

  /**
   * The binaries' directory; fails the test with an install hint when there are none, or skips it
   * (printing why) when {@code BERTH_SKIP_POSTGRES=1}.
   */
  public static Path requireBinaries() {
    Optional<Path> bin = findBinaries();
    if (bin.isPresent()) {
      return bin.get();
    }
    String why =
        "PostgreSQL's initdb and pg_ctl were not found in $BERTH_PG_BIN, $PATH, /usr/lib/postgresql/*/bin"
            + " or /usr/local/bin";
    if ("1".equals(System.getenv("BERTH_SKIP_POSTGRES"))) {
      System.err.println("Skipping a PostgreSQL test: " + why + " and BERTH_SKIP_POSTGRES=1");
      Assumptions.abort(why + " (skipped because BERTH_SKIP_POSTGRES=1)");
    }
    return Assertions.fail(
        why
            + ": install the 'postgresql' package (apt-get install postgresql), or set"
            + " BERTH_SKIP_POSTGRES=1 to skip the PostgreSQL tests");
  }

  /** One server for the whole JVM, started on first use and stopped at exit. */
  public static synchronized PostgresServer shared() {
    if (shared == null || shared.closed) {
      PostgresServer server = start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgres-test-server-stop"));
      shared = server;
    }
    return shared;
  }

  /** Starts a new server that the caller owns and must close. */
  public static PostgresServer start() {
    Path bin = requireBinaries();
    boolean asRoot = "root".equals(System.getProperty("user.name"));
    IllegalStateException last = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      Path dir = createDirectory(asRoot);
      PostgresServer server = new PostgresServer(bin, dir, freePort(), asRoot);
      try {
        server.initAndStart();
        return server;
      } catch (IllegalStateException e) {
        last = e;
        server.close();
      }
    }
    throw last;
  }

  public String jdbcUrl() {
    return jdbcUrl("berth");
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public String username() {
    return "berth";
  }

  /** No password: the cluster trusts local connections. */
  public String password() {
    return "";
  }

  public int port() {
    return port;
  }

  /** Creates a fresh, empty database and returns its JDBC URL. */
  public String createDatabase() {
    String name = "test_" + databases.incrementAndGet();
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), username(), password());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create database " + name + ": " + e.getMessage() + "\n" + logTail(), e);
    }
    return jdbcUrl(name);
  }

  private void initAndStart() {
    run(
        Duration.ofSeconds(120),
        bin.resolve("initdb").toString(),
        "-D",
        dir.resolve("data").toString(),
        "-U",
        username(),
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--no-locale",
        "--no-sync");
    run(
        START_TIMEOUT,
        bin.resolve("pg_ctl").toString(),
        "-D",
        dir.resolve("data").toString(),
        "-w",
        "-t",
        String.valueOf(START_TIMEOUT.toSeconds()),
        "-l",
        dir.resolve("server.log").toString(),
        "-o",
        "-p "
            + port
            + " -h 127.0.0.1 -k "
            + dir
            + " -F -c fsync=off -c synchronous_commit=off"
            + " -c full_page_writes=off -c max_connections=200",
        "start");
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), username(), password());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE berth");
    } catch (SQLException e) {
      throw new IllegalStateException(
          "PostgreSQL started but refuses connections: " + e.getMessage() + "\n" + logTail(), e);
    }
  }

  /** Stops the server at once and deletes its files. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Path data = dir.resolve("data");
    Optional<Long> pid = postmasterPid(data);
    if (pid.isPresent()) {
      try {
        run(
            Duration.ofSeconds(30),
            bin.resolve("pg_ctl").toString(),
            "-D",
            data.toString(),
            "-m",
            "immediate",
            "-w",
            "stop");
      } catch (RuntimeException e) {
        System.err.println("pg_ctl stop failed, killing the postmaster: " + e.getMessage());
      }
      ProcessHandle.of(pid.get())
          .ifPresent(
              p -> {
                try {
                  p.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                  p.destroyForcibly();
                }
              });
    }
    deleteRecursively(dir);
  }

  private static Optional<Long> postmasterPid(Path data) {
    try {
      List<String> lines =
          Files.readAllLines(data.resolve("postmaster.pid"), StandardCharsets.UTF_8);
      return lines.isEmpty()
          ? Optional.empty()
          : Optional.of(Long.parseLong(lines.getFirst().strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private void run(Duration timeout, String... command) {
    List<String> cmd = new ArrayList<>();
    if (asRoot) {
      cmd.addAll(List.of("runuser", "-u", RUN_AS, "--"));
    }
    cmd.addAll(List.of(command));
    Path out = dir.resolve("command.out");
    try {
      Process p =
          new ProcessBuilder(cmd)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", cmd) + " did not finish within " + timeout + "\n" + logTail());
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", cmd)
                + " exited with "
                + p.exitValue()
                + ":\n"
                + Files.readString(out)
                + "\n"
                + logTail());
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", cmd), e);
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("server.log"));
      return "server.log:\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no server.log)";
    }
  }

  private static Path createDirectory(boolean asRoot) {
    try {
      // /tmp rather than java.io.tmpdir: the unix socket path must stay short, and 'nobody' must
      // reach it
      Path dir = Files.createTempDirectory(Paths.get("/tmp"), "berth-pg-");
      if (asRoot) {
        UserPrincipal owner =
            dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(RUN_AS);
        Files.setOwner(dir, owner);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create a directory for PostgreSQL: " + e.getMessage(), e);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path realDirectory(Path binDir) {
    try {
      return binDir.resolve("pg_ctl").toRealPath().getParent();
    } catch (IOException e) {
      return binDir;
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e.getMessage());
    }
  }
}
