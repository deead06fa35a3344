package dev.vectorcache.testkit;

import static dev.vectorcache.testkit.VectorStoreContract.id;
import static dev.vectorcache.testkit.VectorStoreContract.map;
import static dev.vectorcache.testkit.VectorStoreContract.point;
import static dev.vectorcache.testkit.VectorStoreContract.vec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.AliasNotFoundException;
import dev.vectorcache.core.exception.CollectionAlreadyExistsException;
import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.model.AliasAction;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.CollectionAlias;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.ReadOptions;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.WriteOptions;
import dev.vectorcache.core.port.ClusterRequests;
import dev.vectorcache.core.port.CollectionAliases;
import dev.vectorcache.core.port.VectorStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The cases of {@link VectorStoreContract}'s {@code @Nested} group for {@link CollectionAliases}
 * (kept in their own file so that the contract stays readable). A store that does not advertise
 * {@link Capability#ALIASES} skips them; one that does must offer the extension from both forms and
 * behave as Qdrant's aliases do: accepted wherever a collection name is read, deleted with their
 * collection, a batch applied in order and stopped by its first failing action.
 *
 * <p>Aliases get fresh random names and always name collections of the test, so deleting those
 * collections afterwards deletes them too.
 */
abstract class VectorStoreAliasCases {
  private CollectionAliases aliases;

  /** The store under test. */
  abstract VectorStore store();

  /** A fresh collection name, deleted after the test. */
  abstract String newName();

  /** Creates a collection with a fresh name, deleted after the test. */
  abstract String newCollection(CollectionConfig config);

  @BeforeEach
  final void requireTheCapability() {
    VectorStore store = store();
    assumeTrue(store.isSupported(Capability.ALIASES), store + " does not advertise ALIASES");
    assertThat(store.async().isSupported(Capability.ALIASES)).isTrue();
    assertThat(store.async().extension(CollectionAliases.class)).isPresent();
    aliases = store.extension(CollectionAliases.class).orElseThrow();
  }

  private static String alias() {
    return "contract_alias_" + UUID.randomUUID().toString().replace("-", "");
  }

  private String collection(int dimension) {
    return newCollection(CollectionConfig.builder(dimension, Distance.DOT).build());
  }

  private void update(AliasAction... actions) {
    Futures.join(aliases.updateAliases(List.of(actions)));
  }

  private List<String> aliasesOf(String collection) {
    return Futures.join(aliases.listAliases(collection));
  }

  private List<CollectionAlias> all() {
    return Futures.join(aliases.listAliases());
  }

  @Test
  @DisplayName("Every point operation, collectionInfo and collectionExists accept an alias")
  void pointOperationsAcceptAnAlias() {
    VectorStore store = store();
    String c = collection(2);
    String a = alias();
    update(AliasAction.create(a, c));

    store.upsert(a, List.of(point(1, vec(1f, 0f), map("k", "x")), point(2, vec(0f, 1f))));
    assertThat(store.count(c, null)).isEqualTo(2);
    assertThat(store.count(a, null)).isEqualTo(2);
    assertThat(store.search(a, SearchRequest.builder(vec(1f, 0f), 1).build()))
        .extracting(ScoredPoint::id)
        .containsExactly(id(1));
    assertThat(store.retrieve(a, List.of(id(2)), PayloadSelector.ALL, false))
        .extracting(RetrievedPoint::id)
        .containsExactly(id(2));
    assertThat(store.scroll(a, ScrollRequest.firstPage(10)).points()).hasSize(2);

    store.setPayload(a, List.of(id(2)), map("k", "y"));
    store.createPayloadIndex(a, "k", PayloadSchemaType.KEYWORD);
    assertThat(store.count(c, Filter.must(Condition.match("k", "y")))).isEqualTo(1);
    store.overwritePayload(a, List.of(id(1)), map("n", 1L));
    store.deletePayloadKeys(a, List.of(id(1)), List.of("n"));
    store.clearPayload(a, List.of(id(2)));
    assertThat(store.retrieve(c, List.of(id(1), id(2)), PayloadSelector.ALL, false))
        .allSatisfy(p -> assertThat(p.payload()).isEmpty());
    store.deleteByFilter(a, Filter.must(Condition.hasId(id(2))));
    store.delete(a, List.of(id(1)));
    assertThat(store.count(c, null)).isZero();

    assertThat(store.collectionExists(a)).isTrue();
    assertThat(store.collectionInfo(a).config().vectors().dimension()).isEqualTo(2);
    assertThat(store.listCollections()).contains(c).doesNotContain(a);
    assertThat(store.async().count(a, null).join()).isZero();
  }

  @Test
  @DisplayName("ClusterRequests accept an alias too")
  void clusterRequestsAcceptAnAlias() {
    VectorStore store = store();
    assumeTrue(store.isSupported(Capability.CLUSTER_REQUESTS));
    ClusterRequests cluster = store.extension(ClusterRequests.class).orElseThrow();
    String c = collection(2);
    String a = alias();
    update(AliasAction.create(a, c));
    Futures.join(cluster.upsert(a, List.of(point(7, vec(1f, 1f))), WriteOptions.DEFAULT));
    assertThat(Futures.join(cluster.count(a, null, ReadOptions.DEFAULT))).isEqualTo(1L);
    assertThat(store.count(c, null)).isEqualTo(1);
  }

  @Test
  @DisplayName("Aliases are listed, all of them or those of one collection, by name")
  void aliasesAreListed() {
    String c1 = collection(2);
    String c2 = collection(2);
    String a = alias();
    String b = alias();
    String d = alias();
    update(AliasAction.create(a, c1), AliasAction.create(b, c1), AliasAction.create(d, c2));
    List<String> ofC1 = new ArrayList<>(List.of(a, b));
    ofC1.sort(Comparator.naturalOrder());
    assertThat(aliasesOf(c1)).containsExactlyElementsOf(ofC1);
    assertThat(aliasesOf(c2)).containsExactly(d);
    assertThat(all())
        .contains(
            new CollectionAlias(a, c1), new CollectionAlias(b, c1), new CollectionAlias(d, c2));
    // as Qdrant: not resolved, not checked for existence
    assertThat(aliasesOf(a)).isEmpty();
    assertThat(aliasesOf(newName())).isEmpty();
  }

  @Test
  @DisplayName("An alias is renamed and deleted; deleting an unknown alias changes nothing")
  void renameAndDelete() {
    VectorStore store = store();
    String c = collection(2);
    String a = alias();
    String b = alias();
    update(AliasAction.create(a, c));
    update(AliasAction.rename(a, b));
    assertThat(aliasesOf(c)).containsExactly(b);
    assertThat(store.collectionExists(a)).isFalse();
    assertThatThrownBy(() -> store.count(a, null)).isInstanceOf(CollectionNotFoundException.class);
    assertThat(store.count(b, null)).isZero();

    update(AliasAction.delete(b));
    assertThat(aliasesOf(c)).isEmpty();
    assertThat(store.collectionExists(b)).isFalse();
    assertThat(store.collectionExists(c)).isTrue();
    update(AliasAction.delete(alias())); // Qdrant: "delete alias if exists"
  }

  @Test
  @DisplayName("One batch switches an alias to another collection, of another dimension too")
  void switchInOneBatch() {
    VectorStore store = store();
    String old = collection(2);
    String next = collection(3);
    String a = alias();
    update(AliasAction.create(a, old));
    store.upsert(a, List.of(point(1, vec(1f, 0f))));
    update(AliasAction.delete(a), AliasAction.create(a, next));
    store.upsert(a, List.of(point(2, vec(0f, 0f, 1f)), point(3, vec(0f, 1f, 0f))));
    assertThat(store.count(a, null)).isEqualTo(2);
    assertThat(store.search(a, SearchRequest.builder(vec(0f, 0f, 1f), 1).build()))
        .extracting(ScoredPoint::id)
        .containsExactly(id(2));
    assertThat(store.count(old, null)).isEqualTo(1);
    assertThat(aliasesOf(old)).isEmpty();
    assertThat(aliasesOf(next)).containsExactly(a);
  }

  @Test
  @DisplayName("Creating an alias that exists points it at the new collection")
  void creatingAnExistingAliasRepointsIt() {
    VectorStore store = store();
    String c1 = collection(2);
    String c2 = collection(2);
    String a = alias();
    update(AliasAction.create(a, c1));
    update(AliasAction.create(a, c2));
    store.upsert(a, List.of(point(1, vec(1f, 0f))));
    assertThat(store.count(c2, null)).isEqualTo(1);
    assertThat(store.count(c1, null)).isZero();
    assertThat(aliasesOf(c1)).isEmpty();
    assertThat(aliasesOf(c2)).containsExactly(a);
  }

  @Test
  @DisplayName(
      "Deleting a collection deletes its aliases; deleting an alias's name deletes nothing")
  void deletingACollectionDeletesItsAliases() {
    VectorStore store = store();
    String c = collection(2);
    String a = alias();
    String b = alias();
    update(AliasAction.create(a, c), AliasAction.create(b, c));
    assertThat(store.deleteCollection(a)).isFalse();
    assertThat(store.collectionExists(c)).isTrue();
    assertThat(aliasesOf(c)).hasSize(2);

    assertThat(store.deleteCollection(c)).isTrue();
    assertThat(store.collectionExists(a)).isFalse();
    assertThat(all()).extracting(CollectionAlias::alias).doesNotContain(a, b);
    // a collection of the same name does not get them back
    store.createCollection(c, CollectionConfig.builder(2, Distance.DOT).build());
    assertThat(aliasesOf(c)).isEmpty();
  }

  @Test
  @DisplayName("A failing action ends the batch: the actions before it stay, the rest are not run")
  void aFailingActionEndsTheBatch() {
    VectorStore store = store();
    String c = collection(2);
    String before = alias();
    String missing = alias();
    String after = alias();
    assertThatThrownBy(
            () ->
                update(
                    AliasAction.create(before, c),
                    AliasAction.rename(missing, alias()),
                    AliasAction.create(after, c)))
        .isInstanceOfSatisfying(
            AliasNotFoundException.class, e -> assertThat(e.alias()).isEqualTo(missing));
    // Qdrant applies a batch action by action and does not roll back
    assertThat(aliasesOf(c)).containsExactly(before);
    assertThat(store.collectionExists(after)).isFalse();
  }

  @Test
  @DisplayName("Errors: a missing collection, a collection's name, an unknown alias, a taken name")
  void errors() {
    VectorStore store = store();
    String c = collection(2);
    String other = collection(2);
    String missing = newName();
    assertThatThrownBy(() -> update(AliasAction.create(alias(), missing)))
        .isInstanceOfSatisfying(
            CollectionNotFoundException.class, e -> assertThat(e.collection()).isEqualTo(missing));
    assertThatThrownBy(() -> update(AliasAction.create(other, c)))
        .isInstanceOfSatisfying(
            CollectionAlreadyExistsException.class,
            e -> assertThat(e.collection()).isEqualTo(other));
    String unknown = alias();
    assertThatThrownBy(() -> update(AliasAction.rename(unknown, alias())))
        .isInstanceOfSatisfying(
            AliasNotFoundException.class, e -> assertThat(e.alias()).isEqualTo(unknown));
    String a = alias();
    update(AliasAction.create(a, c));
    // an alias of an alias: Qdrant looks for a collection of that name
    assertThatThrownBy(() -> update(AliasAction.create(alias(), a)))
        .isInstanceOf(CollectionNotFoundException.class);
    // a collection may not take an alias's name
    assertThatThrownBy(
            () -> store.createCollection(a, CollectionConfig.builder(2, Distance.DOT).build()))
        .isInstanceOfSatisfying(
            CollectionAlreadyExistsException.class, e -> assertThat(e.collection()).isEqualTo(a));
    assertThat(store.listCollections()).doesNotContain(a);
    assertThat(aliasesOf(c)).containsExactly(a);
    assertThat(aliasesOf(other)).isEmpty();
  }

  @Test
  @DisplayName("Bad input is refused at once, before any I/O")
  @SuppressWarnings("NullAway") // passes nulls on purpose: the extension must refuse them, typed
  void badInputIsRefusedAtOnce() {
    assertThatThrownBy(() -> AliasAction.create("a/b", "c"))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("alias"));
    assertThatThrownBy(() -> aliases.updateAliases(null)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(
            () -> aliases.updateAliases(Arrays.asList(AliasAction.delete(alias()), null)))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("actions[1]"));
    assertThatThrownBy(() -> aliases.listAliases("bad/name"))
        .isInstanceOf(InvalidInputException.class);
    Futures.join(aliases.updateAliases(List.of())); // nothing to change
  }
}
