package dev.vectorcache.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Buffers bytes up to each line end (or flush), masks the text with a {@link Masker}, and writes it
 * on. Line-buffered so that a secret is never split across two writes.
 */
final class MaskingOutputStream extends OutputStream {
  private final OutputStream out;
  private final Masker masker;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  MaskingOutputStream(OutputStream out, Masker masker) {
    this.out = out;
    this.masker = masker;
  }

  @Override
  public synchronized void write(int b) throws IOException {
    line.write(b);
    if (b == '\n') {
      drain();
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) throws IOException {
    for (int i = off; i < off + len; i++) {
      write(b[i]);
    }
  }

  @Override
  public synchronized void flush() throws IOException {
    drain();
    out.flush();
  }

  @Override
  public synchronized void close() throws IOException {
    flush();
  }

  private void drain() throws IOException {
    if (line.size() == 0) {
      return;
    }
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    out.write(masker.mask(text).getBytes(StandardCharsets.UTF_8));
  }
}
