package dev.vectorcache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchCommandTest {
  static String corpus;

  @BeforeAll
  static void writeCorpus() {
    corpus =
        TestFiles.write(
            SampleCorpus.DOCS.stream()
                .map(
                    d ->
                        Json.compact(
                            java.util.Map.of(
                                "key", d.key(),
                                "text", d.text(),
                                "metadata",
                                    java.util.Map.of("title", d.title(), "topic", d.topic()))))
                .collect(Collectors.joining("\n")));
  }

  static List<String> topics(JsonNode doc) {
    List<String> t = new ArrayList<>();
    doc.get("hits").forEach(h -> t.add(h.get("metadata").get("topic").asText()));
    return t;
  }

  @Test
  void loadAndSearchInOneProcessOnTheEmbeddedDefault() {
    CliRunner.Result r =
        CliRunner.exec(
            "search", "--load", corpus, "--text", "how far away are the stars", "--limit", "3");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out())
        .contains("loaded 40 entries into 'vectorcache'")
        .contains("3 hits for \"how far away are the stars\"")
        .contains("rank   score  key       title")
        .contains("astro-01  How far away are the stars   astronomy");
  }

  @Test
  void textQueriesRankTheRightTopicFirst() {
    String store = "memory:search-" + System.nanoTime();
    assertThat(CliRunner.exec("load", corpus, "--qdrant-url", store).exitCode()).isZero();
    for (SampleCorpus.Query q : SampleCorpus.QUERIES) {
      if (q.filterTopic() != null) {
        continue;
      }
      JsonNode doc =
          CliRunner.exec("search", "--json", "--qdrant-url", store, "--text", q.text()).json();
      assertThat(topics(doc).get(0)).as(q.text()).isEqualTo(q.expectedTopic());
      assertThat(doc.get("hits")).hasSize(5);
    }
  }

  @Test
  void filterAndThreshold() {
    String store = "memory:search-" + System.nanoTime();
    assertThat(CliRunner.exec("load", corpus, "--qdrant-url", store).exitCode()).isZero();
    JsonNode filtered =
        CliRunner.exec(
                "search",
                "--json",
                "--qdrant-url",
                store,
                "--text",
                "stars in the night sky",
                "--filter",
                "{\"must\":[{\"key\":\"topic\",\"match\":\"travel\"}]}")
            .json();
    assertThat(topics(filtered)).containsOnly("travel");
    assertThat(filtered.get("hits").get(0).get("key").asText()).isEqualTo("trip-04");

    JsonNode strict =
        CliRunner.exec(
                "search",
                "--json",
                "--qdrant-url",
                store,
                "--text",
                "how far away are the stars",
                "--threshold",
                "0.3",
                "--limit",
                "40")
            .json();
    assertThat(strict.get("hits").size()).isBetween(1, 5);
    strict.get("hits").forEach(h -> assertThat(h.get("score").asDouble()).isGreaterThan(0.3));

    JsonNode except =
        CliRunner.exec(
                "search",
                "--json",
                "--qdrant-url",
                store,
                "--text",
                "stars",
                "--filter",
                "{\"must_not\":[{\"key\":\"topic\",\"match\":{\"any\":[\"astronomy\"]}}]}")
            .json();
    assertThat(topics(except)).doesNotContain("astronomy");
  }

  @Test
  void vectorAndQueryJson() {
    String store = "memory:search-" + System.nanoTime();
    String file =
        TestFiles.write(
            """
            {"key":"x","vector":[1,0,0],"metadata":{"title":"X","topic":"axes"}}
            {"key":"y","vector":[0,1,0],"metadata":{"title":"Y","topic":"axes"}}
            {"key":"z","vector":[0,0,1],"metadata":{"title":"Z","topic":"other"}}
            """);
    assertThat(CliRunner.exec("load", file, "--qdrant-url", store).exitCode()).isZero();

    JsonNode v =
        CliRunner.exec("search", "--json", "--qdrant-url", store, "--vector", "[0.1, 0.9, 0]")
            .json();
    assertThat(v.get("hits").get(0).get("key").asText()).isEqualTo("y");
    assertThat(v.get("hits")).hasSize(3);

    JsonNode q =
        CliRunner.exec(
                "search",
                "--json",
                "--qdrant-url",
                store,
                "--query",
                "{\"vector\":[0,0.2,1],\"limit\":1,\"filter\":{\"must\":[{\"key\":\"topic\",\"match\":{\"value\":\"axes\"}}]}}")
            .json();
    assertThat(q.get("hits")).hasSize(1);
    assertThat(q.get("hits").get(0).get("key").asText()).isEqualTo("y");

    // an explicit flag wins over the request's field
    JsonNode flagWins =
        CliRunner.exec(
                "search",
                "--json",
                "--qdrant-url",
                store,
                "--limit",
                "2",
                "--query",
                "{\"vector\":[1,0,0],\"limit\":1}")
            .json();
    assertThat(flagWins.get("hits")).hasSize(2);
  }

  @Test
  void usageErrors() {
    String store = "memory:search-" + System.nanoTime();
    assertThat(
            CliRunner.exec(
                    "load",
                    TestFiles.write("{\"key\":\"x\",\"vector\":[1,0,0]}"),
                    "--qdrant-url",
                    store)
                .exitCode())
        .isZero();

    CliRunner.Result dim = CliRunner.exec("search", "--qdrant-url", store, "--vector", "[1,0]");
    assertThat(dim.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(dim.err())
        .contains("the query vector has 2 components; collection 'vectorcache' has dimension 3");

    CliRunner.Result badFilter =
        CliRunner.exec(
            "search",
            "--qdrant-url",
            store,
            "--vector",
            "[1,0,0]",
            "--filter",
            "{\"must\":[{\"key\":\"t\"}]}");
    assertThat(badFilter.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badFilter.err()).contains("invalid filter.must[0]: expected \"match\" or \"range\"");

    CliRunner.Result badJson = CliRunner.exec("search", "--qdrant-url", store, "--vector", "[1,0,");
    assertThat(badJson.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badJson.err()).contains("--vector: not valid JSON");

    CliRunner.Result both = CliRunner.exec("search", "--vector", "[1]", "--text", "x");
    assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(both.err()).contains("mutually exclusive");

    CliRunner.Result none = CliRunner.exec("search");
    assertThat(none.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(none.err()).contains("Missing required argument");
  }

  @Test
  void aDirectoryKeepsTheEmbeddedStoreBetweenCommands(@TempDir Path dir) {
    String store = "memory:?path=" + dir;
    CliRunner.Result load = CliRunner.exec("load", corpus, "--qdrant-url", store);
    assertThat(load.exitCode()).as(load.all()).isZero();
    assertThat(load.all()).doesNotContain("lives inside this one process");

    // a second command (its own stores, as a second process has) recovers the directory
    CliRunner.Result search =
        CliRunner.exec(
            "search",
            "--qdrant-url",
            store,
            "--text",
            "how far away are the stars",
            "--limit",
            "1");
    assertThat(search.exitCode()).as(search.all()).isZero();
    assertThat(search.out())
        .contains("40 points): 1 hit for")
        .containsPattern("1 +[0-9.]+ +astro-01 +How far away are the stars +astronomy");
    JsonNode info =
        CliRunner.exec("info", "--json", "--qdrant-url", store, "--collection", "vectorcache")
            .json();
    assertThat(info.get("collection").get("points").asLong()).isEqualTo(40);
  }

  @Test
  void searchingThePrivateDefaultExplainsTheProcessBoundary() {
    CliRunner.Result r = CliRunner.exec("search", "--text", "stars");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err())
        .contains("collection 'vectorcache' does not exist at memory:")
        .contains("search --load FILE")
        .contains("memory:?path=DIR");
  }
}
