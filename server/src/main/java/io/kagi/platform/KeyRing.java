package io.kagi.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key-encryption keys (AES-256), each under an id, and which one encrypts new secrets.
 * Immutable and thread-safe; never prints a key.
 */
final class KeyRing {

    private static final Logger log = LoggerFactory.getLogger(KeyRing.class);
    private static final int KEY_BYTES = 32;

    private final Map<String, SecretKey> keys;
    private final String activeId;

    private KeyRing(Map<String, SecretKey> keys, String activeId) {
        if (keys.isEmpty()) {
            throw new IllegalStateException("No key-encryption key is configured: set KAGI_KEYS_RING or kagi.keys.file");
        }
        if (!keys.containsKey(activeId)) {
            throw new IllegalStateException("The active key id '" + activeId + "' is not in the key ring " + keys.keySet());
        }
        this.keys = Map.copyOf(keys);
        this.activeId = activeId;
    }

    static KeyRing load(KeyProperties properties) {
        String text;
        if (properties.ring() != null && !properties.ring().isBlank()) {
            text = properties.ring().replace(',', '\n');
        } else if (properties.file() != null) {
            text = readOrGenerate(properties.file(), properties.generateIfMissing());
        } else {
            throw new IllegalStateException("No key-encryption key is configured: set KAGI_KEYS_RING or kagi.keys.file");
        }
        Map<String, SecretKey> keys = parse(text);
        String active = properties.active() != null && !properties.active().isBlank()
                ? properties.active()
                : keys.keySet().stream().reduce((first, second) -> second).orElse("");
        return new KeyRing(keys, active);
    }

    String activeId() {
        return activeId;
    }

    SecretKey active() {
        return keys.get(activeId);
    }

    /** The key with this id, or an exception naming the id when the ring no longer holds it. */
    SecretKey key(String id) {
        SecretKey key = keys.get(id);
        if (key == null) {
            throw new IllegalStateException("The key ring holds no key with id '" + id + "'");
        }
        return key;
    }

    private static Map<String, SecretKey> parse(String text) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int separator = trimmed.indexOf(trimmed.indexOf('=') > 0 ? '=' : ':');
            if (separator <= 0) {
                throw new IllegalStateException("A key ring entry must read id=base64 (an entry without '=' was found)");
            }
            String id = trimmed.substring(0, separator).strip();
            byte[] material;
            try {
                material = Base64.getDecoder().decode(trimmed.substring(separator + 1).strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("The key '" + id + "' is not valid Base64");
            }
            if (material.length != KEY_BYTES) {
                throw new IllegalStateException("The key '" + id + "' has " + material.length + " bytes; AES-256 needs 32");
            }
            keys.put(id, new SecretKeySpec(material, "AES"));
        }
        return keys;
    }

    private static String readOrGenerate(Path file, boolean generateIfMissing) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.US_ASCII);
            }
            if (!generateIfMissing) {
                throw new IllegalStateException("The key file " + file.toAbsolutePath() + " does not exist");
            }
            byte[] material = new byte[KEY_BYTES];
            new SecureRandom().nextBytes(material);
            String text = "# Kagi key-encryption keys, generated for local use. Production supplies its own.\n"
                    + "local-1=" + Base64.getEncoder().encodeToString(material) + "\n";
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(file, text, StandardCharsets.US_ASCII);
            if (parent.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(file, Set.copyOf(PosixFilePermissions.fromString("rw-------")));
            }
            log.warn("Generated a local key-encryption key in {}. This is for a local trial only: production must "
                    + "supply its own keys (KAGI_KEYS_RING or kagi.keys.file) and keep them out of the database's backups.",
                    file.toAbsolutePath());
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the key file " + file.toAbsolutePath(), e);
        }
    }
}
