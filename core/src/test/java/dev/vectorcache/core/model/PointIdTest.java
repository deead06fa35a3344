package dev.vectorcache.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.id.PointId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PointIdTest {
  private static final UUID U = UUID.fromString("550e8400-e29b-41d4-a716-446655440000");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "550e8400-e29b-41d4-a716-446655440000",
        "550E8400-E29B-41D4-A716-446655440000",
        "550e8400e29b41d4a716446655440000",
        "{550e8400-e29b-41d4-a716-446655440000}",
        "urn:uuid:550e8400-e29b-41d4-a716-446655440000"
      })
  void parsesEveryUuidFormQdrantAccepts(String text) {
    PointId id = PointId.parse(text);
    assertThat(id.isUuid()).isTrue();
    assertThat(id.uuid()).isEqualTo(U);
    assertThat(id.toString()).isEqualTo("550e8400-e29b-41d4-a716-446655440000");
  }

  @Test
  void numericIdsAreUnsigned64Bit() {
    assertThat(PointId.parse("18446744073709551615")).isEqualTo(PointId.of(-1L));
    assertThat(PointId.of(-1L).toString()).isEqualTo("18446744073709551615");
    assertThat(PointId.of(-1L)).isGreaterThan(PointId.of(Long.MAX_VALUE));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "18446744073709551616", "-1", "not-a-uuid", "550e8400-e29b"})
  void rejectsWhatIsNeitherAnUnsignedIntegerNorAUuid(String text) {
    assertThatThrownBy(() -> PointId.parse(text))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("id")
        .hasMessageContaining("unsigned 64-bit integer or a UUID");
  }

  @Test
  void ordersNumbersBeforeUuidsAndUuidsByTheirBytes() {
    PointId low = PointId.of(UUID.fromString("00000000-0000-0000-0000-000000000001"));
    // the most significant bit set: negative as a signed long, last by bytes
    PointId high = PointId.of(UUID.fromString("ffffffff-0000-0000-0000-000000000000"));
    List<PointId> ids = new ArrayList<>(List.of(high, PointId.of(7), low, PointId.of(2)));
    Collections.sort(ids);
    assertThat(ids).containsExactly(PointId.of(2), PointId.of(7), low, high);
  }

  @Test
  void numericAndUuidAccessorsRefuseTheOtherKind() {
    assertThatThrownBy(() -> PointId.of(1).uuid()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> PointId.of(U).num()).isInstanceOf(IllegalStateException.class);
  }
}
