package dev.vectorcache.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.InvalidInputException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Scopes, prompt normalisation and entry keys")
class ScopeTest {

  @Nested
  @DisplayName("a scope")
  class Scopes {
    @Test
    @DisplayName("has a canonical form: fields sorted by name, each length-prefixed in UTF-8 bytes")
    void canonical() {
      Scope s = Scope.of("user", "u1").with("tenant", "acme");
      assertThat(s.canonical()).isEqualTo("6:tenant4:acme4:user2:u1");
      assertThat(Scope.of("tenant", "é").canonical()).isEqualTo("6:tenant2:é");
      assertThat(s.fields()).containsExactly(Map.entry("tenant", "acme"), Map.entry("user", "u1"));
    }

    @Test
    @DisplayName("is equal to another only with the same fields and values, whatever the order")
    void equality() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("user", "u1");
      m.put("tenant", "acme");
      assertThat(Scope.of(m)).isEqualTo(Scope.of("tenant", "acme").with("user", "u1"));
      assertThat(Scope.of(m)).hasSameHashCodeAs(Scope.of("tenant", "acme").with("user", "u1"));
      assertThat(Scope.of("tenant", "acme")).isNotEqualTo(Scope.of("tenant", "acme ")); // exact
      assertThat(Scope.of("tenant", "acme")).isNotEqualTo(Scope.of("tenant", "Acme"));
      assertThat(Scope.of("tenant", "acme"))
          .isNotEqualTo(Scope.of("tenant", "acme").with("user", "u1"));
    }

    @Test
    @DisplayName("canonical forms never collide, even for values that look like the encoding")
    void noCollisions() {
      Set<String> seen = new HashSet<>();
      Scope[] tricky = {
        Scope.of("a", "b"),
        Scope.of("a", "b1:c"),
        Scope.of("a", "b").with("c", "d"),
        Scope.of("a", "b1:c1:d"),
        Scope.of("a", "1:b"),
        Scope.of("a1", "b"),
        Scope.of("a", "b:1:c1:d"),
        Scope.of("ab", "c"),
        Scope.of("a", "bc"),
      };
      for (Scope s : tricky) {
        assertThat(seen.add(s.canonical())).as(s.canonical()).isTrue();
      }
    }

    @Test
    @DisplayName("refuses bad names, blank or ill-formed values, no fields and a field set twice")
    void refusals() {
      assertThatThrownBy(() -> Scope.of("Tenant", "x"))
          .isInstanceOf(InvalidInputException.class)
          .extracting(e -> ((InvalidInputException) e).field())
          .isEqualTo("scope field name");
      assertThatThrownBy(() -> Scope.of("1tenant", "x")).isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> Scope.of("a".repeat(65), "x"))
          .isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> Scope.of("tenant", " \t"))
          .isInstanceOf(InvalidInputException.class)
          .extracting(e -> ((InvalidInputException) e).field())
          .isEqualTo("scope.tenant");
      assertThatThrownBy(() -> Scope.of("tenant", null)).isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> Scope.of("tenant", "ab\uD83D"))
          .isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> Scope.of("tenant", "x".repeat(Scope.MAX_VALUE_BYTES + 1)))
          .isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> Scope.of(Map.of()))
          .isInstanceOf(InvalidInputException.class)
          .extracting(e -> ((InvalidInputException) e).field())
          .isEqualTo("scope");
      assertThatThrownBy(() -> Scope.of("tenant", "a").with("tenant", "b"))
          .isInstanceOf(InvalidInputException.class)
          .extracting(e -> ((InvalidInputException) e).field())
          .isEqualTo("scope.tenant");
      assertThatThrownBy(() -> Scope.require(null))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("never means \"all\"");
    }

    @Test
    @DisplayName("shows field names only in toString (values may identify people)")
    void toStringHidesValues() {
      assertThat(Scope.of("tenant", "acme").with("user", "alice@example.com").toString())
          .isEqualTo("Scope[tenant, user]");
    }
  }

  @Nested
  @DisplayName("a prompt")
  class Normalisation {
    @Test
    @DisplayName("is NFC, trimmed, its whitespace runs collapsed to one space, its case kept")
    void normalised() {
      assertThat(Prompts.normalise("  What  is\tthe\n\ncapital\u00A0of  France? "))
          .isEqualTo("What is the capital of France?");
      assertThat(Prompts.normalise("Cafe\u0301")).isEqualTo("Caf\u00E9");
      assertThat(Prompts.normalise("HeLLo")).isEqualTo("HeLLo");
    }

    @Test
    @DisplayName("is refused when blank (no-break spaces included) or ill-formed")
    void refused() {
      for (String blank : new String[] {null, "", "  ", "\u00A0\u2007"}) {
        assertThatThrownBy(() -> Prompts.normalise(blank))
            .isInstanceOf(InvalidInputException.class)
            .extracting(e -> ((InvalidInputException) e).field())
            .isEqualTo("prompt");
      }
      assertThatThrownBy(() -> Prompts.normalise("cut \uDE00"))
          .isInstanceOf(InvalidInputException.class);
    }
  }

  @Nested
  @DisplayName("an entry key")
  class Keys {
    @Test
    @DisplayName("is 64 hex characters that change with the scope, the model and the prompt")
    void key() {
      Scope s = Scope.of("tenant", "acme");
      String k = Prompts.key(s, "m", "hello");
      assertThat(k).matches("[0-9a-f]{64}");
      assertThat(Prompts.key(Scope.of("tenant", "acme"), "m", "hello")).isEqualTo(k);
      assertThat(Prompts.key(Scope.of("tenant", "acmf"), "m", "hello")).isNotEqualTo(k);
      assertThat(Prompts.key(s, "m2", "hello")).isNotEqualTo(k);
      assertThat(Prompts.key(s, "m", "Hello")).isNotEqualTo(k);
      // the length prefixes keep parts from running into each other
      assertThat(Prompts.key(s, "mh", "ello")).isNotEqualTo(k);
      assertThat(Prompts.scopeHash(s)).matches("[0-9a-f]{32}");
      assertThat(Prompts.scopeHash(s)).isNotEqualTo(Prompts.scopeHash(s.with("user", "u")));
    }
  }
}
