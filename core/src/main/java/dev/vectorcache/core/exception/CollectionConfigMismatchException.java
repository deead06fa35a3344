package dev.vectorcache.core.exception;

/**
 * An existing collection has a configuration that cannot serve this cache (another dimension or
 * distance). The cache never silently accepts it; drop the collection or change the configuration.
 */
public class CollectionConfigMismatchException extends ConfigurationException {
  private static final long serialVersionUID = 1L;

  public CollectionConfigMismatchException(
      String collection, String field, Object expected, Object found) {
    super(
        "collection '"
            + collection
            + "' exists with "
            + field
            + " = "
            + found
            + " but this cache is configured with "
            + field
            + " = "
            + expected
            + "; use another collection name, delete the collection, or configure "
            + field
            + " = "
            + found);
  }
}
