package dev.vectorcache.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QdrantConfigTest {
  @Test
  void restPortMapsToTheGrpcPortAsTheOfficialClientsDo() {
    assertThat(QdrantConfig.fromUrl("http://q.local:6333").grpcPort()).isEqualTo(6334);
    assertThat(QdrantConfig.fromUrl("http://q.local").grpcPort()).isEqualTo(6334);
    assertThat(QdrantConfig.fromUrl("https://q.local").tls()).isTrue();
    assertThat(QdrantConfig.fromUrl("grpc://q.local:7000").grpcPort()).isEqualTo(7000);
    assertThat(QdrantConfig.fromUrl("grpcs://q.local").grpcPort()).isEqualTo(6334);
    assertThat(QdrantConfig.fromUrl("http://q.local:9999").grpcPort()).isEqualTo(9999);
  }

  @Test
  void memoryUrlsAndTheApiKeyStaysSecret() {
    assertThat(QdrantConfig.fromUrl(null).scheme()).isEqualTo("memory");
    assertThat(QdrantConfig.fromUrl("memory:shared").memoryName()).isEqualTo("shared");
    QdrantConfig c = QdrantConfig.builder().url("https://q.local").apiKey("CANARY-key-77").build();
    assertThat(c.apiKey()).isEqualTo("CANARY-key-77");
    assertThat(c.toString()).doesNotContain("CANARY-key-77").contains("apiKey=****");
  }
}
