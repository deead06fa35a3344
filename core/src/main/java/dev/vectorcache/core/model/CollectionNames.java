package dev.vectorcache.core.model;

import dev.vectorcache.core.exception.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * Qdrant's rule for the names of collections, which aliases share (an alias is used wherever a
 * collection name is): 1 to 255 characters, not blank, none of {@code <>:"/\|?*} and no control
 * characters.
 */
final class CollectionNames {
  /** Characters Qdrant refuses in a collection name (it becomes a directory name). */
  private static final String ILLEGAL = "<>:\"/\\|?*";

  private CollectionNames() {}

  /**
   * Returns {@code name} when it follows the rule.
   *
   * @throws InvalidInputException naming {@code field} otherwise
   */
  static String check(String field, @Nullable String name) {
    if (name == null || name.isBlank()) {
      throw new InvalidInputException(field, "a non-blank name of 1 to 255 characters", name);
    }
    if (name.length() > 255) {
      throw new InvalidInputException(
          field, "at most 255 characters", name.length() + " characters", "use a shorter name");
    }
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (ILLEGAL.indexOf(ch) >= 0 || Character.isISOControl(ch)) {
        throw new InvalidInputException(
            field,
            "no characters among <>:\"/\\|?* and no control characters",
            name,
            "character at index " + i + " is not allowed; use letters, digits, '-', '_' or '.'");
      }
    }
    return name;
  }
}
