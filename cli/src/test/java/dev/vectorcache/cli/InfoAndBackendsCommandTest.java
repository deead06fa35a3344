package dev.vectorcache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class InfoAndBackendsCommandTest {
  @Test
  void infoOnANamedStoreSeesWhatLoadCreatedInTheSameJvm() {
    String store = "memory:info-" + System.nanoTime();
    String file =
        TestFiles.write(
            "{\"key\":\"a\",\"vector\":[1,0,0,0]}\n{\"key\":\"b\",\"vector\":[0,1,0,0]}\n");
    assertThat(
            CliRunner.exec("load", file, "--qdrant-url", store, "--collection", "vecs").exitCode())
        .isZero();

    CliRunner.Result r = CliRunner.exec("info", "--qdrant-url", store, "--collection", "vecs");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out())
        .contains("collection:     vecs")
        .contains("points:         2")
        .contains("dimension:      4")
        .contains("storage:        MMAP")
        .contains("quantization:   int8 scalar")
        .contains("memory:         heap ");
    // every value starts in the same column
    java.util.Set<Integer> columns = new java.util.HashSet<>();
    for (String line : r.out().split("\\R", -1)) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile(
                  "^(vector store|collection|status|points|dimension|distance|storage"
                      + "|quantization|payload|index|memory):( +)\\S")
              .matcher(line);
      if (m.find()) {
        columns.add(m.end() - 1);
      }
    }
    assertThat(columns).hasSize(1);

    JsonNode c =
        CliRunner.exec("info", "--json", "--qdrant-url", store, "--collection", "vecs")
            .json()
            .get("collection");
    assertThat(c.get("points").asLong()).isEqualTo(2);
    assertThat(c.get("config").get("dimension").asInt()).isEqualTo(4);
    assertThat(c.get("memory").get("known").booleanValue()).isTrue();

    CliRunner.Result list = CliRunner.exec("info", "--qdrant-url", store);
    assertThat(list.out()).contains("vecs").contains("SCALAR_INT8");
  }

  @Test
  void infoOnThePrivateDefaultExplainsWhyNothingIsThere() {
    CliRunner.Result r = CliRunner.exec("info", "--collection", "docs");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err())
        .contains("collection 'docs' does not exist at memory:")
        .contains("lives inside this one process");

    CliRunner.Result json = CliRunner.exec("info", "--json", "--collection", "docs");
    assertThat(json.json().get("ok").booleanValue()).isFalse();
    assertThat(json.json().get("exitCode").asInt()).isEqualTo(1);
  }

  @Test
  void backendsListsProvidersSchemesPriorityArtifact() {
    CliRunner.Result r = CliRunner.exec("backends");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains("Vector store providers")
        .contains("Metadata store providers")
        .contains("memory")
        .contains("dev.vectorcache:vectorcache-in-memory")
        .contains("dev.vectorcache.inmemory.InMemoryVectorStoreProvider")
        .contains(
            "vector   memory: memory (the only provider on the classpath for scheme 'memory')");

    JsonNode doc = CliRunner.exec("backends", "--json").json();
    assertThat(doc.get("vectorStoreProviders"))
        .anySatisfy(
            p -> {
              assertThat(p.get("name").asText()).isEqualTo("memory");
              assertThat(p.get("schemes").get(0).asText()).isEqualTo("memory");
              assertThat(p.get("priority").asInt()).isZero();
            });
    assertThat(doc.get("metadataStoreSchemes").get("memory").get("provider").asText())
        .isEqualTo("memory");
  }
}
