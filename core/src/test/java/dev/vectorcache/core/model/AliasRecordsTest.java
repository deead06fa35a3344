package dev.vectorcache.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.InvalidInputException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Alias actions: names checked when made, with the rule of collection names. */
@DisplayName("Aliases: CollectionAlias and AliasAction")
class AliasRecordsTest {

  private static void refused(ThrowingCallable call, String field, String expected) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.expected()).contains(expected);
            });
  }

  @Test
  @DisplayName("the factories make the three actions")
  void factories() {
    assertThat(AliasAction.create("live", "docs_v2"))
        .isEqualTo(new AliasAction.Create("live", "docs_v2"));
    assertThat(AliasAction.rename("live", "prod"))
        .isEqualTo(new AliasAction.Rename("live", "prod"));
    assertThat(AliasAction.delete("live")).isEqualTo(new AliasAction.Delete("live"));
    AliasAction.Create create = AliasAction.create("a", "c");
    assertThat(create.alias()).isEqualTo("a");
    assertThat(create.collection()).isEqualTo("c");
    AliasAction.Rename rename = AliasAction.rename("a", "b");
    assertThat(rename.oldAlias()).isEqualTo("a");
    assertThat(rename.newAlias()).isEqualTo("b");
    assertThat(AliasAction.delete("a").alias()).isEqualTo("a");
    CollectionAlias alias = new CollectionAlias("live", "docs");
    assertThat(alias.alias()).isEqualTo("live");
    assertThat(alias.collection()).isEqualTo("docs");
  }

  @Test
  @DisplayName("every name is checked, naming its field")
  void namesAreChecked() {
    refused(() -> AliasAction.create(null, "c"), "alias", "non-blank");
    refused(() -> AliasAction.create(" ", "c"), "alias", "non-blank");
    refused(() -> AliasAction.create("a", ""), "collection", "non-blank");
    refused(() -> AliasAction.create("a/b", "c"), "alias", "no characters among");
    refused(() -> AliasAction.create("a", "c\n"), "collection", "no control characters");
    refused(() -> AliasAction.create("a".repeat(256), "c"), "alias", "at most 255");
    refused(() -> AliasAction.rename(null, "b"), "oldAlias", "non-blank");
    refused(() -> AliasAction.rename("a", "b*"), "newAlias", "no characters among");
    refused(() -> AliasAction.delete(""), "alias", "non-blank");
    refused(() -> new CollectionAlias(null, "c"), "alias", "an alias name");
    refused(() -> new CollectionAlias("a", null), "collection", "a collection name");
    // as a store reports them: another client may have made a name outside the rule
    assertThat(new CollectionAlias("a:b", "c").alias()).isEqualTo("a:b");
    assertThat(AliasAction.create("a".repeat(255), "c.d-e_f").alias()).hasSize(255);
  }
}
