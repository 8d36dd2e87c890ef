package io.kagi.mail;

/** Names the database of the current test run in printed figures. */
final class DatabaseName {

    private DatabaseName() {
    }

    static String current() {
        return System.getProperty("kagi.test.database", "h2");
    }
}
