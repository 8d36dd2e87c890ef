package io.kagi.console.web;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One CSV record as RFC 4180 writes it: every field in double quotes, a quote doubled, CRLF at the
 * end. A field a spreadsheet would take for a formula (starting with {@code = + - @}, a tab or a
 * carriage return) gets a leading {@code '}, so opening the export in Excel runs nothing.
 */
final class AuditCsv {

    private AuditCsv() {
    }

    static String row(List<String> fields) {
        return fields.stream().map(AuditCsv::field).collect(Collectors.joining(",")) + "\r\n";
    }

    static String field(String value) {
        String text = value == null ? "" : value;
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }
}
