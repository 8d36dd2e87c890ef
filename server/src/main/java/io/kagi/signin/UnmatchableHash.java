package io.kagi.signin;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The hash of a random password that nobody knows, checked when there is no account to check
 * against, so that an unknown login ID or contract costs as much time as a known one. Hashed in
 * the background once the application is ready (an Argon2id or bcrypt hash at the production cost
 * takes about 0.1 s of a core, which on two cores competed with the start-up itself), or at the
 * first check that needs it, whichever comes first; that check waits if it is not ready yet.
 */
@Component
public class UnmatchableHash {

    private final PasswordEncoder passwordEncoder;
    private CompletableFuture<String> hash;

    UnmatchableHash(PasswordEncoder passwordEncoder) {
        this.passwordEncoder = passwordEncoder;
    }

    @EventListener(ApplicationReadyEvent.class)
    void prepare() {
        future();
    }

    public String value() {
        return future().join();
    }

    private synchronized CompletableFuture<String> future() {
        if (hash == null) {
            hash = CompletableFuture.supplyAsync(() -> passwordEncoder.encode(UUID.randomUUID().toString()));
        }
        return hash;
    }

    @Override
    public String toString() {
        return "UnmatchableHash[]";
    }
}
