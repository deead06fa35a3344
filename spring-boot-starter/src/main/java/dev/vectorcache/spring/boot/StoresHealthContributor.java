package dev.vectorcache.spring.boot;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;

/**
 * The {@code vectorcache} health contributor: one {@link StoreHealthIndicator} per store, their
 * pings run on a pool of daemon threads that this contributor owns and stops when closed.
 */
final class StoresHealthContributor implements CompositeHealthContributor, AutoCloseable {
  private final ExecutorService executor;
  private final CompositeHealthContributor delegate;

  StoresHealthContributor(
      ExecutorService executor, Map<String, ? extends HealthContributor> contributors) {
    this.executor = executor;
    this.delegate = CompositeHealthContributor.fromMap(contributors);
  }

  /** A pool of daemon threads named {@code vectorcache-health-N}, idle ones ending after 60 s. */
  static ExecutorService newExecutor() {
    AtomicInteger n = new AtomicInteger();
    return Executors.newCachedThreadPool(
        r -> {
          Thread t = new Thread(r, "vectorcache-health-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  @Override
  public @Nullable HealthContributor getContributor(String name) {
    return delegate.getContributor(name);
  }

  @Override
  public Stream<HealthContributors.Entry> stream() {
    return delegate.stream();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
