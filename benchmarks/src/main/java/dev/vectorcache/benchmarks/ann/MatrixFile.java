package dev.vectorcache.benchmarks.ann;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A row-major matrix of float32 or int32 on disk: a 16-byte header (magic, rows, columns, cell
 * type) and the cells little-endian. Read with positional reads into the heap, never mapped, so
 * that reading a dataset does not add its pages to the process's resident set.
 */
final class MatrixFile {
  private static final int MAGIC = 0x56434D31; // "VCM1"
  private static final int FLOAT = 1;
  private static final int INT = 2;
  private static final int HEADER = 16;

  private MatrixFile() {}

  /** Produces row {@code i} into {@code out} (length = columns). */
  interface FloatRows {
    void row(int i, float[] out);
  }

  /** Writes {@code rows} float rows atomically (a temporary file renamed at the end). */
  static void writeFloats(Path file, int rows, int cols, FloatRows source) {
    write(
        file,
        rows,
        cols,
        FLOAT,
        (buf, row) -> {
          float[] v = new float[cols];
          source.row(row, v);
          for (float x : v) {
            buf.putFloat(x);
          }
        });
  }

  static void writeFloats(Path file, float[][] rows) {
    writeFloats(
        file,
        rows.length,
        rows[0].length,
        (i, out) -> System.arraycopy(rows[i], 0, out, 0, out.length));
  }

  static void writeInts(Path file, int[][] rows) {
    write(
        file,
        rows.length,
        rows[0].length,
        INT,
        (buf, row) -> {
          for (int x : rows[row]) {
            buf.putInt(x);
          }
        });
  }

  private interface RowWriter {
    void put(ByteBuffer buf, int row);
  }

  private static void write(Path file, int rows, int cols, int type, RowWriter writer) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        ByteBuffer head = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(MAGIC).putInt(rows).putInt(cols).putInt(type).flip();
        writeFully(ch, head);
        int perChunk = Math.max(1, (1 << 20) / (4 * cols));
        ByteBuffer buf = ByteBuffer.allocate(perChunk * 4 * cols).order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < rows; start += perChunk) {
          buf.clear();
          for (int r = start; r < Math.min(rows, start + perChunk); r++) {
            writer.put(buf, r);
          }
          buf.flip();
          writeFully(ch, buf);
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }

  /** An open float matrix, read by row ranges. */
  static final class Floats implements AutoCloseable {
    private final FileChannel channel;
    private final int rows;
    private final int cols;

    private Floats(FileChannel channel, int rows, int cols) {
      this.channel = channel;
      this.rows = rows;
      this.cols = cols;
    }

    int rows() {
      return rows;
    }

    int cols() {
      return cols;
    }

    /** Rows {@code [from, from + count)} as fresh arrays, read a chunk at a time. */
    float[][] read(int from, int count) {
      float[][] out = new float[count][cols];
      int chunk = Math.max(1, (4 << 20) / (4 * cols));
      ByteBuffer buf = ByteBuffer.allocate(chunk * cols * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (int start = 0; start < count; start += chunk) {
        int rowsNow = Math.min(chunk, count - start);
        buf.clear().limit(rowsNow * cols * 4);
        readFully(channel, buf, HEADER + (long) (from + start) * cols * 4);
        buf.flip();
        java.nio.FloatBuffer floats = buf.asFloatBuffer();
        for (int r = 0; r < rowsNow; r++) {
          floats.get(out[start + r]);
        }
      }
      return out;
    }

    float[][] readAll() {
      return read(0, rows);
    }

    @Override
    public void close() {
      try {
        channel.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Opens a float matrix; {@code null} when the file is missing or is not one. */
  static @org.jspecify.annotations.Nullable Floats openFloats(Path file) {
    int[] head = header(file, FLOAT);
    if (head == null) {
      return null;
    }
    try {
      return new Floats(FileChannel.open(file, StandardOpenOption.READ), head[0], head[1]);
    } catch (IOException e) {
      return null;
    }
  }

  /** {rows, columns} of a float matrix file; {@code null} when missing or not one. */
  static int @org.jspecify.annotations.Nullable [] floatsHeader(Path file) {
    return header(file, FLOAT);
  }

  /** Reads a whole float matrix; {@code null} when the file is missing or is not one. */
  static float @org.jspecify.annotations.Nullable [][] readFloats(Path file) {
    Floats f = openFloats(file);
    if (f == null) {
      return null;
    }
    try (f) {
      return f.readAll();
    }
  }

  /** Reads a whole int matrix; {@code null} when the file is missing or is not one. */
  static int @org.jspecify.annotations.Nullable [][] readInts(Path file) {
    int[] head = header(file, INT);
    if (head == null) {
      return null;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      int[][] out = new int[head[0]][head[1]];
      ByteBuffer buf = ByteBuffer.allocate(head[0] * head[1] * 4).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, buf, HEADER);
      buf.flip();
      java.nio.IntBuffer ints = buf.asIntBuffer();
      for (int[] row : out) {
        ints.get(row);
      }
      return out;
    } catch (IOException e) {
      return null;
    }
  }

  private static int @org.jspecify.annotations.Nullable [] header(Path file, int type) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer head = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, head, 0);
      head.flip();
      if (head.getInt() != MAGIC) {
        return null;
      }
      int rows = head.getInt();
      int cols = head.getInt();
      if (head.getInt() != type || ch.size() != HEADER + (long) rows * cols * 4) {
        return null; // truncated or of the other kind: rebuilt by the caller
      }
      return new int[] {rows, cols};
    } catch (IOException e) {
      return null;
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position) {
    try {
      long pos = position;
      while (buf.hasRemaining()) {
        int n = ch.read(buf, pos);
        if (n < 0) {
          throw new IOException("unexpected end of file at " + pos);
        }
        pos += n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
