package io.kagi.bench.load;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Each password hash's own cost, one check on one thread of this JVM, beside the Kagi–Keycloak
 * comparison: Kagi's bcrypt at cost 4 (the equal-cost phase) and its production Argon2id (19 MiB,
 * t = 2, p = 1, Spring's {@link Argon2PasswordEncoder} as {@code PasswordHashing} configures it);
 * Keycloak's PBKDF2-SHA256 at N iterations (what its {@code Pbkdf2Sha256PasswordHashProvider}
 * computes: {@code PBKDF2WithHmacSHA256}, 16-byte salt, 256-bit key) and its default Argon2id
 * (Keycloak 26's {@code Argon2Parameters}: 7,168 KiB, t = 5, p = 1, 32 bytes, BouncyCastle as
 * Keycloak uses). {@link #matchingPbkdf2Iterations} picks the N whose cost is bcrypt 4's.
 */
final class HashCosts {

    /** Keycloak 26's Argon2id defaults (org.keycloak.crypto.hash.Argon2Parameters). */
    static final int KEYCLOAK_ARGON2_MEMORY_KIB = 7168;
    static final int KEYCLOAK_ARGON2_ITERATIONS = 5;
    /** Kagi's Argon2id (io.kagi.platform.PasswordHashing: OWASP's m = 19 MiB, t = 2, p = 1). */
    static final int KAGI_ARGON2_MEMORY_KIB = 19 * 1024;
    static final int KAGI_ARGON2_ITERATIONS = 2;

    private static final byte[] SALT = new byte[16];

    static {
        new SecureRandom().nextBytes(SALT);
    }

    private HashCosts() {
    }

    /**
     * Milliseconds of one check: the median of {@code batches} batches, each as many checks as fit
     * in about {@code batchMillis} (the median, because the machine is shared and a batch may lose
     * the core to another process).
     */
    static double millisPerCheck(BooleanSupplier check, int batches, int batchMillis) {
        // Warm-up: the JIT compiles the hash's inner loop (bcrypt's first checks take three times as long).
        long warm = System.nanoTime() + 1_000_000_000L;
        for (int i = 0; i < 3 || System.nanoTime() < warm; i++) {
            check.getAsBoolean();
        }
        long one = System.nanoTime();
        check.getAsBoolean();
        long single = Math.max(1, System.nanoTime() - one);
        int perBatch = (int) Math.max(1, Math.min(100_000, batchMillis * 1_000_000L / single));
        List<Double> millis = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            long start = System.nanoTime();
            for (int i = 0; i < perBatch; i++) {
                if (!check.getAsBoolean()) {
                    throw new IllegalStateException("the hash did not match");
                }
            }
            millis.add((System.nanoTime() - start) / 1e6 / perBatch);
        }
        Collections.sort(millis);
        return millis.get(millis.size() / 2);
    }

    static BooleanSupplier bcrypt(int cost) {
        BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(cost);
        String hash = encoder.encode(LoginLoad.PASSWORD);
        return () -> encoder.matches(LoginLoad.PASSWORD, hash);
    }

    static BooleanSupplier kagiArgon2() {
        Argon2PasswordEncoder encoder = new Argon2PasswordEncoder(16, 32, 1, KAGI_ARGON2_MEMORY_KIB, KAGI_ARGON2_ITERATIONS);
        String hash = encoder.encode(LoginLoad.PASSWORD);
        return () -> encoder.matches(LoginLoad.PASSWORD, hash);
    }

    static BooleanSupplier pbkdf2Sha256(int iterations) {
        byte[] expected = pbkdf2(iterations);
        return () -> java.security.MessageDigest.isEqual(expected, pbkdf2(iterations));
    }

    private static byte[] pbkdf2(int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(LoginLoad.PASSWORD.toCharArray(), SALT, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static BooleanSupplier keycloakArgon2() {
        byte[] expected = argon2id(KEYCLOAK_ARGON2_MEMORY_KIB, KEYCLOAK_ARGON2_ITERATIONS);
        return () -> java.security.MessageDigest.isEqual(expected, argon2id(KEYCLOAK_ARGON2_MEMORY_KIB, KEYCLOAK_ARGON2_ITERATIONS));
    }

    private static byte[] argon2id(int memoryKiB, int iterations) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(SALT).withMemoryAsKB(memoryKiB).withIterations(iterations).withParallelism(1).build());
        byte[] out = new byte[32];
        generator.generateBytes(LoginLoad.PASSWORD.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }

    /**
     * The PBKDF2-SHA256 iteration count (a multiple of 100) whose check costs what bcrypt at
     * {@code cost} costs here: measured at 10,000 iterations and scaled (PBKDF2's cost is linear in N).
     */
    static int matchingPbkdf2Iterations(int bcryptCost) {
        BooleanSupplier bcrypt = bcrypt(bcryptCost);
        BooleanSupplier pbkdf2 = pbkdf2Sha256(10_000);
        // In turns, the ratio of each pair: another process taking the core moves both alike.
        List<Double> ratios = new ArrayList<>();
        for (int turn = 0; turn < 9; turn++) {
            ratios.add(millisPerCheck(bcrypt, 1, 150) / millisPerCheck(pbkdf2, 1, 150));
        }
        Collections.sort(ratios);
        return (int) Math.max(100, Math.round(10_000 * ratios.get(ratios.size() / 2) / 100) * 100);
    }

    /** Each hash's cost in ms, measured in turns (bcrypt, PBKDF2, Kagi's Argon2id, Keycloak's) so that drift falls on all. */
    static Map<String, Object> measure(int bcryptCost, int pbkdf2Iterations) {
        Map<String, Object> costs = new LinkedHashMap<>();
        costs.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        Map<String, BooleanSupplier> hashes = new LinkedHashMap<>();
        hashes.put("Kagi bcrypt cost " + bcryptCost, bcrypt(bcryptCost));
        hashes.put("Keycloak pbkdf2-sha256 × " + pbkdf2Iterations, pbkdf2Sha256(pbkdf2Iterations));
        hashes.put("Kagi argon2id m=" + KAGI_ARGON2_MEMORY_KIB + " KiB t=" + KAGI_ARGON2_ITERATIONS + " p=1",
                kagiArgon2());
        hashes.put("Keycloak argon2id m=" + KEYCLOAK_ARGON2_MEMORY_KIB + " KiB t=" + KEYCLOAK_ARGON2_ITERATIONS + " p=1",
                keycloakArgon2());
        hashes.put("bcrypt cost 11 (Kagi's production cost before Argon2id)", bcrypt(11));
        Map<String, List<Double>> runs = new LinkedHashMap<>();
        for (int turn = 0; turn < 3; turn++) {
            for (Map.Entry<String, BooleanSupplier> hash : hashes.entrySet()) {
                runs.computeIfAbsent(hash.getKey(), k -> new ArrayList<>()).add(millisPerCheck(hash.getValue(), 3, 300));
            }
        }
        Map<String, Object> millis = new LinkedHashMap<>();
        runs.forEach((name, values) -> {
            List<Double> sorted = new ArrayList<>(values);
            Collections.sort(sorted);
            millis.put(name, sorted.get(sorted.size() / 2));
            System.out.printf("  %s: %.2f ms a check (turns: %s)%n", name, sorted.get(sorted.size() / 2),
                    values.stream().map(v -> String.format("%.2f", v)).toList());
        });
        costs.put("millisPerCheck", millis);
        return costs;
    }

    /**
     * The costs on the JVM this runs on, one {@code HASHCOST <tab> name <tab> ms} line each:
     * {@code java -cp kagi-bench.jar io.kagi.bench.load.HashCosts probe} (bcrypt 4 and PBKDF2-SHA256
     * × 10,000, in turns) or {@code … HashCosts measure N} (every hash, PBKDF2 at N iterations).
     */
    @SuppressWarnings("unchecked")
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("probe")) {
            BooleanSupplier bcrypt = bcrypt(4);
            BooleanSupplier pbkdf2 = pbkdf2Sha256(10_000);
            List<Double> b = new ArrayList<>();
            List<Double> p = new ArrayList<>();
            for (int turn = 0; turn < 5; turn++) {
                b.add(millisPerCheck(bcrypt, 1, 150));
                p.add(millisPerCheck(pbkdf2, 1, 150));
            }
            Collections.sort(b);
            Collections.sort(p);
            System.out.println("HASHCOST\tbcrypt4\t" + b.get(2));
            System.out.println("HASHCOST\tpbkdf2x10000\t" + p.get(2));
            return;
        }
        int n = args.length > 1 ? Integer.parseInt(args[1]) : matchingPbkdf2Iterations(4);
        Map<String, Object> costs = measure(4, n);
        ((Map<String, Object>) costs.get("millisPerCheck")).forEach((name, ms) -> System.out.println("HASHCOST\t" + name + "\t" + ms));
    }

    /** Runs {@link #main} with {@code args} on another JVM ({@code javaCommand}) and returns its HASHCOST lines: name → ms. */
    static Map<String, Double> onJvm(String javaCommand, String... args) throws java.io.IOException, InterruptedException {
        String jar;
        try {
            jar = java.nio.file.Path.of(HashCosts.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<String> command = new ArrayList<>(List.of(javaCommand, "-cp", jar, HashCosts.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        Map<String, Double> costs = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            String[] fields = line.split("\t");
            if (fields.length == 3 && fields[0].equals("HASHCOST")) {
                costs.put(fields[1], Double.parseDouble(fields[2].trim()));
            }
        }
        return costs;
    }
}
