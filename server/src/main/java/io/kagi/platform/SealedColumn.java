package io.kagi.platform;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A table column of values sealed by {@link SecretsAtRest}, declared (as a bean) by the module that
 * owns the table, so that {@link Resealing} can move its values to the active key and count them
 * per key.
 *
 * <p>The value of row {@code id} was sealed for the context {@code contextPrefix + id}. When the
 * table also keeps the key id apart ({@code keyIdColumn}, or {@code null}), a re-seal writes it
 * along with the value.
 *
 * @param table        the table, a plain lower-case SQL name
 * @param idColumn     its primary key (one column; ordered, so that a pass pages through it)
 * @param column       the column holding {@code keyId:base64(...)} values, or NULL
 * @param contextPrefix what precedes the row's id in the sealing context, e.g. {@code "token-seed:"}
 * @param keyIdColumn  the column that repeats the key id, or {@code null}
 */
public record SealedColumn(String table, String idColumn, String column, String contextPrefix, String keyIdColumn) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    public SealedColumn {
        for (String name : new String[] {table, idColumn, column}) {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("Not a plain SQL name: " + name);
            }
        }
        if (keyIdColumn != null && !NAME.matcher(keyIdColumn).matches()) {
            throw new IllegalArgumentException("Not a plain SQL name: " + keyIdColumn);
        }
        Objects.requireNonNull(contextPrefix, "contextPrefix");
    }

    /** {@code table.column}, as the console and the log name it. */
    public String name() {
        return table + "." + column;
    }
}
