package dev.vectorcache.core.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vectorcache.core.model.Payloads;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonSizeTest {
  @Test
  void equalsTheLengthOfARealCompactJsonEncoding() throws Exception {
    Map<String, Object> m = new HashMap<>();
    m.put("text", "quote \" backslash \\ tab \t é 日本");
    m.put("n", -12345L);
    m.put("d", 0.1);
    m.put("big", 1.0e300);
    m.put("b", false);
    m.put("nil", null);
    m.put("list", List.of(1L, "two", Map.of("x", true)));
    Map<String, Object> payload = Payloads.copy(m, "m");
    byte[] json = new ObjectMapper().writeValueAsBytes(payload);
    assertThat(JsonSize.of(payload))
        .as(new String(json, StandardCharsets.UTF_8))
        .isEqualTo(json.length);
    assertThat(new String(json, StandardCharsets.UTF_8)).contains("\\t");
  }
}
