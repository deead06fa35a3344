package dev.vectorcache.testkit;

import org.opentest4j.TestAbortedException;

/**
 * The one rule for what an integration test needs from the machine (a server binary, a tool such as
 * {@code openssl}): without it the test is skipped with a message, or fails when integration tests
 * are required ({@value #REQUIRED_PROPERTY}{@code =true}, as in CI), so that CI cannot skip
 * silently.
 */
public final class TestRequirements {
  /** Set to {@code true} to fail instead of skip when something a test needs is missing. */
  public static final String REQUIRED_PROPERTY = "vectorcache.it.required";

  private TestRequirements() {}

  /**
   * Skips the test with {@code problem} when {@code available} is false, or fails it when
   * integration tests are required.
   *
   * @param available whether what the test needs is there
   * @param problem what is missing and how to provide it
   */
  public static void requireOrSkip(boolean available, String problem) {
    if (!available) {
      throw missing(problem);
    }
  }

  /**
   * The exception for a missing requirement: {@link TestAbortedException} (a skip), or {@link
   * IllegalStateException} (a failure) when integration tests are required.
   *
   * @param problem what is missing and how to provide it
   * @return the exception to throw
   */
  public static RuntimeException missing(String problem) {
    if (Boolean.getBoolean(REQUIRED_PROPERTY)) {
      return new IllegalStateException(problem + " (" + REQUIRED_PROPERTY + "=true)");
    }
    return new TestAbortedException(problem);
  }
}
