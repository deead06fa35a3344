package dev.vectorcache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MaskerTest {
  @Test
  void masksUserInfoOfAnyUrl() {
    Masker m = new Masker();
    assertThat(m.mask("connect redis://admin:hunter2@db:6379/0 failed"))
        .isEqualTo("connect redis://****@db:6379/0 failed");
    assertThat(m.mask("rediss://:pw@h and grpc://key@q:6334"))
        .isEqualTo("rediss://****@h and grpc://****@q:6334");
    assertThat(m.mask("http://host:6333/path")).isEqualTo("http://host:6333/path");
  }

  @Test
  void masksRegisteredSecretsAnywhereIncludingEncoded() {
    Masker m = new Masker();
    m.addUrlSecrets("redis://user:p%40ss-CANARY@host:6379");
    m.addSecret("API-KEY-CANARY");
    String text = "auth failed for p@ss-CANARY, key API-KEY-CANARY, raw p%40ss-CANARY";
    assertThat(m.mask(text)).doesNotContain("CANARY").contains("****");
  }

  @Test
  void argumentsRevealTheirSecrets() {
    Masker m = new Masker();
    m.addArgumentSecrets(new String[] {"check", "--qdrant-api-key", "K3Y-CANARY", "--x=1"});
    m.addArgumentSecrets(new String[] {"--qdrant-api-key=OTHER-CANARY"});
    assertThat(m.mask("K3Y-CANARY OTHER-CANARY")).isEqualTo("**** ****");
  }

  @Test
  void shortSecretsAreOnlyMaskedInUrls() {
    Masker m = new Masker();
    m.addUrlSecrets("redis://:ab@h");
    assertThat(m.mask("about redis://:ab@h")).isEqualTo("about redis://****@h");
  }

  @Test
  void theHelpTextsPlaceholderIsNotAUserInfo() {
    Masker m = new Masker();
    assertThat(m.mask("redis://[user:password@]host:port/db"))
        .isEqualTo("redis://[user:password@]host:port/db");
    assertThat(m.mask("redis://user:pw@host")).isEqualTo("redis://****@host");
  }

  @Test
  void streamMasksWholeLines() {
    Masker m = new Masker();
    m.addSecret("SECRET-CANARY");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream p =
        new PrintStream(new MaskingOutputStream(bytes, m), false, StandardCharsets.UTF_8);
    // written in pieces that split the secret
    p.print("a SECRET-");
    p.print("CANARY b\nSECRET-CANARY");
    p.flush();
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("a **** b\n****");
  }
}
