package dev.vectorcache.qdrant;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QdrantVersionsTest {
  @Test
  void judgesVersionsAsTheOfficialClientDoes() {
    assertThat(QdrantVersions.CLIENT).isNotBlank(); // read from the client jar's manifest
    assertThat(QdrantVersions.compatible("1.18.3", "1.18.0")).isTrue();
    assertThat(QdrantVersions.compatible("1.18.3", "1.17.1")).isTrue(); // one minor apart
    assertThat(QdrantVersions.compatible("1.18.3", "1.12.0")).isFalse();
    assertThat(QdrantVersions.compatible("1.18.3", "")).isTrue(); // a server that gives none
    assertThat(QdrantVersions.compatible(null, "0.1.0")).isTrue(); // no client version to compare
  }
}
