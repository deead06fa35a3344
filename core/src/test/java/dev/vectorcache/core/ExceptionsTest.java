package dev.vectorcache.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.exception.AliasNotFoundException;
import dev.vectorcache.core.exception.AuthenticationException;
import dev.vectorcache.core.exception.BackendException;
import dev.vectorcache.core.exception.BackendRejectedException;
import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.CollectionAlreadyExistsException;
import dev.vectorcache.core.exception.CollectionConfigMismatchException;
import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.PointNotFoundException;
import dev.vectorcache.core.exception.UnsupportedCapabilityException;
import dev.vectorcache.core.exception.VectorCacheException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Exceptions")
class ExceptionsTest {
  private final RuntimeException cause = new RuntimeException("io");

  @Test
  @DisplayName("backend exceptions name the backend and keep the cause")
  void backends() {
    for (BackendException e :
        new BackendException[] {
          new BackendException("qdrant", "m", cause),
          new AuthenticationException("redis", "m", cause),
          new BackendRejectedException("redis", "m", cause),
          new BackendTimeoutException("qdrant", "m", cause),
          new BackendUnavailableException("qdrant", "m", cause)
        }) {
      assertThat(e.backend()).isIn("qdrant", "redis");
      assertThat(e).hasMessage("m").hasCause(cause).isInstanceOf(VectorCacheException.class);
    }
  }

  @Test
  @DisplayName("a missing collection is named, with how to create it")
  void collectionNotFound() {
    CollectionNotFoundException e = new CollectionNotFoundException("docs");
    assertThat(e.collection()).isEqualTo("docs");
    assertThat(e).hasMessageContaining("'docs'").hasMessageContaining("initialize()").hasNoCause();
    assertThat(new CollectionNotFoundException("docs", cause)).hasCause(cause);
    CollectionAlreadyExistsException taken = new CollectionAlreadyExistsException("docs", cause);
    assertThat(taken.collection()).isEqualTo("docs");
    assertThat(taken).hasMessage("collection 'docs' already exists");
    CollectionAlreadyExistsException byAlias =
        new CollectionAlreadyExistsException("live", "an alias has this name", null);
    assertThat(byAlias.collection()).isEqualTo("live");
    assertThat(byAlias)
        .hasMessage("the collection name 'live' is taken: an alias has this name")
        .hasNoCause();
  }

  @Test
  @DisplayName("a missing alias is named, with how to list them")
  void aliasNotFound() {
    AliasNotFoundException e = new AliasNotFoundException("live");
    assertThat(e.alias()).isEqualTo("live");
    assertThat(e).hasMessageContaining("'live'").hasMessageContaining("listAliases").hasNoCause();
    assertThat(new AliasNotFoundException("live", cause)).hasCause(cause);
  }

  @Test
  @DisplayName("invalid input names field, expected and found, shortening long values")
  void invalidInput() {
    InvalidInputException e =
        new InvalidInputException("metadata.title", "at most 10 characters", "x".repeat(100));
    assertThat(e.field()).isEqualTo("metadata.title");
    assertThat(e.found()).hasSize(82).endsWith("...\"").startsWith("\"xxx");
    assertThat(e)
        .hasMessageStartingWith("invalid metadata.title: expected at most 10 characters, found");
    assertThat(new InvalidInputException("k", "a string", null, "pass one"))
        .hasMessage("invalid k: expected a string, found null; pass one");
    assertThat(new InvalidInputException("n", "1 or more", 0)).hasMessageEndingWith("found 0");
  }

  @Test
  @DisplayName("the other exceptions say what went wrong")
  void others() {
    assertThat(new PointNotFoundException("docs", 42))
        .hasMessage("no point with id 42 in collection 'docs'");
    assertThat(new UnsupportedCapabilityException("no PQ")).hasMessage("no PQ");
    assertThat(new ConfigurationException("bad", cause)).hasCause(cause);
    assertThat(new CollectionConfigMismatchException("docs", "dimension", 3, 4))
        .hasMessageContaining("exists with dimension = 4")
        .hasMessageContaining("configured with dimension = 3")
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  @DisplayName("a cache write copies its vector and compares it by value")
  void cacheWrite() {
    float[] v = {1, 2, 3};
    CacheWrite w = CacheWrite.of("a", v, null, java.time.Duration.ofMinutes(1));
    v[0] = 0;
    w.vector()[1] = 0;
    assertThat(w.vector()).containsExactly(1, 2, 3);
    CacheWrite same =
        CacheWrite.of("a", new float[] {1, 2, 3}, null, java.time.Duration.ofMinutes(1));
    assertThat(w).isEqualTo(same).hasSameHashCodeAs(same);
    assertThat(w)
        .isNotEqualTo(
            CacheWrite.of("a", new float[] {1, 2, 4}, null, java.time.Duration.ofMinutes(1)));
    assertThat(w.toString()).contains("key=a").contains("dimension=3").doesNotContain("2.0");
    assertThat(CacheWrite.of("b", null, null, java.time.Duration.ofMinutes(1)).vector()).isNull();
  }
}
