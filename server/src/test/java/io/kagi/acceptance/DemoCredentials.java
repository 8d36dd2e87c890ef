package io.kagi.acceptance;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a newcomer reads in the start-up report: the portal's address and the demo company's
 * first-use credentials (支店番号, 科目, 口座番号, 仮ログインパスワード); the console's address and
 * its demo supervisor's login ID and the file that holds its temporary password.
 */
record DemoCredentials(String portalAddress, String branch, String accountType, String accountNumber,
                       String temporaryPassword, String consoleAddress, String operatorLoginId, String operatorPassword,
                       List<String> report) {

    private static final Pattern PORTAL = Pattern.compile("Business Web portal\\s+(http\\S+)");
    private static final Pattern CREDENTIALS = Pattern.compile(
            "支店番号 (\\d{3})\\s+科目 (\\S+)\\s+口座番号 (\\d{7})\\s+仮ログインパスワード (\\S+)");
    private static final Pattern CONSOLE = Pattern.compile("Operator console\\s+(http\\S+)");
    private static final Pattern OPERATOR = Pattern.compile("demo supervisor (\\S+)\\s+temporary password in (\\S+)");
    private static final Pattern PASSWORD_LINE = Pattern.compile("temporary password: (\\S+)");

    /** Reads the last start-up report in the console output (between its two rules of dashes). */
    static DemoCredentials fromStartupReport(String consoleOutput) {
        String rule = "-".repeat(72);
        int start = consoleOutput.lastIndexOf(rule + "\nKagi is ready");
        if (start < 0) {
            throw new AssertionError("No start-up report (\"Kagi is ready\") in the console output");
        }
        int end = consoleOutput.indexOf(rule, start + rule.length());
        String report = consoleOutput.substring(start + rule.length() + 1, end).stripTrailing();
        Matcher portal = PORTAL.matcher(report);
        Matcher credentials = CREDENTIALS.matcher(report);
        Matcher console = CONSOLE.matcher(report);
        Matcher operator = OPERATOR.matcher(report);
        if (!portal.find() || !credentials.find() || !console.find() || !operator.find()) {
            throw new AssertionError("The start-up report does not show the portal, the demo company's credentials, "
                    + "the console and its demo supervisor:\n" + report);
        }
        return new DemoCredentials(portal.group(1), credentials.group(1), credentials.group(2), credentials.group(3),
                credentials.group(4), console.group(1), operator.group(1), passwordIn(operator.group(2)), report.lines().toList());
    }

    /** The demo supervisor's temporary password, from the file the report names (never in the report itself). */
    private static String passwordIn(String file) {
        try {
            Matcher line = PASSWORD_LINE.matcher(java.nio.file.Files.readString(java.nio.file.Path.of(file)));
            if (!line.find()) {
                throw new AssertionError("No temporary password in " + file);
            }
            return line.group(1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "DemoCredentials[" + branch + " " + accountType + " " + accountNumber + "]";
    }
}
