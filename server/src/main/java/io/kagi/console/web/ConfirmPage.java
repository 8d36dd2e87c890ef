package io.kagi.console.web;

import java.util.List;

/**
 * What a confirm screen shows: the screen, the facts of the change, where the form posts and where
 * 戻る leads. The template {@code console/confirm} adds the fresh OTP field and the form token; the
 * facts themselves are held on the server under that token (the execute step carries out what was
 * held, never fields sent back by the browser).
 *
 * @param screenId  e.g. {@code CCMP003}
 * @param titleKey  the message key of the title
 * @param leadKey   the message key of the sentence above the facts
 * @param rows      label key and value of each fact
 * @param action    the execute URL
 * @param back      where 戻る goes
 */
record ConfirmPage(String screenId, String titleKey, String leadKey, List<Row> rows, String action, String back) {

    /**
     * The query parameter with which the answer to a form sent again ("already done") leads to its
     * page: a parameter rather than a flash message, so that the answers to a burst of submissions
     * of one form do not all write to the session.
     */
    static final String ALREADY_DONE = "alreadyDone";

    /** One fact of the change; {@code translated} when the value is itself a message key. */
    record Row(String labelKey, String value, boolean translated) {

        static Row text(String labelKey, String value) {
            return new Row(labelKey, value, false);
        }

        static Row message(String labelKey, String valueKey) {
            return new Row(labelKey, valueKey, true);
        }
    }
}
