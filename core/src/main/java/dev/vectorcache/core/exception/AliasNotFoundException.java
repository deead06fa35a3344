package dev.vectorcache.core.exception;

import org.jspecify.annotations.Nullable;

/**
 * The named alias does not exist: an alias renamed with {@code AliasAction.rename} must exist, as
 * in Qdrant ("Alias … does not exists!").
 */
public class AliasNotFoundException extends VectorCacheException {
  private static final long serialVersionUID = 1L;
  private final String alias;

  public AliasNotFoundException(String alias) {
    this(alias, null);
  }

  public AliasNotFoundException(String alias, @Nullable Throwable cause) {
    super(
        "alias '" + alias + "' does not exist; list them with CollectionAliases.listAliases()",
        cause);
    this.alias = alias;
  }

  /** The alias that was not found. */
  public String alias() {
    return alias;
  }
}
