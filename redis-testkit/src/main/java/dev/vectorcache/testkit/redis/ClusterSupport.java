package dev.vectorcache.testkit.redis;

import dev.vectorcache.testkit.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** The parts of {@link RedisCluster} that need no cluster: the slot of a key, and creating one. */
final class ClusterSupport {
  private ClusterSupport() {}

  /** See {@link RedisCluster#slot(String)}. */
  static int slot(String key) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    int start = 0;
    int end = bytes.length;
    for (int open = 0; open < bytes.length; open++) {
      if (bytes[open] == '{') {
        for (int close = open + 1; close < bytes.length; close++) {
          if (bytes[close] == '}') {
            if (close > open + 1) {
              start = open + 1;
              end = close;
            }
            break;
          }
        }
        break;
      }
    }
    return crc16(bytes, start, end) % RedisCluster.SLOTS;
  }

  /** CRC16-CCITT (XMODEM: polynomial 0x1021, initial 0), the checksum Redis Cluster uses. */
  static int crc16(byte[] bytes, int from, int to) {
    int crc = 0;
    for (int i = from; i < to; i++) {
      crc ^= (bytes[i] & 0xff) << 8;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
      crc &= 0xffff;
    }
    return crc;
  }

  /**
   * {@code redis-cli --cluster create} of {@code nodes}, {@code replicasPerPrimary} replicas each.
   * The password goes through the environment ({@code REDISCLI_AUTH}), so that it is not on a
   * command line anybody can read.
   */
  static void create(
      Path cli,
      List<RedisProcess> nodes,
      int replicasPerPrimary,
      @Nullable RedisTls tls,
      @Nullable String password,
      Duration timeout) {
    List<String> cmd = new ArrayList<>(List.of(cli.toString(), "--cluster", "create"));
    for (RedisProcess p : nodes) {
      cmd.add(p.host() + ":" + p.port());
    }
    cmd.addAll(
        List.of("--cluster-replicas", Integer.toString(replicasPerPrimary), "--cluster-yes"));
    if (tls != null) {
      TestCertificates c = tls.certificates();
      cmd.addAll(
          List.of(
              "--tls",
              "--cacert",
              c.caCertificate().toString(),
              "--cert",
              c.clientCertificate().toString(),
              "--key",
              c.clientKey().toString()));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (password != null) {
      // through the environment, so the password is not on a command line anybody can read
      pb.environment().put("REDISCLI_AUTH", password);
    }
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("redis-cli --cluster create did not finish");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "redis-cli --cluster create failed with "
                + p.exitValue()
                + ": "
                + new String(out, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + cli, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating the cluster", e);
    }
  }
}
