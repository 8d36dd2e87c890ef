package io.kagi.platform;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Reads every request body before anything else sees the request, without holding a request
 * thread while it arrives, and only up to a size and a deadline ({@link RequestLimits}).
 *
 * <p>Tomcat's NIO connector parses headers without a thread (the socket waits in the poller),
 * but a filter or servlet that reads the body blocks its thread until each byte comes: a few
 * clients sending a large {@code Content-Length} and then a byte every few seconds would hold all
 * request threads (four a core) and stall the node. So the outermost filter puts a request with a
 * body into asynchronous mode and reads it with Servlet non-blocking I/O (a {@link ReadListener}
 * called as bytes arrive; no thread waits in between) into a buffer. When the body is complete,
 * it dispatches the request again ({@link AsyncContext#dispatch()}) and the application sees a
 * {@link BufferedRequest}: a plain request dispatch whose body and form parameters come from
 * memory, so that nothing downstream (Spring Security's CSRF check, the form binding, JSON
 * reading) ever blocks on the network.
 *
 * <p>A declared {@code Content-Length} above the limit is answered 413 at once, a chunked body
 * when it passes the limit; a body not complete within the deadline is answered 408. Both close
 * the connection, and since the input is then non-blocking Tomcat drains at most what has already
 * arrived. Under {@code /api/} these answers are RFC 9457 problems, elsewhere a short plain text.
 */
@Configuration(proxyBeanMethods = false)
class RequestBodies {

    /** Just after the character-encoding filter, before the database-outage filter, sessions and security. */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 1;

    private static final String BODY = RequestBodies.class.getName() + ".BODY";
    private static final Logger LOG = LoggerFactory.getLogger(RequestBodies.class);

    @Bean
    FilterRegistrationBean<BodyFilter> requestBodyFilter(RequestLimits limits) {
        FilterRegistrationBean<BodyFilter> registration = new FilterRegistrationBean<>(new BodyFilter(limits));
        registration.setOrder(ORDER);
        registration.setAsyncSupported(true);
        registration.setDispatcherTypes(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
        return registration;
    }

    static final class BodyFilter implements Filter {

        private final RequestLimits limits;

        BodyFilter(RequestLimits limits) {
            this.limits = limits;
        }

        @Override
        public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest request = (HttpServletRequest) servletRequest;
            HttpServletResponse response = (HttpServletResponse) servletResponse;
            if (request.getDispatcherType() == DispatcherType.ASYNC && request.getAttribute(BODY) instanceof byte[] body) {
                request.removeAttribute(BODY);
                chain.doFilter(new BufferedRequest(request, body), response);
                return;
            }
            if (request.getDispatcherType() != DispatcherType.REQUEST || !hasBody(request)) {
                chain.doFilter(request, response);
                return;
            }
            long limit = ApiProblemResponses.isApi(request) ? limits.apiBodyLimit().toBytes() : limits.bodyLimit().toBytes();
            AsyncContext async = request.startAsync(request, response);
            async.setTimeout(limits.bodyDeadline().toMillis());
            Reader reader = new Reader(async, request, response, limit);
            async.addListener(reader);
            request.getInputStream().setReadListener(reader);
            if (request.getContentLengthLong() > limit) {
                reader.refuse(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            }
        }

        private static boolean hasBody(HttpServletRequest request) {
            String transferEncoding = request.getHeader("Transfer-Encoding");
            return request.getContentLengthLong() > 0 || transferEncoding != null && !transferEncoding.isBlank();
        }
    }

    /**
     * Reads one body as it arrives (container threads call it, one at a time for a request), then
     * dispatches the request, or answers 408/413 once; whichever comes first wins.
     */
    private static final class Reader implements ReadListener, AsyncListener {

        private final AsyncContext async;
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final long limit;
        private final ServletInputStream input;
        private final ByteArrayOutputStream body;
        private final byte[] chunk = new byte[4096];
        private final AtomicBoolean finished = new AtomicBoolean();

        Reader(AsyncContext async, HttpServletRequest request, HttpServletResponse response, long limit) throws IOException {
            this.async = async;
            this.request = request;
            this.response = response;
            this.limit = limit;
            this.input = request.getInputStream();
            long declared = request.getContentLengthLong();
            this.body = new ByteArrayOutputStream(declared > 0 && declared <= limit ? (int) declared : 1024);
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (!finished.get() && input.isReady()) {
                int read = input.read(chunk);
                if (read < 0) {
                    return;
                }
                if (body.size() + (long) read > limit) {
                    refuse(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
                    return;
                }
                body.write(chunk, 0, read);
            }
        }

        @Override
        public void onAllDataRead() {
            if (finished.compareAndSet(false, true)) {
                request.setAttribute(BODY, body.toByteArray());
                async.dispatch();
            }
        }

        @Override
        public void onError(Throwable failure) {
            // The client went away or the socket broke mid-body: nobody to answer.
            if (finished.compareAndSet(false, true)) {
                LOG.debug("Request body of {} {} broke off: {}", request.getMethod(), request.getRequestURI(),
                        failure.getClass().getSimpleName());
                async.complete();
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) throws IOException {
            refuse(HttpServletResponse.SC_REQUEST_TIMEOUT);
        }

        @Override
        public void onError(AsyncEvent event) {
            onError(event.getThrowable());
        }

        @Override
        public void onComplete(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }

        /** Answers 408 or 413 (closing the connection) unless the request was answered or dispatched already. */
        void refuse(int status) throws IOException {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            LOG.info("Refused {} {} from {}: {}", request.getMethod(), request.getRequestURI(), request.getRemoteAddr(),
                    status == HttpServletResponse.SC_REQUEST_TIMEOUT ? "body too slow" : "body too large");
            try {
                response.setHeader("Connection", "close");
                if (ApiProblemResponses.isApi(request)) {
                    ApiProblemResponses.write(response, status);
                } else {
                    response.resetBuffer();
                    response.setStatus(status);
                    response.setContentType("text/plain;charset=UTF-8");
                    response.getOutputStream().write((status == HttpServletResponse.SC_REQUEST_TIMEOUT
                            ? "408 リクエストの受信が時間内に終わりませんでした / The request took too long to arrive\n"
                            : "413 リクエストが大きすぎます / The request is too large\n")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    response.flushBuffer();
                }
            } finally {
                async.complete();
            }
        }
    }
}
