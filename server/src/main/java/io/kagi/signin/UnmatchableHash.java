package io.kagi.signin;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The hash of a random password that nobody knows, checked when there is no account to check
 * against, so that an unknown login ID or contract costs as much time as a known one. Hashed in
 * the background (a bcrypt hash at the production cost takes about 0.1 s of a core), so start-up
 * does not wait for it; the first check that needs it waits if it is not ready yet.
 */
@Component
public class UnmatchableHash {

    private final CompletableFuture<String> hash;

    UnmatchableHash(PasswordEncoder passwordEncoder) {
        this.hash = CompletableFuture.supplyAsync(() -> passwordEncoder.encode(UUID.randomUUID().toString()));
    }

    public String value() {
        return hash.join();
    }

    @Override
    public String toString() {
        return "UnmatchableHash[]";
    }
}
