package dev.vectorcache.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Jackson's syntax errors into a column and a plain reason. Jackson's messages name its own
 * internals (token classes, feature flags, a {@code [Source: REDACTED ...]} excerpt), which mean
 * nothing to someone fixing a line of JSON.
 */
final class JsonSyntax {
  /** Where a syntax error is and what it is; {@code column} is 1-based, 0 when unknown. */
  record Problem(int column, String reason) {
    /** "column 12: found ',' where ..." or the reason alone. */
    String describe() {
      return column > 0 ? "column " + column + ": " + reason : reason;
    }
  }

  private static final Pattern UNEXPECTED_CHAR =
      Pattern.compile("^Unexpected character \\('(.*?)' \\(code (\\d+)\\)\\)(.*)$");
  private static final Pattern UNRECOGNIZED = Pattern.compile("^Unrecognized token '(.*?)'");
  private static final Pattern CLOSE_MARKER =
      Pattern.compile("^Unexpected close marker '(.)': (?:expected '(.)')?");
  private static final Pattern START_COLUMN = Pattern.compile("column: (\\d+)\\]");
  private static final Pattern CONTROL_CHAR = Pattern.compile("CTRL-CHAR, code (\\d+)");
  private static final Pattern NON_STANDARD = Pattern.compile("^Non-standard token '(.*?)'");
  private static final Pattern SOURCE =
      Pattern.compile("\\s*\\((?:start marker at |for \\w+ starting at )?\\[Source:.*?\\]\\)");

  private JsonSyntax() {}

  static Problem of(JsonProcessingException e) {
    String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    int nl = m.indexOf('\n');
    String first = nl >= 0 ? m.substring(0, nl) : m;
    JsonLocation at = e.getLocation();
    int column = at == null ? 0 : Math.max(0, at.getColumnNr());
    return new Problem(column, reason(first));
  }

  static String reason(String m) {
    if (m.startsWith("Unexpected end-of-input")) {
      return endOfInput(m);
    }
    Matcher u = UNRECOGNIZED.matcher(m);
    if (u.find()) {
      return "unexpected word '"
          + u.group(1)
          + "': text needs double quotes (\"...\"), and the only bare words are true, false and"
          + " null";
    }
    Matcher c = UNEXPECTED_CHAR.matcher(m);
    if (c.find()) {
      return unexpectedCharacter(Integer.parseInt(c.group(2)), c.group(3));
    }
    Matcher close = CLOSE_MARKER.matcher(m);
    if (close.find()) {
      return closeMarker(m, close);
    }
    if (m.startsWith("Trailing token")) {
      return "more text after the end of the JSON value; write one JSON value per line";
    }
    if (m.startsWith("Invalid numeric value: ")) {
      return "invalid number: " + lowerFirst(m.substring("Invalid numeric value: ".length()));
    }
    Matcher ctrl = CONTROL_CHAR.matcher(m);
    if (ctrl.find()) {
      return "a control character (code "
          + ctrl.group(1)
          + ") inside a string must be escaped (\\t, \\n or \\uXXXX)";
    }
    Matcher ns = NON_STANDARD.matcher(m);
    if (ns.find()) {
      return "'" + ns.group(1) + "' is not a JSON value (JSON has no NaN or Infinity)";
    }
    return lowerFirst(SOURCE.matcher(m).replaceAll("").replaceAll(" \\(code \\d+\\)", ""));
  }

  private static String endOfInput(String m) {
    if (m.contains("close marker for Object") || m.contains("Object entries")) {
      return "the JSON ends inside an object: a closing '}' is missing";
    }
    if (m.contains("close marker for Array") || m.contains("Array entries")) {
      return "the JSON ends inside an array: a closing ']' is missing";
    }
    if (m.contains("closing quote")) {
      return "the JSON ends inside a string: a closing '\"' is missing";
    }
    return "the JSON ends before the value is complete";
  }

  private static String unexpectedCharacter(int code, String rest) {
    String ch = character(code);
    if (rest.contains("double-quote to start field name")) {
      return "found "
          + ch
          + " where a field name in double quotes was expected"
          + (code == '\'' ? " (JSON strings use double quotes)" : "");
    }
    if (rest.contains("colon to separate field name and value")) {
      return "found " + ch + " where ':' was expected after the field name";
    }
    if (rest.contains("comma to separate Object entries")) {
      return "found " + ch + " where ',' or '}' was expected";
    }
    if (rest.contains("comma to separate Array entries")) {
      return "found " + ch + " where ',' or ']' was expected";
    }
    if (rest.contains("in numeric value")) {
      return "found " + ch + " inside a number";
    }
    if (rest.contains("expected a valid value")) {
      return "found " + ch + " where a value was expected";
    }
    return "unexpected " + ch;
  }

  private static String closeMarker(String m, Matcher close) {
    String found = "'" + close.group(1) + "'";
    if (close.group(2) == null) {
      return "found " + found + " with nothing open to close";
    }
    Matcher start = START_COLUMN.matcher(m);
    String opened =
        (close.group(2).equals("]") ? "the array" : "the object")
            + (start.find() ? " opened at column " + start.group(1) : "");
    return "found " + found + " where '" + close.group(2) + "' was expected to close " + opened;
  }

  private static String character(int code) {
    if (code < 32) {
      return "a control character (code " + code + ")";
    }
    return code == '\'' ? "a single quote" : "'" + (char) code + "'";
  }

  private static String lowerFirst(String s) {
    return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }
}
