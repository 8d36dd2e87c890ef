package io.kagi.console.web;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AuditCsvTests {

    @Test
    void everyFieldIsQuotedWithQuotesDoubledAndTheRecordEndsInCrLf() {
        assertThat(AuditCsv.row(Arrays.asList("a", "b,c", "say \"hi\"", "two\nlines", null)))
                .isEqualTo("\"a\",\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",\"\"\r\n");
    }

    @Test
    void aFieldASpreadsheetWouldRunAsAFormulaIsPrefixedWithAnApostrophe() {
        for (String formula : new String[] {"=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"}) {
            assertThat(AuditCsv.field(formula)).as(formula).isEqualTo("\"'" + formula + "\"");
        }
        assertThat(AuditCsv.field("digits 6 -> 8")).isEqualTo("\"digits 6 -> 8\"");
    }
}
