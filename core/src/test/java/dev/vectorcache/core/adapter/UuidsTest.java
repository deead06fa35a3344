package dev.vectorcache.core.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidsTest {
  @Test
  void matchesTheRfcVersion5Example() {
    // RFC 9562 appendix A.4: UUIDv5 of "www.example.com" in the DNS namespace
    UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
    assertThat(Uuids.v5(dns, "www.example.com"))
        .isEqualTo(UUID.fromString("2ed6657d-e927-568b-95e1-2665a8aea6a2"));
    assertThat(Uuids.v5(dns, "www.example.com").version()).isEqualTo(5);
  }
}
