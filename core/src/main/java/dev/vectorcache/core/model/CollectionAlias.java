package dev.vectorcache.core.model;

import dev.vectorcache.core.exception.InvalidInputException;

/**
 * An alias and the collection it names, as a store lists them: Qdrant's {@code AliasDescription}.
 * The names are taken as the store reports them (a Qdrant shared with other clients may hold
 * aliases made without this library's name checks); the ones this library makes follow the rule of
 * {@link AliasAction}.
 *
 * @param alias the alternative name
 * @param collection the collection it stands for
 * @see dev.vectorcache.core.port.CollectionAliases
 */
public record CollectionAlias(String alias, String collection) {

  /**
   * Checks that both names are present.
   *
   * @throws InvalidInputException naming {@code alias} or {@code collection} when one is null
   */
  public CollectionAlias {
    if (alias == null) {
      throw new InvalidInputException("alias", "an alias name", null);
    }
    if (collection == null) {
      throw new InvalidInputException("collection", "a collection name", null);
    }
  }
}
