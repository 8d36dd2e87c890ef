package io.kagi.platform;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.Part;

/**
 * A request whose body was read into memory by {@link RequestBodies}: the body, its length and
 * the form parameters of an {@code application/x-www-form-urlencoded} POST come from the buffer
 * (query parameters first, then the body's, as the Servlet specification orders them), and it
 * presents itself as the plain request dispatch it stands for, so that every filter treats it as
 * the start of the request. Multipart bodies are not taken ({@link #getParts()} refuses).
 */
final class BufferedRequest extends HttpServletRequestWrapper {

    /** Tomcat's default limit of parameters a request. */
    private static final int MAX_PARAMETERS = 1000;

    private final byte[] body;
    private Map<String, String[]> parameters;

    BufferedRequest(HttpServletRequest request, byte[] body) {
        super(request);
        this.body = body;
    }

    @Override
    public DispatcherType getDispatcherType() {
        return DispatcherType.REQUEST;
    }

    @Override
    public boolean isAsyncStarted() {
        return false;
    }

    @Override
    public int getContentLength() {
        return body.length;
    }

    @Override
    public long getContentLengthLong() {
        return body.length;
    }

    @Override
    public ServletInputStream getInputStream() {
        return new BufferedInputStream(body);
    }

    @Override
    public BufferedReader getReader() {
        return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset()));
    }

    @Override
    public Collection<Part> getParts() throws ServletException {
        throw new ServletException("Multipart requests are not accepted");
    }

    @Override
    public Part getPart(String name) throws ServletException {
        throw new ServletException("Multipart requests are not accepted");
    }

    @Override
    public String getParameter(String name) {
        String[] values = parameters().get(name);
        return values == null ? null : values[0];
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return parameters();
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(parameters().keySet());
    }

    @Override
    public String[] getParameterValues(String name) {
        String[] values = parameters().get(name);
        return values == null ? null : values.clone();
    }

    private Map<String, String[]> parameters() {
        if (parameters == null) {
            Map<String, List<String>> merged = new LinkedHashMap<>();
            super.getParameterMap().forEach((name, values) -> merged.computeIfAbsent(name, n -> new ArrayList<>())
                    .addAll(List.of(values)));
            if (isForm()) {
                parseForm(merged);
            }
            Map<String, String[]> result = new LinkedHashMap<>();
            merged.forEach((name, values) -> result.put(name, values.toArray(String[]::new)));
            parameters = Collections.unmodifiableMap(result);
        }
        return parameters;
    }

    private boolean isForm() {
        String type = getContentType();
        return "POST".equals(getMethod()) && type != null
                && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    private void parseForm(Map<String, List<String>> into) {
        Charset charset = charset();
        String text = new String(body, StandardCharsets.ISO_8859_1);
        int count = 0;
        for (String pair : text.split("&")) {
            if (pair.isEmpty() || ++count > MAX_PARAMETERS) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            try {
                into.computeIfAbsent(decode(name, charset), n -> new ArrayList<>()).add(decode(value, charset));
            } catch (IllegalArgumentException malformed) {
                // A malformed %-escape: Tomcat skips such a parameter too.
            }
        }
    }

    /** Decodes one form component ({@code +} and %-escapes, the escaped bytes in the request's charset). */
    private static String decode(String component, Charset charset) {
        return URLDecoder.decode(component, charset);
    }

    private Charset charset() {
        String name = getCharacterEncoding();
        if (name == null) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /** The buffered body as a finished, always-ready stream. */
    private static final class BufferedInputStream extends ServletInputStream {

        private final ByteArrayInputStream bytes;

        BufferedInputStream(byte[] body) {
            this.bytes = new ByteArrayInputStream(body);
        }

        @Override
        public boolean isFinished() {
            return bytes.available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            try {
                if (bytes.available() > 0) {
                    listener.onDataAvailable();
                }
                listener.onAllDataRead();
            } catch (IOException e) {
                listener.onError(e);
            }
        }

        @Override
        public int read() {
            return bytes.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            return bytes.read(buffer, offset, length);
        }

        @Override
        public int available() {
            return bytes.available();
        }
    }
}
