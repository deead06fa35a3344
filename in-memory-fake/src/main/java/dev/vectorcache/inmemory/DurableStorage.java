package dev.vectorcache.inmemory;

import dev.vectorcache.core.exception.BackendUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The durability of an {@link InMemoryVectorStore} opened with a storage directory: its write-ahead
 * log, checkpoints, recovery and directory lock. Layout and format: {@code docs/storage.md}.
 *
 * <p>Every write of the store runs through {@link #mutate}: under one lock per store it is applied
 * to memory, then its record is appended to the current segment, so the log's order is the order of
 * application; the write is acknowledged (the call returns) once the record is forced to the disk
 * as {@link FsyncPolicy} says, outside the lock, so writers that arrive together share one {@code
 * fsync}. A write that fails is applied to nothing and logged as nothing.
 */
final class DurableStorage {
  static final String LOCK_FILE = "LOCK";
  static final String SNAPSHOT_FILE = "store.snapshot";
  static final String ALIASES_FILE = "aliases.rec";

  /** The CRC-32C and length of {@link #SNAPSHOT_FILE}: {@code <crc hex> <length>}. */
  static final String CHECKSUM_FILE = "store.snapshot.crc32c";

  /** The record header: length u32, CRC-32C u32. */
  static final int HEADER = 8;

  private static final Pattern SEGMENT = Pattern.compile("wal-(\\d{20})\\.log");
  private static final Pattern CHECKPOINT = Pattern.compile("checkpoint-(\\d{20})");

  private final InMemoryVectorStore store;
  private final EmbeddedOptions options;
  private final Path dir;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final ReentrantLock mutex = new ReentrantLock();
  private final Object syncLock = new Object();
  private final AtomicLong synced = new AtomicLong();
  private final @Nullable ScheduledExecutorService ticker;

  // guarded by mutex
  private FileChannel segment;
  private long segmentSeq;
  private long walBytes;
  private long appended;
  private long checkpointSize; // bytes of the newest checkpoint's snapshot, 0 when none
  private @Nullable Throwable failure;
  private volatile boolean closed;

  private DurableStorage(
      InMemoryVectorStore store,
      EmbeddedOptions options,
      Path dir,
      FileChannel lockChannel,
      FileLock lock,
      FileChannel segment,
      long segmentSeq,
      long walBytes,
      long checkpointSize) {
    this.store = store;
    this.options = options;
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.segment = segment;
    this.segmentSeq = segmentSeq;
    this.walBytes = walBytes;
    this.checkpointSize = checkpointSize;
    if (options.fsyncPolicy() == FsyncPolicy.INTERVAL) {
      ScheduledExecutorService t =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread th = new Thread(r, "vectorcache-wal-fsync " + dir);
                th.setDaemon(true);
                return th;
              });
      long nanos = options.fsyncInterval().toNanos();
      ScheduledFuture<?> unused =
          t.scheduleWithFixedDelay(this::syncQuietly, nanos, nanos, TimeUnit.NANOSECONDS);
      this.ticker = t;
    } else {
      this.ticker = null;
    }
  }

  // ---- open and recovery ----

  /**
   * Locks {@code dir}, loads its newest complete checkpoint into {@code store} (which logs nothing
   * meanwhile), replays the log segments after it in order, and starts a new segment.
   *
   * @throws StorageLockedException when another store holds the directory
   * @throws WalCorruptedException when a record other than a torn tail, or a checkpoint, is damaged
   */
  static DurableStorage open(InMemoryVectorStore store, EmbeddedOptions options, Path dir) {
    FileChannel lockChannel;
    try {
      Files.createDirectories(dir);
      lockChannel =
          FileChannel.open(
              dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the storage directory " + dir, e);
    }
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException | IOException e) {
      closeQuietly(lockChannel);
      throw new StorageLockedException(dir, e);
    }
    if (lock == null) {
      closeQuietly(lockChannel);
      throw new StorageLockedException(dir, null);
    }
    try {
      return recover(store, options, dir, lockChannel, lock);
    } catch (RuntimeException | Error e) {
      closeQuietly(lockChannel); // releases the lock
      throw e;
    }
  }

  private static DurableStorage recover(
      InMemoryVectorStore store,
      EmbeddedOptions options,
      Path dir,
      FileChannel lockChannel,
      FileLock lock) {
    try {
      TreeMap<Long, Path> checkpoints = new TreeMap<>();
      TreeMap<Long, Path> segments = new TreeMap<>();
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          String name = p.getFileName().toString();
          Matcher s = SEGMENT.matcher(name);
          Matcher c = CHECKPOINT.matcher(name);
          if (s.matches()) {
            segments.put(Long.parseLong(s.group(1)), p);
          } else if (c.matches()) {
            checkpoints.put(Long.parseLong(c.group(1)), p);
          } else if (name.startsWith("checkpoint-") && name.endsWith(".tmp")) {
            deleteTree(p); // a checkpoint cut by a crash: its segments are all still here
          }
        }
      }
      long base = 0;
      long checkpointSize = 0;
      if (!checkpoints.isEmpty()) {
        Map.Entry<Long, Path> newest = checkpoints.lastEntry();
        base = newest.getKey();
        loadCheckpoint(store, newest.getValue());
        checkpointSize = Files.size(newest.getValue().resolve(SNAPSHOT_FILE));
      }
      long walBytes = 0;
      long last = base - 1;
      List<Map.Entry<Long, Path>> replay = new ArrayList<>(segments.tailMap(base, true).entrySet());
      for (int i = 0; i < replay.size(); i++) {
        Path file = replay.get(i).getValue();
        walBytes += replaySegment(store, file, i == replay.size() - 1);
        last = replay.get(i).getKey();
      }
      for (Path old : segments.headMap(base, false).values()) {
        Files.deleteIfExists(old);
      }
      for (Path old : checkpoints.headMap(base, false).values()) {
        deleteTree(old);
      }
      long seq = Math.max(Math.max(base, last + 1), 1);
      FileChannel segment = openSegment(dir, seq);
      syncDirectory(dir);
      return new DurableStorage(
          store, options, dir, lockChannel, lock, segment, seq, walBytes, checkpointSize);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot recover the storage directory " + dir, e);
    }
  }

  private static void loadCheckpoint(InMemoryVectorStore store, Path checkpoint)
      throws IOException {
    Path snapshot = checkpoint.resolve(SNAPSHOT_FILE);
    Path aliases = checkpoint.resolve(ALIASES_FILE);
    Path checksum = checkpoint.resolve(CHECKSUM_FILE);
    if (!Files.isRegularFile(snapshot)
        || !Files.isRegularFile(aliases)
        || !Files.isRegularFile(checksum)) {
      throw new WalCorruptedException(
          checkpoint,
          -1,
          "the checkpoint lacks " + SNAPSHOT_FILE + ", " + CHECKSUM_FILE + " or " + ALIASES_FILE,
          null);
    }
    String expected = Files.readString(checksum).trim();
    String found = checksumOf(snapshot);
    if (!expected.equals(found)) {
      throw new WalCorruptedException(
          snapshot,
          -1,
          "its CRC-32C and length ("
              + found
              + ") differ from "
              + CHECKSUM_FILE
              + " ("
              + expected
              + ")",
          null);
    }
    try {
      store.restore(snapshot);
    } catch (SnapshotFormatException | UncheckedIOException e) {
      throw new WalCorruptedException(snapshot, -1, String.valueOf(e.getMessage()), e);
    }
    byte[] bytes = Files.readAllBytes(aliases);
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < HEADER + 1) {
      throw new WalCorruptedException(aliases, 0, "the file is cut short", null);
    }
    int length = buf.getInt();
    int crc = buf.getInt();
    if (length != bytes.length - HEADER || crc(bytes, HEADER, length) != crc) {
      throw new WalCorruptedException(aliases, 0, "the record's length or CRC-32C differs", null);
    }
    byte kind = buf.get();
    if (kind != typeByte(WalRecords.ALIASES)) {
      throw new WalCorruptedException(aliases, 0, "not an aliases record: " + kind, null);
    }
    store.replaceAliases(WalRecords.readAliases(buf.slice()));
  }

  /**
   * Replays one segment; returns its length once a torn tail is cut. Only the newest segment may
   * end in a torn record; anything else wrong is corruption.
   */
  private static long replaySegment(InMemoryVectorStore store, Path file, boolean newest)
      throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      long pos = 0;
      ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
      while (pos < size) {
        long remaining = size - pos;
        if (remaining < HEADER) {
          return tornOrCorrupt(ch, file, pos, newest, true, "a record header is cut short");
        }
        header.clear();
        readFully(ch, header, pos);
        header.flip();
        long declared = Integer.toUnsignedLong(header.getInt());
        int crc = header.getInt();
        if (declared < 1 || declared > remaining - HEADER) {
          boolean tail = declared > remaining - HEADER || allZero(ch, pos, size);
          return tornOrCorrupt(ch, file, pos, newest, tail, "a record length of " + declared);
        }
        int length = (int) declared;
        ByteBuffer body = ByteBuffer.allocate(length);
        readFully(ch, body, pos + HEADER);
        byte[] bytes = body.array();
        if (crc(bytes, 0, length) != crc) {
          boolean tail = pos + HEADER + length == size;
          return tornOrCorrupt(ch, file, pos, newest, tail, "the record's CRC-32C differs");
        }
        int version = (bytes[0] & 0xff) >>> 5;
        byte type = (byte) (bytes[0] & 0x1f);
        if (version != WalRecords.VERSION) {
          throw new WalCorruptedException(
              file, pos, "a record of the unknown format version " + version, null);
        }
        try {
          WalRecords.replay(store, type, ByteBuffer.wrap(bytes, 1, length - 1).slice());
        } catch (RuntimeException e) {
          throw new WalCorruptedException(
              file, pos, "the record (type " + type + ") cannot be replayed: " + e, e);
        }
        pos += HEADER + length;
      }
      return size;
    }
  }

  /** A torn tail of the newest segment is cut off (returns the new size); otherwise corruption. */
  private static long tornOrCorrupt(
      FileChannel ch, Path file, long pos, boolean newest, boolean tail, String detail)
      throws IOException {
    if (!newest || !tail) {
      throw new WalCorruptedException(
          file,
          pos,
          detail + (newest ? " and valid bytes follow it" : " in a segment that is not the newest"),
          null);
    }
    ch.truncate(pos);
    ch.force(true);
    return pos;
  }

  private static boolean allZero(FileChannel ch, long from, long size) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(8192);
    long pos = from;
    while (pos < size) {
      buf.clear();
      int n = ch.read(buf, pos);
      if (n <= 0) {
        break;
      }
      for (int i = 0; i < n; i++) {
        if (buf.get(i) != 0) {
          return false;
        }
      }
      pos += n;
    }
    return true;
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    long at = pos;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, at);
      if (n < 0) {
        throw new IOException("unexpected end of file at " + at);
      }
      at += n;
    }
  }

  // ---- writes ----

  /**
   * Runs {@code applyThenRecord} under the store's write lock: it applies a write to memory and
   * returns the record to log (null: nothing changed, nothing to log). Returns once the record is
   * as durable as the policy asks.
   */
  void mutate(Supplier<WalRecords.@Nullable WalRecord> applyThenRecord) {
    long end;
    mutex.lock();
    try {
      checkUsable();
      WalRecords.WalRecord r = applyThenRecord.get();
      if (r == null) {
        return;
      }
      end = append(r);
      if (walBytes >= checkpointTrigger()) {
        try {
          checkpoint();
        } catch (IOException | RuntimeException e) {
          // the write is in the log: it stays durable; a later write tries again
          walBytes = 0;
        }
      }
    } finally {
      mutex.unlock();
    }
    if (options.fsyncPolicy() == FsyncPolicy.ALWAYS) {
      syncTo(end);
    }
  }

  /**
   * The log size since the last checkpoint that triggers the next one: {@code checkpointBytes}, or
   * half the last checkpoint when that is larger, so that a large store rewrites itself at most
   * about twice per its size in writes, and a crash replays at most about half its size of log.
   */
  private long checkpointTrigger() {
    return Math.max(options.checkpointBytes(), checkpointSize / 2);
  }

  /**
   * Runs a write that has no log record (a snapshot restore) under the write lock, then takes a
   * checkpoint before returning, so it is durable once acknowledged.
   */
  void mutateByCheckpoint(Runnable apply) {
    mutex.lock();
    try {
      checkUsable();
      apply.run();
      try {
        checkpoint();
      } catch (IOException e) {
        failure = e;
        throw new UncheckedIOException(
            "the write was applied in memory but its checkpoint failed; the store refuses writes"
                + " from now on",
            e);
      }
    } finally {
      mutex.unlock();
    }
  }

  private void checkUsable() {
    if (closed) {
      throw new BackendUnavailableException("memory", "this durable store is closed", null);
    }
    if (failure != null) {
      throw new BackendUnavailableException(
          "memory",
          "the write-ahead log in "
              + dir
              + " failed earlier; the store refuses writes (reopen it to recover)",
          failure);
    }
  }

  /** Appends one record to the current segment; returns the logical end of the log. */
  private long append(WalRecords.WalRecord r) {
    ByteBuffer frame = frame(r);
    int bytes = frame.remaining();
    try {
      while (frame.hasRemaining()) {
        segment.write(frame);
      }
    } catch (IOException e) {
      failure = e;
      throw new UncheckedIOException(
          "cannot append to the write-ahead log in " + dir + "; the write is not durable", e);
    }
    walBytes += bytes;
    appended += bytes;
    return appended;
  }

  /**
   * {@code [length u32][crc32c u32][version/type byte][body]}, little-endian; the version is the
   * byte's high 3 bits, the type its low 5.
   */
  static ByteBuffer frame(WalRecords.WalRecord r) {
    int length = 1 + r.body().length;
    ByteBuffer frame = ByteBuffer.allocate(HEADER + length).order(ByteOrder.LITTLE_ENDIAN);
    frame.putInt(length);
    frame.putInt(0);
    frame.put(typeByte(r.type()));
    frame.put(r.body());
    frame.putInt(4, crc(frame.array(), HEADER, length));
    frame.flip();
    return frame;
  }

  static byte typeByte(byte type) {
    return (byte) ((WalRecords.VERSION << 5) | type);
  }

  static int crc(byte[] bytes, int offset, int length) {
    CRC32C c = new CRC32C();
    c.update(bytes, offset, length);
    return (int) c.getValue();
  }

  /** Forces the log up to at least {@code end}; writers arriving together share one force. */
  private void syncTo(long end) {
    synchronized (syncLock) {
      while (synced.get() < end) {
        FileChannel ch;
        long target;
        mutex.lock();
        try {
          ch = segment;
          target = appended;
        } finally {
          mutex.unlock();
        }
        try {
          ch.force(false);
          synced.accumulateAndGet(target, Math::max);
        } catch (ClosedChannelException e) {
          // a checkpoint rotated the segment, forcing it: synced moved on, or look again
          if (closed && synced.get() < end) {
            throw new BackendUnavailableException("memory", "this durable store is closed", e);
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot force the write-ahead log in " + dir, e);
        }
      }
    }
  }

  private void syncQuietly() {
    try {
      long target;
      mutex.lock();
      try {
        target = appended;
      } finally {
        mutex.unlock();
      }
      syncTo(target);
    } catch (RuntimeException e) {
      // the next tick tries again; close forces what is left
    }
  }

  // ---- checkpoints ----

  /**
   * Called under the mutex: starts a new segment, writes every collection and the aliases to {@code
   * checkpoint-<seq>/} (through a temporary directory renamed once complete), then deletes the
   * segments and checkpoints it covers.
   */
  private void checkpoint() throws IOException {
    long next = segmentSeq + 1;
    FileChannel opened =
        openSegment(dir, next); // first: if it fails, the old one still takes writes
    segment.force(false);
    segment.close();
    synced.accumulateAndGet(appended, Math::max);
    segment = opened;
    segmentSeq = next;
    walBytes = 0;
    String name = "checkpoint-" + seq(next);
    Path tmp = dir.resolve(name + ".tmp");
    deleteTree(tmp);
    Files.createDirectories(tmp);
    Path snapshot = tmp.resolve(SNAPSHOT_FILE);
    store.snapshotAll(snapshot);
    forceFile(snapshot);
    long size = Files.size(snapshot);
    Path checksum = tmp.resolve(CHECKSUM_FILE);
    Files.writeString(checksum, checksumOf(snapshot) + "\n");
    forceFile(checksum);
    Path aliases = tmp.resolve(ALIASES_FILE);
    ByteBuffer frame = frame(WalRecords.aliases(store.aliasMap()));
    try (FileChannel ch =
        FileChannel.open(aliases, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      while (frame.hasRemaining()) {
        ch.write(frame);
      }
      ch.force(true);
    }
    syncDirectory(tmp);
    Path target = dir.resolve(name);
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target);
    }
    syncDirectory(dir);
    checkpointSize = size;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String n = p.getFileName().toString();
        Matcher s = SEGMENT.matcher(n);
        Matcher c = CHECKPOINT.matcher(n);
        if (s.matches() && Long.parseLong(s.group(1)) < next) {
          Files.deleteIfExists(p);
        } else if (c.matches() && Long.parseLong(c.group(1)) < next) {
          deleteTree(p);
        }
      }
    }
    syncDirectory(dir);
  }

  /** Takes a checkpoint now (tests and benchmarks). */
  void checkpointNow() {
    mutex.lock();
    try {
      checkUsable();
      checkpoint();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot checkpoint the storage directory " + dir, e);
    } finally {
      mutex.unlock();
    }
  }

  /** Takes a last checkpoint, closes the log and releases the directory's lock. */
  void close() {
    mutex.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (ticker != null) {
        ticker.shutdown(); // no interrupt: an interrupted force would close the channel
      }
      try {
        if (failure == null) {
          checkpoint();
        }
        segment.force(false);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot checkpoint the storage directory " + dir + " on close; the log stays", e);
      } finally {
        closeQuietly(segment);
        try {
          lock.release();
        } catch (IOException e) {
          // closing the channel releases it too
        }
        closeQuietly(lockChannel);
      }
    } finally {
      mutex.unlock();
    }
  }

  /**
   * Leaves the directory as a killed process would: closes the files and releases the lock with no
   * checkpoint and no final force (tests of recovery in one JVM).
   */
  void abandon() {
    mutex.lock();
    try {
      closed = true;
      if (ticker != null) {
        ticker.shutdown(); // no interrupt: an interrupted force would close the channel
      }
      closeQuietly(segment);
      closeQuietly(lockChannel);
    } finally {
      mutex.unlock();
    }
  }

  /** The storage directory. */
  Path directory() {
    return dir;
  }

  // ---- files ----

  static String seq(long seq) {
    return String.format("%020d", seq);
  }

  private static FileChannel openSegment(Path dir, long seq) throws IOException {
    return FileChannel.open(
        dir.resolve("wal-" + seq(seq) + ".log"),
        StandardOpenOption.CREATE,
        StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
  }

  /** {@code <crc32c hex> <length>} of a file. */
  static String checksumOf(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    long length = 0;
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      while (true) {
        buf.clear();
        int n = ch.read(buf);
        if (n < 0) {
          break;
        }
        buf.flip();
        crc.update(buf);
        length += n;
      }
    }
    return String.format("%08x %d", crc.getValue(), length);
  }

  private static void forceFile(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /** Forces a directory's entries (a rename, a new file); a no-op where the OS cannot. */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // not every platform can open or force a directory (Windows); its rename is durable there
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // nothing to do: the channel is gone either way
    }
  }
}
