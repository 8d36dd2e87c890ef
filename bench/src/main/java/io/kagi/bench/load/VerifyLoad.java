package io.kagi.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The relying party's side of verification over HTTP: {@code POST
 * /api/v1/services/{serviceId}/accounts/{account}/token/verify} with HTTP Basic, every request a
 * fresh valid code (computed here with otp-core) of a different token, tokens taken in a random
 * order; and the replay storm (one code sent to every node at once).
 */
final class VerifyLoad {

    private final TokenSet tokens;
    private final String serviceId;
    private final String authorization;
    private final AtomicLong cursor = new AtomicLong();
    private volatile int[] order = new int[0];

    VerifyLoad(TokenSet tokens, String serviceId, String apiSecret) {
        this.tokens = tokens;
        this.serviceId = serviceId;
        this.authorization = "Authorization: Basic "
                + Base64.getEncoder().encodeToString((serviceId + ":" + apiSecret).getBytes(StandardCharsets.UTF_8));
    }

    /** From now on, tokens 0..count-1 in a random order (a fresh shuffle). */
    void useTokens(int count, long shuffleSeed) {
        int[] fresh = new int[count];
        for (int i = 0; i < count; i++) {
            fresh[i] = i;
        }
        Random random = new Random(shuffleSeed);
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = fresh[i];
            fresh[i] = fresh[j];
            fresh[j] = swap;
        }
        order = fresh;
        cursor.set(0);
    }

    /** A worker that sends verifications round-robin over the nodes at {@code ports} (its own connection to each). */
    ClosedLoop.Worker worker(int index, List<Integer> ports) {
        List<MiniHttp> connections = new ArrayList<>();
        for (int port : ports) {
            connections.add(new MiniHttp("127.0.0.1", port));
        }
        return new ClosedLoop.Worker() {
            private int next = index;

            @Override
            public boolean call() throws Exception {
                int[] tokensNow = order;
                for (int tries = 0; ; tries++) {
                    int token = tokensNow[(int) (cursor.getAndIncrement() % tokensNow.length)];
                    String code = tokens.freshCode(token, Instant.now());
                    if (code != null) {
                        MiniHttp http = connections.get(next++ % connections.size());
                        return verify(http, token, code).status() == 200;
                    }
                    if (tries > tokensNow.length) {
                        Thread.sleep(100);
                        tries = 0;
                    }
                }
            }

            @Override
            public void close() {
                connections.forEach(MiniHttp::close);
            }
        };
    }

    MiniHttp.Response verify(MiniHttp http, int token, String code) throws IOException {
        return http.exchange("POST", path(token), headers(), body(code));
    }

    private String path(int token) {
        return "/api/v1/services/" + serviceId + "/accounts/" + TokenSet.accountRef(token) + "/token/verify";
    }

    private List<String> headers() {
        return List.of(authorization, "Content-Type: application/json", "Accept: application/json");
    }

    private static byte[] body(String code) {
        return ("{\"code\":\"" + code + "\"}").getBytes(StandardCharsets.US_ASCII);
    }

    /** What the replay storm gave: how many tokens saw exactly one acceptance, none, or more. */
    record StormResult(int tokens, int nodes, int exactlyOne, int none, int moreThanOne, Map<Integer, Integer> statuses,
                       double seconds) {

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("tokens", tokens);
            map.put("nodes", nodes);
            map.put("exactlyOneAccepted", exactlyOne);
            map.put("noneAccepted", none);
            map.put("moreThanOneAccepted", moreThanOne);
            map.put("statuses", statuses);
            map.put("seconds", seconds);
            return map;
        }
    }

    /**
     * For {@code count} tokens not used before, sends one valid code to every node at once (the
     * requests are written to all nodes before any answer is read), {@code parallel} tokens at a time.
     */
    StormResult replayStorm(int count, List<Integer> ports, int parallel) throws InterruptedException {
        int[] tokensNow = order;
        List<Integer> chosen = new ArrayList<>();
        for (int i = tokensNow.length - 1; i >= 0 && chosen.size() < count; i--) {
            if (!tokens.used(tokensNow[i])) {
                chosen.add(tokensNow[i]);
            }
        }
        AtomicInteger nextIndex = new AtomicInteger();
        AtomicInteger exactlyOne = new AtomicInteger();
        AtomicInteger none = new AtomicInteger();
        AtomicInteger more = new AtomicInteger();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < parallel; t++) {
            Thread thread = new Thread(() -> {
                List<MiniHttp> connections = new ArrayList<>();
                ports.forEach(port -> connections.add(new MiniHttp("127.0.0.1", port)));
                try {
                    for (int i = nextIndex.getAndIncrement(); i < chosen.size(); i = nextIndex.getAndIncrement()) {
                        int token = chosen.get(i);
                        String code = tokens.freshCode(token, Instant.now());
                        byte[] body = body(code);
                        for (MiniHttp http : connections) {
                            http.write("POST", path(token), headers(), body);
                        }
                        int accepted = 0;
                        for (MiniHttp http : connections) {
                            int status = http.read().status();
                            statuses.merge(status, 1, Integer::sum);
                            if (status == 200) {
                                accepted++;
                            }
                        }
                        (accepted == 1 ? exactlyOne : accepted == 0 ? none : more).incrementAndGet();
                    }
                } catch (IOException e) {
                    statuses.merge(-1, 1, Integer::sum);
                } finally {
                    connections.forEach(MiniHttp::close);
                }
            }, "storm-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new StormResult(chosen.size(), ports.size(), exactlyOne.get(), none.get(), more.get(), Map.copyOf(statuses),
                (System.nanoTime() - start) / 1e9);
    }
}
