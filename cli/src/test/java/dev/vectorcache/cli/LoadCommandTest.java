package dev.vectorcache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vectorcache.core.EntryPayload;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LoadCommandTest {
  static String store() {
    return "memory:load-" + System.nanoTime();
  }

  static long points(String store, String collection) {
    CliRunner.Result r =
        CliRunner.exec("info", "--json", "--qdrant-url", store, "--collection", collection);
    return r.exitCode() == 0 ? r.json().get("collection").get("points").asLong() : -1;
  }

  @Test
  void loadsVectorsAndTextsInBatches() {
    String s = store();
    String file =
        TestFiles.write(
            IntStream.range(0, 10)
                    .mapToObj(
                        i ->
                            "{\"key\":\"k"
                                + i
                                + "\",\"text\":\"text number "
                                + i
                                + "\",\"metadata\":{\"n\":"
                                + i
                                + "},\"ttl\":\"PT2H\"}")
                    .collect(Collectors.joining("\n"))
                + "\n\n");
    CliRunner.Result r =
        CliRunner.exec("load", file, "--qdrant-url", s, "--batch", "4", "--collection", "t");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out())
        .contains(
            "loaded 10 entries into 't' (384-d COSINE, created memory-optimised, 3 batches,"
                + " 10 texts embedded with the demo HashingEmbedder)");
    assertThat(points(s, "t")).isEqualTo(10);
  }

  @Test
  void privateDefaultWarnsThatDataDiesWithTheProcess() {
    CliRunner.Result r =
        CliRunner.exec("load", TestFiles.write("{\"key\":\"a\",\"vector\":[0.5,0.5]}\n"));
    assertThat(r.exitCode()).isZero();
    assertThat(r.err())
        .contains("note: the embedded store (memory:) lives inside this one process");
  }

  @Test
  void malformedLinesAreAllReportedAndNothingIsWritten() {
    String s = store();
    String file =
        TestFiles.write(
            String.join(
                "\n",
                "{\"key\":\"ok1\",\"vector\":[1,2,3]}",
                "{\"key\":\"bad-json\",\"vector\":[1,2,3]",
                "{\"key\":\"ok2\",\"vector\":[1,2]}",
                "{\"key\":\"ok1\",\"vector\":[3,2,1]}",
                "{\"vector\":[1,1,1]}",
                "{\"key\":\"x\",\"vector\":[1,\"two\",3]}",
                "{\"key\":\"y\",\"vectr\":[1,2,3]}",
                "{\"key\":\"z\",\"vector\":[0,0,0]}",
                "{\"key\":\"w\",\"vector\":[1,2,3],\"ttl\":\"soon\"}",
                "{\"key\":\"v\",\"vector\":[1,2,3],\"metadata\":{\"" + EntryPayload.KEY + "\":1}}",
                "[1,2,3]",
                "{\"key\":\"ok3\",\"vector\":[1,2,3]}"));
    CliRunner.Result r = CliRunner.exec("load", file, "--qdrant-url", s, "--collection", "t");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains("10 invalid lines; nothing was loaded")
        .contains("line 2, column 35: not valid JSON: the JSON ends inside an object")
        .contains("line 3: vector has 2 components, expected 3 (as on line 1)")
        .contains("line 4: key \"ok1\" already used on line 1")
        .contains("line 5: \"key\" must be a non-blank string, found nothing")
        .contains("line 6: \"vector\"[1] must be a number, found string \"two\"")
        .contains("line 7: unknown field \"vectr\"")
        .contains("line 8: invalid vector")
        .contains("line 9: \"ttl\": expected a duration")
        .contains(
            "line 10: metadata key \"" + EntryPayload.KEY + "\" starts with the reserved prefix")
        .contains("line 11: expected a JSON object");
    // validated before anything was written: the collection was not even created
    assertThat(points(s, "t")).isEqualTo(-1);
  }

  @Test
  void jsonSyntaxErrorsGiveLineColumnAndAPlainReason() {
    String file =
        TestFiles.write(
            """
            {"key": "a", "vector": [1,2,3]
            {"key": x}
            {"key":"c",,}
            {'key':'d'}
            {"key":"e","vector":[1,2}""");
    CliRunner.Result r = CliRunner.exec("load", file, "--qdrant-url", store());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains(
            "line 1, column 31: not valid JSON: the JSON ends inside an object: a closing '}' is"
                + " missing")
        .contains("line 2, column 9: not valid JSON: unexpected word 'x': text needs double quotes")
        .contains(
            "line 3, column 12: not valid JSON: found ',' where a field name in double quotes was"
                + " expected")
        .contains("line 4, column 2: not valid JSON: found a single quote where a field name")
        .contains(
            "line 5, column 25: not valid JSON: found '}' where ']' was expected to close the array"
                + " opened at column 21");
    // none of Jackson's internals
    assertThat(r.err())
        .doesNotContain("Source")
        .doesNotContain("REDACTED")
        .doesNotContain("StreamReadFeature")
        .doesNotContain("code 44");
  }

  @Test
  void jsonOutputListsInvalidLinesOneObjectEach() {
    String file =
        TestFiles.write(
            "{\"key\":\"a\",\"vector\":[1,2]}\n{\"key\": x}\n{\"key\":\"b\",\"vector\":[1]}\n");
    CliRunner.Result r = CliRunner.exec("load", file, "--qdrant-url", store(), "--json");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    JsonNode doc = r.json();
    assertThat(doc.get("ok").booleanValue()).isFalse();
    assertThat(doc.get("error").asText()).endsWith(": 2 invalid lines; nothing was loaded");
    assertThat(doc.get("invalidLineCount").asInt()).isEqualTo(2);
    JsonNode lines = doc.get("invalidLines");
    assertThat(lines.isArray()).isTrue();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).get("line").asInt()).isEqualTo(2);
    assertThat(lines.get(0).get("column").asInt()).isEqualTo(9);
    assertThat(lines.get(0).get("error").asText()).startsWith("not valid JSON: unexpected word");
    assertThat(lines.get(1).get("line").asInt()).isEqualTo(3);
    assertThat(lines.get(1).has("column")).isFalse();
    assertThat(lines.get(1).get("error").asText())
        .isEqualTo("vector has 1 components, expected 2 (as on line 1)");
  }

  @Test
  void textsBesideSmallVectorsSayHowToFixIt() {
    String file =
        TestFiles.write(
            "{\"key\":\"v\",\"vector\":[0.1,0.2,0.3]}\n{\"key\":\"t\",\"text\":\"some words\"}\n");
    CliRunner.Result r = CliRunner.exec("load", file, "--qdrant-url", store());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains(
            "line 2: text lines need a dimension of 8 or more, but the file's dimension is 3 (from"
                + " the vector on line 1); put texts in a file of their own");
  }

  @Test
  void dimensionFlagIsEnforced() {
    CliRunner.Result r =
        CliRunner.exec(
            "load",
            TestFiles.write("{\"key\":\"a\",\"vector\":[1,2,3]}\n"),
            "--qdrant-url",
            store(),
            "--dimension",
            "4");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("line 1: vector has 3 components, expected 4 (--dimension)");
  }

  @Test
  void existingCollectionWithAnotherDimensionIsRejected() {
    String s = store();
    assertThat(
            CliRunner.exec(
                    "load",
                    TestFiles.write("{\"key\":\"a\",\"vector\":[1,2,3]}\n"),
                    "--qdrant-url",
                    s)
                .exitCode())
        .isZero();
    CliRunner.Result r =
        CliRunner.exec(
            "load", TestFiles.write("{\"key\":\"b\",\"vector\":[1,2]}\n"), "--qdrant-url", s);
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("dimension");
    assertThat(points(s, "vectorcache")).isEqualTo(1);
  }

  @Test
  void failureMidwaySaysExactlyHowManyLinesWereLoaded() {
    String host = "flaky" + System.nanoTime();
    String file =
        TestFiles.write(
            IntStream.range(0, 7)
                .mapToObj(i -> "{\"key\":\"k" + i + "\",\"vector\":[1," + i + "]}")
                .collect(Collectors.joining("\n")));
    // the third upsert fails: two batches of 3 were loaded
    CliRunner.Result r =
        CliRunner.exec("load", file, "--qdrant-url", "flaky://" + host + ":3", "--batch", "3");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err())
        .contains("loading stopped at lines 7-7")
        .contains("connection reset during upsert")
        .contains("6 of 7 entries were loaded (every line before line 7)");
    assertThat(TestProviders.FLAKY.get(host).count("vectorcache", null)).isEqualTo(6);
  }

  @Test
  void progressBarOnRequest() {
    CliRunner.Result r =
        CliRunner.exec(
            "load",
            TestFiles.write("{\"key\":\"a\",\"vector\":[1,2]}\n{\"key\":\"b\",\"vector\":[2,1]}\n"),
            "--qdrant-url",
            store(),
            "--batch",
            "1",
            "--progress");
    assertThat(r.exitCode()).isZero();
    assertThat(r.err()).contains("\rloading [").contains("1/2 (50%)").contains("2/2 (100%)");

    CliRunner.Result quiet =
        CliRunner.exec(
            "load", TestFiles.write("{\"key\":\"a\",\"vector\":[1,2]}\n"), "--qdrant-url", store());
    assertThat(quiet.err()).doesNotContain("loading [");
  }

  @Test
  void terminalGetsAProgressBarWithoutTheFlag() {
    CliRunner runner = new CliRunner();
    runner.terminal = true;
    CliRunner.Result r =
        runner.run(
            "load", TestFiles.write("{\"key\":\"a\",\"vector\":[1,2]}\n"), "--qdrant-url", store());
    assertThat(r.err()).contains("1/1 (100%)");
  }

  @Test
  void missingFileAndEmptyFile() {
    CliRunner.Result missing = CliRunner.exec("load", "/nonexistent/x.jsonl");
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("cannot read /nonexistent/x.jsonl: no such file");

    CliRunner.Result empty = CliRunner.exec("load", TestFiles.write("\n\n"));
    assertThat(empty.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(empty.err()).contains("no entries");
  }

  @Test
  void jsonOutput() {
    JsonNode doc =
        CliRunner.exec(
                "load",
                TestFiles.write("{\"key\":\"a\",\"vector\":[1,2]}\n"),
                "--qdrant-url",
                store(),
                "--json")
            .json();
    assertThat(doc.get("ok").booleanValue()).isTrue();
    assertThat(doc.get("loaded").asInt()).isEqualTo(1);
    assertThat(doc.get("dimension").asInt()).isEqualTo(2);
    assertThat(doc.get("created").booleanValue()).isTrue();
  }
}
