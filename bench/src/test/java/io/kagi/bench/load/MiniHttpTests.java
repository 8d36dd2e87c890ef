package io.kagi.bench.load;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MiniHttpTests {

    private final ServerSocket server;
    private final List<String> requestLines = new CopyOnWriteArrayList<>();
    private final List<Integer> connections = new CopyOnWriteArrayList<>();

    MiniHttpTests() throws Exception {
        server = new ServerSocket(0);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    /** Answers each connection's requests with the given raw responses in turn. */
    private void serve(List<String> responses) {
        Thread thread = new Thread(() -> {
            int next = 0;
            try {
                while (next < responses.size()) {
                    try (Socket socket = server.accept()) {
                        connections.add(socket.getPort());
                        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                        OutputStream out = socket.getOutputStream();
                        while (next < responses.size()) {
                            String line = in.readLine();
                            if (line == null) {
                                break;
                            }
                            requestLines.add(line);
                            int length = 0;
                            for (String header = in.readLine(); !header.isEmpty(); header = in.readLine()) {
                                if (header.toLowerCase().startsWith("content-length:")) {
                                    length = Integer.parseInt(header.substring(15).trim());
                                }
                            }
                            in.skip(length);
                            String response = responses.get(next++);
                            out.write(response.getBytes(StandardCharsets.UTF_8));
                            out.flush();
                            if (response.contains("Connection: close")) {
                                break;
                            }
                        }
                    }
                }
            } catch (Exception stopped) {
                // the test is over
            }
        });
        thread.setDaemon(true);
        thread.start();
    }

    @Test
    void readsLengthAndChunkedBodiesOnOneKeptAliveConnection() throws Exception {
        serve(List.of(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 21\r\n\r\n{\"result\":\"accepted\"}",
                "HTTP/1.1 422 Unprocessable Content\r\nTransfer-Encoding: chunked\r\nSet-Cookie: A=1; Path=/\r\n"
                        + "Set-Cookie: B=2\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"));
        try (MiniHttp http = new MiniHttp("127.0.0.1", server.getLocalPort())) {
            MiniHttp.Response first = http.exchange("POST", "/verify", List.of("Content-Type: application/json"),
                    "{\"code\":\"123456\"}".getBytes(StandardCharsets.US_ASCII));
            MiniHttp.Response second = http.exchange("GET", "/page", List.of(), null);

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.text()).isEqualTo("{\"result\":\"accepted\"}");
            assertThat(second.status()).isEqualTo(422);
            assertThat(second.text()).isEqualTo("hello world");
            assertThat(second.headers("Set-Cookie")).containsExactly("A=1; Path=/", "B=2");
        }
        assertThat(requestLines).containsExactly("POST /verify HTTP/1.1", "GET /page HTTP/1.1");
        assertThat(connections).hasSize(1);
    }

    @Test
    void opensANewConnectionAfterTheServerClosedOne() throws Exception {
        serve(List.of("HTTP/1.1 302 Found\r\nLocation: /bizweb/otp\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                "HTTP/1.1 204 No Content\r\n\r\n"));
        try (MiniHttp http = new MiniHttp("127.0.0.1", server.getLocalPort())) {
            MiniHttp.Response redirect = http.exchange("POST", "/bizweb/login", List.of(), new byte[0]);
            MiniHttp.Response empty = http.exchange("GET", "/x", List.of(), null);

            assertThat(redirect.header("location")).isEqualTo("/bizweb/otp");
            assertThat(empty.status()).isEqualTo(204);
            assertThat(empty.body()).isEmpty();
        }
        assertThat(connections).hasSize(2);
    }

    @Test
    void cookiesAreKeptReplacedAndClearedAsABrowserDoes() {
        java.util.Map<String, String> cookies = new java.util.LinkedHashMap<>();
        LoginLoad.remember(new MiniHttp.Response(200, java.util.Map.of("set-cookie", List.of("KAGISESSION=abc; Path=/; HttpOnly")),
                new byte[0]), cookies);
        LoginLoad.remember(new MiniHttp.Response(302, java.util.Map.of("set-cookie", new ArrayList<>(List.of("KAGISESSION=def; Path=/",
                "OLD=; Max-Age=0"))), new byte[0]), cookies);

        assertThat(cookies).containsExactly(java.util.Map.entry("KAGISESSION", "def"));
        assertThat(new String(LoginLoad.form("loginId", "bench000001", "password", "a b&c"), StandardCharsets.US_ASCII))
                .isEqualTo("loginId=bench000001&password=a+b%26c");
    }
}
