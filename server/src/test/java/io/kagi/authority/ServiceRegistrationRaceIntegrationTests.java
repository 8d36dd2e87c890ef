package io.kagi.authority;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.kagi.test.KagiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Nodes starting at once on an empty database each make sure the portal's and the console's
 * services exist: every one of them gets the service, none fails its start, and the service is
 * registered once (found by the failover test, whose three nodes start together).
 */
@KagiIntegrationTest
class ServiceRegistrationRaceIntegrationTests {

    @Autowired
    Services services;

    @Autowired
    JdbcClient jdbc;

    @Test
    void nodesRegisteringTheSameServiceAtOnceAllGetItAndItIsRegisteredOnce() throws Exception {
        for (int round = 0; round < 5; round++) {
            ServiceId id = new ServiceId(Integer.toString(ThreadLocalRandom.current().nextInt(10_000_000, 99_999_999)));
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<String>> nodes = new ArrayList<>();
            for (int node = 0; node < 4; node++) {
                nodes.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return services.ensureRegistered(id, "同時起動");
                }));
            }
            start.countDown();

            for (CompletableFuture<String> node : nodes) {
                assertThat(node.get(30, TimeUnit.SECONDS)).isEqualTo("同時起動");
            }
            assertThat(jdbc.sql("SELECT count(*) FROM authority_service WHERE service_id = :id").param("id", id.digits())
                    .query(Long.class).single()).isEqualTo(1);
        }
    }
}
