package dev.vectorcache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Help, exit codes and the one-JSON-document rule, across every command. */
class CommandLineTest {
  static final List<String> COMMANDS =
      List.of("check", "demo", "info", "backends", "load", "search");

  @ParameterizedTest
  @ValueSource(strings = {"check", "demo", "info", "backends", "load", "search"})
  void everyCommandHasHelpWithJsonOption(String command) {
    CliRunner.Result r = CliRunner.exec(command, "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains("Usage: vectorcache " + command)
        .contains("--json")
        .contains("--help");
  }

  @Test
  void topLevelHelpListsCommandsAndExitCodes() {
    CliRunner.Result r = CliRunner.exec("--help");
    assertThat(r.exitCode()).isZero();
    for (String c : COMMANDS) {
      assertThat(r.out()).contains("  " + c);
    }
    assertThat(r.out()).contains("Exit codes:").contains("2  usage error").contains("REDIS_URL");
    assertThat(CliRunner.exec("help", "demo").out()).contains("Usage: vectorcache demo");
  }

  @Test
  void commandSummariesAreSentencesNotIntroductions() {
    String help = CliRunner.exec("--help").out();
    String commands = help.substring(help.indexOf("Commands:"), help.indexOf("Exit codes:"));
    // "  name   summary" and its indented continuation lines, joined
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?m)^  (\\S+) +(.*(?:\\R {6,}.*)*)").matcher(commands);
    int seen = 0;
    while (m.find()) {
      String summary = m.group(2).replaceAll("\\s+", " ").trim();
      assertThat(summary).as(m.group(1)).doesNotEndWith(":").endsWith(".");
      seen++;
    }
    assertThat(seen).isGreaterThanOrEqualTo(COMMANDS.size());
  }

  @Test
  void helpShowsTheUrlPlaceholderUnmasked() {
    assertThat(CliRunner.exec("demo", "--help").out().replaceAll("\\s+", ""))
        .contains("redis://[user:password@]host:port/db");
  }

  @Test
  void noCommandIsAUsageError() {
    CliRunner.Result r = CliRunner.exec();
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("a command is required").contains("Usage: vectorcache");
  }

  @Test
  void unknownOptionIsAUsageErrorAndItsSecretIsMasked() {
    CliRunner.Result r = CliRunner.exec("check", "--redis-ur", "redis://u:Canary-Xy12@h:1");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Unknown option").contains("Try 'vectorcache check --help'");
    assertThat(r.all()).doesNotContain("Canary-Xy12");
  }

  @Test
  void versionIsPrinted() {
    CliRunner.Result r = CliRunner.exec("--version");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("vectorcache ");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "check",
        "demo --memory-points 10",
        "info",
        "backends",
        "search --text stars",
        "load /nonexistent.jsonl",
        "info --collection nope",
        "check --qdrant-url down://h:1"
      })
  void jsonModePrintsExactlyOneDocumentOnStdout(String args) {
    String[] argv = (args + " --json").split(" ");
    CliRunner.Result r = CliRunner.exec(argv);
    JsonNode doc = r.json(); // fails on anything but a single JSON document
    assertThat(doc.has("ok")).isTrue();
    assertThat(doc.get("ok").booleanValue()).isEqualTo(r.exitCode() == 0);
    if (r.exitCode() != 0) {
      assertThat(doc.has("exitCode") || doc.has("failures")).isTrue();
    }
  }
}
