package dev.vectorcache.core.id;

import dev.vectorcache.core.exception.InvalidInputException;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Identifier of a point: an unsigned 64-bit integer or a UUID, as in Qdrant.
 *
 * <p>Ordering follows Qdrant's scroll order: every numeric id before every UUID, numbers ascending
 * as unsigned values, UUIDs by their 16 bytes.
 */
public final class PointId implements Comparable<PointId> {
  private final long num;
  private final @Nullable UUID uuid;

  private PointId(long num, @Nullable UUID uuid) {
    this.num = num;
    this.uuid = uuid;
  }

  /** A numeric id; {@code value} is read as unsigned, so -1 is 2^64-1. */
  public static PointId of(long value) {
    return new PointId(value, null);
  }

  public static PointId of(UUID uuid) {
    return new PointId(0, Objects.requireNonNull(uuid, "uuid"));
  }

  /**
   * Parses a UUID (hyphenated, simple 32 hex digits, braced or {@code urn:uuid:} form) or an
   * unsigned decimal integer.
   */
  public static PointId parse(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidInputException("id", "an unsigned 64-bit integer or a UUID", text);
    }
    String t = text.trim();
    if (t.chars().allMatch(Character::isDigit)) {
      try {
        return of(Long.parseUnsignedLong(t));
      } catch (NumberFormatException e) {
        throw new InvalidInputException("id", "an unsigned 64-bit integer or a UUID", text);
      }
    }
    String u = t;
    if (u.regionMatches(true, 0, "urn:uuid:", 0, 9)) {
      u = u.substring(9);
    }
    if (u.startsWith("{") && u.endsWith("}")) {
      u = u.substring(1, u.length() - 1);
    }
    if (u.length() == 32 && u.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      u =
          u.substring(0, 8)
              + "-"
              + u.substring(8, 12)
              + "-"
              + u.substring(12, 16)
              + "-"
              + u.substring(16, 20)
              + "-"
              + u.substring(20);
    }
    if (u.length() == 36) {
      try {
        return of(UUID.fromString(u));
      } catch (IllegalArgumentException e) {
        // fall through to the error below
      }
    }
    throw new InvalidInputException("id", "an unsigned 64-bit integer or a UUID", text);
  }

  public boolean isNumeric() {
    return uuid == null;
  }

  public boolean isUuid() {
    return uuid != null;
  }

  /** The numeric value (unsigned); only for numeric ids. */
  public long num() {
    if (uuid != null) {
      throw new IllegalStateException("not a numeric id: " + this);
    }
    return num;
  }

  /** The UUID; only for UUID ids. */
  public UUID uuid() {
    if (uuid == null) {
      throw new IllegalStateException("not a UUID id: " + this);
    }
    return uuid;
  }

  @Override
  public int compareTo(PointId o) {
    UUID a = uuid;
    UUID b = o.uuid;
    if (a == null || b == null) {
      // every numeric id (no uuid) sorts before every UUID
      if (a != null) {
        return 1;
      }
      return b != null ? -1 : Long.compareUnsigned(num, o.num);
    }
    int c = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
    return c != 0
        ? c
        : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof PointId p && num == p.num && Objects.equals(uuid, p.uuid);
  }

  @Override
  public int hashCode() {
    return uuid == null ? Long.hashCode(num) : uuid.hashCode();
  }

  /** The unsigned decimal number or the canonical lower-case hyphenated UUID. */
  @Override
  public String toString() {
    return uuid == null ? Long.toUnsignedString(num) : uuid.toString();
  }
}
