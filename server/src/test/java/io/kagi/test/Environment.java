package io.kagi.test;

/** What the test run may expect of this machine. */
final class Environment {

    private Environment() {
    }

    /** Under CI ({@code CI=true}) a missing PostgreSQL or Chromium fails the run instead of skipping. */
    static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
