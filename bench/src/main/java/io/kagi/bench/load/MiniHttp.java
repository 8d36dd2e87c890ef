package io.kagi.bench.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal blocking HTTP/1.1 client over one persistent loopback connection: just enough for the
 * load driver (Content-Length and chunked bodies, keep-alive, reconnect when the server closes).
 * Far cheaper per request than java.net.http, so the driver takes less of the two cores it shares
 * with the server. Not thread-safe: one per driver thread and target.
 */
final class MiniHttp implements Closeable {

    /** A response: status, headers (names in lower case) and body. */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {

        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        List<String> headers(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private final int readTimeoutMillis;
    /** The local address to connect from (a loopback address of its own per virtual user), or null for any. */
    private final String localAddress;

    MiniHttp(String host, int port) {
        this(host, port, 60_000);
    }

    /** With a limit on how long a response may take to arrive (a time-out is not retried). */
    MiniHttp(String host, int port, int readTimeoutMillis) {
        this(host, port, readTimeoutMillis, null);
    }

    /** Connecting from {@code localAddress} (e.g. 127.0.1.7: Linux answers the whole of 127/8 on loopback). */
    MiniHttp(String host, int port, int readTimeoutMillis, String localAddress) {
        this.host = host;
        this.port = port;
        this.readTimeoutMillis = readTimeoutMillis;
        this.localAddress = localAddress;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    /** Sends a request and reads its response, reconnecting once if a kept-alive connection was closed. */
    Response exchange(String method, String target, List<String> headers, byte[] body) throws IOException {
        boolean reused = socket != null;
        try {
            write(method, target, headers, body);
            return read();
        } catch (IOException e) {
            close();
            if (!reused || e instanceof java.net.SocketTimeoutException) {
                throw e;
            }
            write(method, target, headers, body);
            return read();
        }
    }

    /** Writes a request without waiting for its answer (the replay storm writes to three nodes, then reads). */
    void write(String method, String target, List<String> headers, byte[] body) throws IOException {
        if (socket == null) {
            connect();
        }
        StringBuilder head = new StringBuilder(256)
                .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append(':').append(port).append("\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            out.write(body);
        }
        out.flush();
    }

    /** Reads the next response on the connection. */
    Response read() throws IOException {
        String statusLine = line();
        if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.")) {
            throw new IOException("Not an HTTP response: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), name -> new ArrayList<>(1))
                        .add(header.substring(colon + 1).trim());
            }
        }
        byte[] body;
        String length = first(headers, "content-length");
        String encoding = first(headers, "transfer-encoding");
        boolean closes = "close".equalsIgnoreCase(first(headers, "connection"));
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            body = chunked();
        } else if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else if (status == 204 || status == 304 || status / 100 == 1) {
            body = new byte[0];
        } else {
            body = in.readAllBytes();
            closes = true;
        }
        if (closes) {
            close();
        }
        return new Response(status, headers, body);
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line();
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim(), 16);
            if (size == 0) {
                for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                    // trailers are ignored
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            line();
        }
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("The server closed the connection");
            }
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            line.append((char) b);
        }
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private void connect() throws IOException {
        Socket fresh = new Socket();
        fresh.setTcpNoDelay(true);
        if (localAddress != null) {
            fresh.bind(new InetSocketAddress(localAddress, 0));
        }
        fresh.connect(new InetSocketAddress(host, port), 5000);
        fresh.setSoTimeout(readTimeoutMillis);
        socket = fresh;
        in = new BufferedInputStream(fresh.getInputStream(), 16 * 1024);
        out = new BufferedOutputStream(fresh.getOutputStream(), 8 * 1024);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
            in = null;
            out = null;
        }
    }
}
