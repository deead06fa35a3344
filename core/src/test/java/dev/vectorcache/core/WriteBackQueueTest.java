package dev.vectorcache.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.port.BatchMetadataWrites.CopyWrite;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("WriteBackQueue")
class WriteBackQueueTest {
  private final List<Runnable> tasks = new ArrayList<>();
  private final Executor manual = tasks::add;
  private final List<List<CopyWrite>> sent = new ArrayList<>();
  private final List<CompletableFuture<Void>> replies = new ArrayList<>();
  private final AtomicInteger dropped = new AtomicInteger();

  private WriteBackQueue queue(int capacity) {
    return new WriteBackQueue(
        capacity,
        manual,
        batch -> {
          sent.add(batch);
          CompletableFuture<Void> reply = new CompletableFuture<>();
          replies.add(reply);
          return reply;
        },
        dropped::addAndGet);
  }

  private static CopyWrite write(String key, long version) {
    return new CopyWrite(
        new MetadataEntry(key, Map.of(), version, null),
        Duration.ofMinutes(1),
        CopyWrite.Condition.IF_NEWER);
  }

  private void runTasks() {
    while (!tasks.isEmpty()) {
      tasks.remove(0).run();
    }
  }

  @Test
  @DisplayName("offer never sends on the caller's thread: sending starts on the executor")
  void sendsOnTheExecutor() {
    WriteBackQueue q = queue(10);
    assertThat(q.offer(write("a", 1))).isTrue();
    assertThat(sent).isEmpty();
    assertThat(tasks).hasSize(1);
    runTasks();
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0)).extracting(w -> w.entry().key()).containsExactly("a");
  }

  @Test
  @DisplayName("a full queue drops and counts without blocking; a sent batch frees room")
  void boundedAndCounted() {
    WriteBackQueue q = queue(3);
    for (int i = 0; i < 5; i++) {
      q.offer(write("k" + i, 1));
    }
    assertThat(q.size()).isEqualTo(3);
    assertThat(dropped).hasValue(2);
    runTasks(); // takes the batch; its reply is outstanding
    assertThat(q.size()).isZero();
    assertThat(q.offer(write("k9", 1))).isTrue();
    assertThat(sent).hasSize(1); // one batch in flight at a time
    replies.get(0).complete(null);
    runTasks();
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1)).extracting(w -> w.entry().key()).containsExactly("k9");
  }

  @Test
  @DisplayName("a key queued twice is sent once, with the higher version")
  void deduplicatesByKey() {
    WriteBackQueue q = queue(10);
    q.offer(write("a", 5));
    q.offer(write("a", 3));
    q.offer(write("b", 1));
    q.offer(write("a", 7));
    runTasks();
    assertThat(sent.get(0))
        .extracting(w -> w.entry().key() + "@" + w.entry().version())
        .containsExactly("a@7", "b@1");
  }

  @Test
  @DisplayName("batches hold at most 256 writes; a failed batch does not stop the next")
  void batches() {
    WriteBackQueue q = queue(1000);
    for (int i = 0; i < 600; i++) {
      q.offer(write("k" + i, 1));
    }
    runTasks();
    replies.get(0).completeExceptionally(new IllegalStateException("down"));
    runTasks();
    replies.get(1).complete(null);
    runTasks();
    assertThat(sent).extracting(List::size).containsExactly(256, 256, 88);
  }

  @Test
  @DisplayName("flush completes once the queue has drained; clear drops and counts what is left")
  void flushAndClear() {
    WriteBackQueue q = queue(10);
    assertThat(q.flush()).isDone();
    q.offer(write("a", 1));
    CompletableFuture<Void> flushed = q.flush();
    runTasks();
    assertThat(flushed).isNotDone(); // the batch is still being sent
    replies.get(0).complete(null);
    runTasks();
    assertThat(flushed).isDone();

    q.offer(write("b", 1));
    q.offer(write("c", 1));
    q.clear();
    assertThat(dropped).hasValue(2);
    assertThat(q.size()).isZero();
  }

  @Test
  @DisplayName("flush waits only for what was queued before it, not for a steady stream after it")
  void flushIgnoresLaterWriteBacks() {
    WriteBackQueue q = queue(1_000);
    q.offer(write("a", 1));
    q.offer(write("b", 1));
    CompletableFuture<Void> flushed = q.flush();
    runTasks(); // batch [a, b] goes out
    q.offer(write("c", 1)); // queued after the flush, while [a, b] is in flight
    q.offer(write("a", 2)); // a newer version of a key already sent: a new entry, after the flush
    assertThat(flushed).isNotDone();
    replies.get(0).complete(null);
    runTasks(); // [a, b] done; the next batch [c, a] goes out and stays in flight
    assertThat(sent).hasSize(2);
    assertThat(replies.get(1)).isNotDone();
    assertThat(flushed).as("done once a and b were sent, with c still in flight").isDone();

    CompletableFuture<Void> second = q.flush();
    assertThat(second).isNotDone();
    replies.get(1).complete(null);
    runTasks();
    assertThat(second).isDone();
  }

  @Test
  @DisplayName("a flush waiting on entries that clear() drops completes")
  void clearCompletesWaitingFlushes() {
    WriteBackQueue q = queue(10);
    q.offer(write("a", 1));
    runTasks(); // [a] in flight
    q.offer(write("b", 1));
    CompletableFuture<Void> flushed = q.flush();
    q.clear(); // drops b; a is still in flight
    assertThat(flushed).isNotDone();
    replies.get(0).complete(null);
    runTasks();
    assertThat(flushed).isDone();
    assertThat(dropped).hasValue(1);
  }
}
