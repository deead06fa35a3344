package dev.vectorcache.core.exception;

/**
 * A migration to another model (or another dimension or distance) is recorded as unfinished in the
 * vector store: finish it with the plan it was started with before starting another.
 */
public class MigrationInProgressException extends VectorCacheException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what is pending and what was asked
   */
  public MigrationInProgressException(String message) {
    super(message);
  }
}
