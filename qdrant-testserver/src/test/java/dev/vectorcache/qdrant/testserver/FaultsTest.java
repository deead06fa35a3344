package dev.vectorcache.qdrant.testserver;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Points.PointStruct;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fault modes that hold calls, the seeded random plan and the per-mode counts. */
class FaultsTest {
  private static final Duration DEADLINE = Duration.ofMillis(300);

  private QdrantTestServer server;
  private QdrantClient client;

  @BeforeEach
  void start() throws Exception {
    server = QdrantTestServer.start();
    client =
        new QdrantClient(QdrantGrpcClient.newBuilder("127.0.0.1", server.port(), false).build());
    client
        .createCollectionAsync(
            "x", VectorParams.newBuilder().setSize(2).setDistance(Distance.Dot).build())
        .get();
    server.resetRequestCounts();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private static Status.Code code(ListenableFuture<?> f) {
    Throwable t = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, f::get);
    return Status.fromThrowable(t.getCause()).getCode();
  }

  private ListenableFuture<?> upsert(long id) {
    return client.upsertAsync(
        "x",
        List.of(PointStruct.newBuilder().setId(id(id)).setVectors(vectors(1, 0)).build()),
        DEADLINE);
  }

  @Test
  void aHungCallEndsOnlyWithTheClientsDeadlineAndIsThenForgotten() throws Exception {
    server.faults().inject(FaultMode.HANG, "Count");
    assertThat(code(client.countAsync("x", DEADLINE))).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    // the client's cancellation reaches the server: the call is no longer held
    awaitHeld(0);
    assertThat(server.faults().injected()).containsEntry(FaultMode.HANG, 1L);
  }

  @Test
  void aCallWithoutDeadlineHangsUntilTheServerStopsAndIsThenAnswered() throws Exception {
    server.faults().inject(FaultMode.HANG);
    ListenableFuture<Long> hung = client.countAsync("x");
    // held: no answer comes while the server runs
    assertThatThrownBy(() -> hung.get(300, TimeUnit.MILLISECONDS))
        .isInstanceOf(TimeoutException.class);
    assertThat(server.heldCalls()).isEqualTo(1);
    assertThat(server.requestsWithoutDeadline()).isEqualTo(1);

    server.close();
    ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> hung.get(5, TimeUnit.SECONDS));
    assertThat(Status.fromThrowable(e.getCause()).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(server.heldCalls()).isZero();
  }

  @Test
  void applyThenHangAppliesTheWriteAndNeverAnswers() throws Exception {
    server.faults().injectOnce(FaultMode.APPLY_THEN_HANG, "Upsert");
    assertThat(code(upsert(1))).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(client.countAsync("x", DEADLINE).get()).isEqualTo(1);
    assertThat(server.faults().active()).isNull();
    assertThat(FaultMode.APPLY_THEN_HANG.applies()).isTrue();
    assertThat(FaultMode.HANG.applies()).isFalse();
  }

  @Test
  void slowAndDeadlineFaultsStillHeldAreAnsweredWhenTheServerStops() throws Exception {
    server.faults().inject(FaultMode.slow(Duration.ofMinutes(1)), "Upsert");
    ListenableFuture<?> slow =
        client.upsertAsync(
            "x", List.of(PointStruct.newBuilder().setId(id(1)).setVectors(vectors(1, 0)).build()));
    awaitHeld(1);
    server.faults().inject(FaultMode.DEADLINE_EXCEEDED, "Count");
    ListenableFuture<Long> held = client.countAsync("x");
    awaitHeld(2);
    server.close();
    assertThat(code(slow)).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(code(held)).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void faultsOnEveryMethodHitTheHealthCheckUnlessItIsSpared() throws Exception {
    server.faults().inject(FaultMode.UNAVAILABLE);
    assertThat(code(client.healthCheckAsync(DEADLINE))).isEqualTo(Status.Code.UNAVAILABLE);
    server.faults().spare("healthcheck");
    assertThat(client.healthCheckAsync(DEADLINE).get().getVersion())
        .isEqualTo(QdrantTestServer.VERSION);
    assertThat(code(client.countAsync("x", DEADLINE))).isEqualTo(Status.Code.UNAVAILABLE);
    server.faults().clear(); // forgets the spared methods too
    server.faults().inject(FaultMode.UNAVAILABLE, "HealthCheck");
    assertThat(code(client.healthCheckAsync(DEADLINE))).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void aSeededRandomPlanReplaysAndCountsWhatItInjected() {
    List<FaultMode> modes = FaultMode.all(Duration.ofMillis(5));
    List<String> first = draws(7, 0.1, modes, 1_000);
    List<String> again = draws(7, 0.1, modes, 1_000);
    List<String> other = draws(8, 0.1, modes, 1_000);
    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
    long faults = first.stream().filter(s -> !s.equals("-")).count();
    // 10 % of 1,000 draws, with a wide margin: the seed is fixed, so this never flakes
    assertThat(faults).isBetween(60L, 140L);
    // every mode is drawn at some point, and only the modes given
    assertThat(first).containsAll(modes.stream().map(FaultMode::toString).toList());

    Faults faults0 = new Faults();
    faults0.injectRandomly(7, 0.1, modes, "Upsert");
    for (int i = 0; i < 1_000; i++) {
      faults0.take("Upsert");
      assertThat(faults0.take("Query")).isNull(); // not a method of the plan
    }
    Map<FaultMode, Long> counts = faults0.injected();
    assertThat(counts.values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(faults)
        .isEqualTo(faults0.injectedTotal());
    assertThat(counts.keySet()).containsExactlyElementsOf(modes); // in FaultMode order
    faults0.resetInjected();
    assertThat(faults0.injectedTotal()).isZero();
  }

  @Test
  void ratesAndModesAreChecked() {
    Faults f = new Faults();
    assertThatThrownBy(() -> f.injectRandomly(1, 1.5, List.of(FaultMode.HANG)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> f.injectRandomly(1, Double.NaN, List.of(FaultMode.HANG)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> f.injectRandomly(1, 0.5, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    f.injectRandomly(1, 1.0, List.of(FaultMode.HANG));
    assertThat(f.take("Count")).isEqualTo(FaultMode.HANG);
    assertThat(f.active()).isEqualTo(FaultMode.HANG);
    f.injectRandomly(1, 0.0, List.of(FaultMode.HANG));
    assertThat(f.take("Count")).isNull();
  }

  @Test
  void callsWithAndWithoutDeadlineAreCounted() throws Exception {
    client.countAsync("x", DEADLINE).get();
    assertThat(server.requestsWithoutDeadline()).isZero();
    client.countAsync("x").get();
    assertThat(server.requestsWithoutDeadline()).isEqualTo(1);
    server.resetRequestCounts();
    assertThat(server.requestsWithoutDeadline()).isZero();
  }

  /** Waits (boundedly) until the server holds {@code n} calls; the calls arrive asynchronously. */
  private void awaitHeld(int n) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.heldCalls() != n && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertThat(server.heldCalls()).isEqualTo(n);
  }

  private static List<String> draws(long seed, double rate, List<FaultMode> modes, int n) {
    Faults f = new Faults();
    f.injectRandomly(seed, rate, modes);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      FaultMode m = f.take(i % 2 == 0 ? "Upsert" : "HealthCheck");
      out.add(m == null ? "-" : m.toString());
    }
    return out;
  }
}
