package dev.vectorcache.core.model;

/**
 * One change of {@link dev.vectorcache.core.port.CollectionAliases#updateAliases}: Qdrant's {@code
 * AliasOperations} ({@code create_alias}, {@code rename_alias}, {@code delete_alias}). Every name
 * is checked when the action is made, with the rule of collection names (1 to 255 characters, none
 * of {@code <>:"/\|?*}, no control characters), so a bad action is refused before any I/O.
 *
 * <pre>{@code
 * // switch "live" from the old collection to the new one, in one step
 * aliases.updateAliases(List.of(
 *     AliasAction.delete("live"),
 *     AliasAction.create("live", "docs_v2")));
 * }</pre>
 */
public sealed interface AliasAction {

  /**
   * Creates {@code alias} for {@code collection}, or points an existing alias of that name at it.
   *
   * @throws dev.vectorcache.core.exception.InvalidInputException for a bad name
   */
  static Create create(String alias, String collection) {
    return new Create(alias, collection);
  }

  /**
   * Gives the alias {@code oldAlias} the name {@code newAlias}; it keeps its collection.
   *
   * @throws dev.vectorcache.core.exception.InvalidInputException for a bad name
   */
  static Rename rename(String oldAlias, String newAlias) {
    return new Rename(oldAlias, newAlias);
  }

  /**
   * Deletes {@code alias}; its collection stays.
   *
   * @throws dev.vectorcache.core.exception.InvalidInputException for a bad name
   */
  static Delete delete(String alias) {
    return new Delete(alias);
  }

  /**
   * Creates an alias: the collection must exist (else {@link
   * dev.vectorcache.core.exception.CollectionNotFoundException}) and the alias may not be the name
   * of a collection (else {@link dev.vectorcache.core.exception.CollectionAlreadyExistsException});
   * an alias of that name that exists already is pointed at {@code collection}, as Qdrant does.
   *
   * @param alias the new name
   * @param collection the collection it stands for (a collection, not another alias)
   */
  record Create(String alias, String collection) implements AliasAction {
    /** Checks both names. */
    public Create {
      CollectionNames.check("alias", alias);
      CollectionNames.check("collection", collection);
    }
  }

  /**
   * Renames an alias: an unknown {@code oldAlias} is an {@link
   * dev.vectorcache.core.exception.AliasNotFoundException}; an alias named {@code newAlias} that
   * exists already is replaced, as Qdrant does.
   *
   * @param oldAlias the alias's current name
   * @param newAlias its new name
   */
  record Rename(String oldAlias, String newAlias) implements AliasAction {
    /** Checks both names. */
    public Rename {
      CollectionNames.check("oldAlias", oldAlias);
      CollectionNames.check("newAlias", newAlias);
    }
  }

  /**
   * Deletes an alias; deleting one that does not exist changes nothing and is not an error, as in
   * Qdrant ("delete alias if exists").
   *
   * @param alias the alias to delete
   */
  record Delete(String alias) implements AliasAction {
    /** Checks the name. */
    public Delete {
      CollectionNames.check("alias", alias);
    }
  }
}
