package io.kagi.tokencli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

import io.kagi.activation.TokenParameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The command-line token's tokens, one a サービスID, in one file (by default
 * {@code $XDG_CONFIG_HOME/kagi/tokens.json}, else {@code ~/.config/kagi/tokens.json}).
 *
 * <p>The file is a JSON envelope around the tokens sealed with AES-256-GCM (96-bit random IV per
 * write, 128-bit tag, the envelope's header as associated data) under a key derived from the
 * user's passphrase by PBKDF2-HMAC-SHA256 with a random 16-byte salt and {@value #ITERATIONS}
 * iterations (OWASP 2023). A wrong passphrase and an altered file are refused alike. The file is
 * written atomically (a temporary file in the same directory, then a rename) with mode 600, in a
 * directory of mode 700, on file systems that have POSIX permissions.
 *
 * <p>Not thread-safe; one instance per command.
 */
public final class TokenStore {

    /** PBKDF2 iterations for a new file. */
    public static final int ITERATIONS = 600_000;
    static final String FORMAT = "kagi-token-store-1";
    /** At most this many tokens, as in the phone app. */
    public static final int MAX_TOKENS = 10;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final int iterations;
    private byte[] salt;
    private SecretKey key;
    private final List<StoredToken> tokens = new ArrayList<>();

    private TokenStore(Path file, int iterations) {
        this.file = file;
        this.iterations = iterations;
    }

    /** The default file: {@code $XDG_CONFIG_HOME/kagi/tokens.json}, else {@code ~/.config/kagi/tokens.json}. */
    public static Path defaultFile(java.util.Map<String, String> environment) {
        String explicit = environment.get("KAGI_TOKEN_FILE");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = environment.get("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return config.resolve("kagi").resolve("tokens.json");
    }

    public static boolean exists(Path file) {
        return Files.exists(file);
    }

    /** A new, empty store that will be written to {@code file} under this passphrase. */
    public static TokenStore create(Path file, char[] passphrase) {
        return create(file, passphrase, ITERATIONS);
    }

    static TokenStore create(Path file, char[] passphrase, int iterations) {
        TokenStore store = new TokenStore(file, iterations);
        store.salt = new byte[16];
        RANDOM.nextBytes(store.salt);
        store.key = deriveKey(passphrase, store.salt, iterations);
        return store;
    }

    /**
     * Opens and decrypts the file.
     *
     * @throws WrongPassphraseException if the passphrase is wrong or the file was altered
     * @throws IOException              if the file cannot be read or is not a token store
     */
    public static TokenStore open(Path file, char[] passphrase) throws IOException {
        JsonNode envelope;
        try {
            envelope = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (tools.jackson.core.JacksonException e) {
            throw new IOException(file + " is not a Kagi token file");
        }
        if (!FORMAT.equals(envelope.path("format").asString(null))) {
            throw new IOException(file + " is not a Kagi token file (format " + envelope.path("format").asString("?") + ")");
        }
        int iterations = envelope.path("iterations").asInt(0);
        if (iterations < 100_000) {
            throw new IOException(file + " names too few PBKDF2 iterations");
        }
        TokenStore store = new TokenStore(file, iterations);
        Base64.Decoder base64 = Base64.getDecoder();
        store.salt = base64.decode(envelope.path("salt").asString(""));
        byte[] iv = base64.decode(envelope.path("iv").asString(""));
        byte[] sealed = base64.decode(envelope.path("ciphertext").asString(""));
        store.key = deriveKey(passphrase, store.salt, iterations);
        byte[] plain;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, store.key, new GCMParameterSpec(128, iv));
            cipher.updateAAD(associatedData(iterations, store.salt));
            plain = cipher.doFinal(sealed);
        } catch (AEADBadTagException e) {
            throw new WrongPassphraseException();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
        try {
            JsonNode content = JSON.readTree(new String(plain, StandardCharsets.UTF_8));
            for (JsonNode node : content.path("tokens")) {
                store.tokens.add(fromJson(node));
            }
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        return store;
    }

    public Path file() {
        return file;
    }

    /** The tokens, in the order they were activated. */
    public List<StoredToken> tokens() {
        return tokens.stream().sorted(Comparator.comparing(StoredToken::activatedAt)).toList();
    }

    public Optional<StoredToken> find(String serviceId) {
        return tokens.stream().filter(token -> token.serviceId().equals(serviceId)).findFirst();
    }

    /** Adds a token unless one of its service is here or the store is full; answers whether it did. */
    public boolean add(StoredToken token) {
        if (find(token.serviceId()).isPresent() || tokens.size() >= MAX_TOKENS) {
            return false;
        }
        return tokens.add(token);
    }

    public boolean remove(String serviceId) {
        return tokens.removeIf(token -> token.serviceId().equals(serviceId));
    }

    /** Writes the store: sealed under the passphrase's key with a fresh IV, mode 600, atomically. */
    public void save() throws IOException {
        ObjectNode content = JSON.createObjectNode();
        ArrayNode list = content.putArray("tokens");
        tokens().forEach(token -> list.add(toJson(token)));
        byte[] plain = JSON.writeValueAsBytes(content);
        byte[] iv = new byte[12];
        RANDOM.nextBytes(iv);
        byte[] sealed;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            cipher.updateAAD(associatedData(iterations, salt));
            sealed = cipher.doFinal(plain);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        Base64.Encoder base64 = Base64.getEncoder();
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("format", FORMAT);
        envelope.put("kdf", "PBKDF2-HMAC-SHA256");
        envelope.put("iterations", iterations);
        envelope.put("salt", base64.encodeToString(salt));
        envelope.put("cipher", "AES-256-GCM");
        envelope.put("iv", base64.encodeToString(iv));
        envelope.put("ciphertext", base64.encodeToString(sealed));
        writeAtomically(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(envelope) + "\n");
    }

    private void writeAtomically(String text) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(directory)) {
            if (posix) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
            } else {
                Files.createDirectories(directory);
            }
        }
        Path temporary = posix
                ? Files.createTempFile(directory, ".tokens-", ".tmp", PosixFilePermissions.asFileAttribute(FILE_MODE))
                : Files.createTempFile(directory, ".tokens-", ".tmp");
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            if (posix) {
                Files.setPosixFilePermissions(temporary, FILE_MODE);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static byte[] associatedData(int iterations, byte[] salt) {
        return (FORMAT + "|PBKDF2-HMAC-SHA256|" + iterations + "|" + Base64.getEncoder().encodeToString(salt) + "|AES-256-GCM")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static SecretKey deriveKey(char[] passphrase, byte[] salt, int iterations) {
        if (passphrase == null || passphrase.length == 0) {
            throw new IllegalArgumentException("The passphrase is empty");
        }
        PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, 256);
        try {
            byte[] raw = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            try {
                return new SecretKeySpec(raw, "AES");
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
        } finally {
            spec.clearPassword();
        }
    }

    private static ObjectNode toJson(StoredToken token) {
        ObjectNode node = JSON.createObjectNode();
        node.put("serviceId", token.serviceId());
        node.put("userId", token.userId());
        node.put("serviceName", token.serviceName());
        node.put("algorithm", token.parameters().algorithm());
        node.put("digits", token.parameters().digits());
        node.put("period", token.parameters().period());
        node.put("seed", Base64.getEncoder().encodeToString(token.seed()));
        node.put("clockOffsetMillis", token.clockOffsetMillis());
        node.put("activatedAt", token.activatedAt().toString());
        if (token.statusKey() != null) {
            node.put("server", token.server());
            node.put("statusKey", Base64.getEncoder().encodeToString(token.statusKey()));
        }
        node.put("state", token.state());
        return node;
    }

    private static StoredToken fromJson(JsonNode node) {
        return new StoredToken(node.path("serviceId").asString(), node.path("userId").asString(),
                node.path("serviceName").asString(),
                new TokenParameters(node.path("algorithm").asString(), node.path("digits").asInt(), node.path("period").asInt()),
                Base64.getDecoder().decode(node.path("seed").asString()), node.path("clockOffsetMillis").asLong(),
                Instant.parse(node.path("activatedAt").asString()), node.path("server").asString(null),
                node.hasNonNull("statusKey") ? Base64.getDecoder().decode(node.path("statusKey").asString()) : null,
                node.path("state").asString("active"));
    }

    @Override
    public String toString() {
        return "TokenStore[" + file + ", " + tokens.size() + " tokens]";
    }

    /** The passphrase does not open the file (or the file was altered). */
    public static final class WrongPassphraseException extends IOException {
        WrongPassphraseException() {
            super("The passphrase is wrong, or the token file was altered");
        }
    }
}
