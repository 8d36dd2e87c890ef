package io.kagi.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

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
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,32}");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

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

    /** The ids of every key in the ring, in no particular order. */
    java.util.Set<String> ids() {
        return keys.keySet();
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

    /**
     * Reads {@code id=base64} lines (blank lines and {@code #} comments skipped). The id is 1 to 32
     * letters, digits, {@code .}, {@code _} or {@code -}; the value is split at the first {@code =},
     * so Base64 padding stays with the key. A line of another form is refused naming only its line
     * number: no part of it is echoed, since it may be key material.
     */
    private static Map<String, SecretKey> parse(String text) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        String[] lines = text.split("\\R");
        for (int number = 1; number <= lines.length; number++) {
            String trimmed = lines[number - 1].strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int separator = trimmed.indexOf('=');
            String id = separator < 0 ? "" : trimmed.substring(0, separator).strip();
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalStateException("Key ring entry " + number + " is not of the form id=base64 (the id: 1 to 32 "
                        + "letters, digits, '.', '_' or '-', then '=', then the key in Base64)");
            }
            byte[] material;
            try {
                material = Base64.getDecoder().decode(trimmed.substring(separator + 1).strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("The key '" + id + "' (key ring entry " + number + ") is not valid Base64");
            }
            if (material.length != KEY_BYTES) {
                throw new IllegalStateException("The key '" + id + "' (key ring entry " + number + ") has " + material.length
                        + " bytes; AES-256 needs 32");
            }
            if (keys.put(id, new SecretKeySpec(material, "AES")) != null) {
                throw new IllegalStateException("The key id '" + id + "' appears twice in the key ring");
            }
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
            // Created with its final mode (owner only) and never through an existing file or link.
            if (parent.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            log.warn("Generated a local key-encryption key in {}. This is for a local trial only: production must "
                    + "supply its own keys (KAGI_KEYS_RING or kagi.keys.file) and keep them out of the database's backups.",
                    file.toAbsolutePath());
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the key file " + file.toAbsolutePath(), e);
        }
    }
}
