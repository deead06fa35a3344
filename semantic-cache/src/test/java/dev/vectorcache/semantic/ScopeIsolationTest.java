package dev.vectorcache.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The scope is a hard wall: thousands of random scoped entries and lookups, over scopes that are
 * prefixes, supersets and look-alikes of each other, and not one answer crosses a scope.
 */
@DisplayName("Scope isolation, as a property")
class ScopeIsolationTest {
  private final Harness h = new Harness();

  @AfterEach
  void close() {
    h.close();
  }

  /** About 50 scopes, chosen to tempt a sloppy encoding or filter into mixing them up. */
  static List<Scope> scopes() {
    List<Scope> s = new ArrayList<>();
    String[] tenants = {"acme", "acme-eu", "acm", "a", "acme:eu", "ACME", "acme "};
    for (String t : tenants) {
      Scope tenant = Scope.of("tenant", t);
      s.add(tenant);
      s.add(tenant.with("user", "u1"));
      s.add(tenant.with("user", "u11"));
      s.add(tenant.with("user", "u1").with("context", "chat"));
      s.add(tenant.with("context", "chat"));
      s.add(Scope.of("tenantx", t));
    }
    s.add(Scope.of("tenant", "acme6:tenant4:acme"));
    s.add(Scope.of("tenant", "4:user2:u1"));
    s.add(Scope.of("user", "u1"));
    s.add(Scope.of("user", "acme"));
    s.add(Scope.of("context", "chat").with("user", "u1"));
    s.add(Scope.of("tenant", "acme").with("tenant2", "x"));
    s.add(Scope.of("tenant", "acme").with("user", "u1").with("model", "gpt"));
    s.add(Scope.of("model", "gpt"));
    return s;
  }

  private record Put(Scope scope, String prompt, int topic) {}

  @Test
  @DisplayName("2,000 entries over 50 scopes, 2,000 exact and semantic lookups: 0 cross-scope hits")
  void noCrossScopeHits() {
    List<Scope> scopes = scopes();
    assertThat(new HashSet<>(scopes)).hasSize(scopes.size()).hasSizeGreaterThanOrEqualTo(48);
    Random random = new Random(20310101);
    int topics = 40;
    SemanticCache cache = h.open(h.builder().semanticCandidates(8));
    List<Put> puts = new ArrayList<>();
    Set<String> stored = new HashSet<>(); // scope canonical + topic
    for (int i = 0; i < 2_000; i++) {
      Put p =
          new Put(
              scopes.get(random.nextInt(scopes.size())),
              "topic" + i % topics + " question " + i,
              i % topics);
      // the answer says where it belongs, so that any served answer can be checked
      cache.put(p.scope(), p.prompt(), CachedResponse.of(p.scope().canonical() + "|" + p.topic()));
      puts.add(p);
      stored.add(p.scope().canonical() + "|" + p.topic());
    }

    int exactHits = 0;
    int semanticHits = 0;
    int misses = 0;
    for (int i = 0; i < 2_000; i++) {
      Scope scope;
      String prompt;
      int topic;
      boolean own = false;
      if (i % 2 == 0) { // a stored prompt, in its own scope or in another one
        Put p = puts.get(random.nextInt(puts.size()));
        own = random.nextBoolean();
        scope = own ? p.scope() : scopes.get(random.nextInt(scopes.size()));
        own = scope.equals(p.scope());
        prompt = p.prompt();
        topic = p.topic();
      } else { // a new prompt of some topic
        scope = scopes.get(random.nextInt(scopes.size()));
        topic = random.nextInt(topics);
        prompt = "topic" + topic + " something else " + i;
      }
      Optional<SemanticHit> hit = cache.lookup(scope, prompt);
      if (hit.isEmpty()) {
        // a miss only when the scope holds nothing of the topic
        assertThat(stored).doesNotContain(scope.canonical() + "|" + topic);
        assertThat(own).isFalse();
        misses++;
        continue;
      }
      String text = hit.get().response().text();
      int bar = text.lastIndexOf('|');
      assertThat(text.substring(0, bar))
          .as("the scope of the answer served for a lookup in %s", scope)
          .isEqualTo(scope.canonical());
      assertThat(text.substring(bar + 1)).isEqualTo(Integer.toString(topic));
      if (hit.get().tier() == Tier.EXACT) {
        assertThat(own).isTrue();
        exactHits++;
      } else {
        assertThat(own).isFalse();
        semanticHits++;
      }
    }
    // the run is meaningful: both tiers answered often, and some lookups found nothing
    assertThat(exactHits).isGreaterThan(400);
    assertThat(semanticHits).isGreaterThan(600);
    assertThat(misses).isGreaterThan(100);
    assertThat(exactHits + semanticHits + misses).isEqualTo(2_000);
  }
}
