package io.kagi.platform;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/** Secrets and re-seal passes on a key ring of the test's choice, beside the application's own. */
public final class KeyRingsForTests {

    private KeyRingsForTests() {
    }

    /** Seals under {@code active} of {@code ring} ({@code id=base64} entries separated by commas). */
    public static SecretsAtRest secrets(String ring, String active) {
        return new SecretsAtRest(KeyRing.load(new KeyProperties(ring, null, active, false)));
    }

    /** A re-seal pass that moves the columns' values to the active key of {@code secrets}, with its own meters. */
    public static Resealing resealing(JdbcClient jdbc, PlatformTransactionManager transactions, SecretsAtRest secrets,
                                      List<SealedColumn> columns, int batchSize) {
        return new Resealing(jdbc, transactions, secrets, columns,
                new DefaultListableBeanFactory().getBeanProvider(MeterRegistry.class), batchSize);
    }
}
