package io.kagi.platform;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.autoconfigure.WebMvcRegistrations;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.condition.PathPatternsRequestCondition;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Spring MVC's handler mapping with one shortcut. A request whose path no mapping names literally
 * (every REST call with a サービスID in its path) is matched against every mapping of the
 * application in turn, each one's conditions evaluated (methods, headers, patterns) through the
 * request's wrappers: with the 150-odd mappings of portal, console and API that was 15 % of the
 * node's CPU of a verification (JFR, 2026-12-08; issue 24). Here each mapping's literal prefixes —
 * its patterns' text up to the segment of the first variable or wildcard — are taken once, at registration, and a
 * mapping none of whose prefixes begins the request's path is passed over without its conditions;
 * the rest is Spring's own matching, unchanged. A path with percent-encoding is matched the full way
 * (the patterns match its decoded segments, the prefixes its raw text), as is a mapping registered
 * otherwise.
 */
final class LiteralPrefixHandlerMapping extends RequestMappingHandlerMapping {

    private static final ThreadLocal<String> LOOKUP_PATH = new ThreadLocal<>();

    private final Map<RequestMappingInfo, String[]> prefixes = new ConcurrentHashMap<>();

    /** Makes Spring Boot's MVC configuration use this mapping for {@code @RequestMapping} methods. */
    static WebMvcRegistrations registrations() {
        return new WebMvcRegistrations() {
            @Override
            public RequestMappingHandlerMapping getRequestMappingHandlerMapping() {
                return new LiteralPrefixHandlerMapping();
            }
        };
    }

    @Override
    protected void registerHandlerMethod(Object handler, Method method, RequestMappingInfo mapping) {
        String[] literal = literalPrefixes(mapping);
        if (literal != null) {
            prefixes.put(mapping, literal);
        }
        super.registerHandlerMethod(handler, method, mapping);
    }

    @Override
    protected HandlerMethod lookupHandlerMethod(String lookupPath, HttpServletRequest request) throws Exception {
        LOOKUP_PATH.set(lookupPath.indexOf('%') < 0 ? lookupPath : null);
        try {
            return super.lookupHandlerMethod(lookupPath, request);
        } finally {
            LOOKUP_PATH.remove();
        }
    }

    @Override
    protected RequestMappingInfo getMatchingMapping(RequestMappingInfo info, HttpServletRequest request) {
        String path = LOOKUP_PATH.get();
        if (path != null) {
            String[] literal = prefixes.get(info);
            if (literal != null && !startsWithAny(path, literal)) {
                return null;
            }
        }
        return super.getMatchingMapping(info, request);
    }

    /** The text of each pattern before the segment of its first variable or wildcard; null when the mapping has no path patterns to read. */
    static String[] literalPrefixes(RequestMappingInfo mapping) {
        PathPatternsRequestCondition condition = mapping.getPathPatternsCondition();
        if (condition == null || condition.getPatterns().isEmpty()) {
            return null;
        }
        String[] literal = new String[condition.getPatterns().size()];
        int i = 0;
        for (PathPattern pattern : condition.getPatterns()) {
            String text = pattern.getPatternString();
            int end = text.length();
            for (int k = 0; k < text.length(); k++) {
                char c = text.charAt(k);
                if (c == '{' || c == '*' || c == '?') {
                    // Back to the segment's start: "/app/**" also matches "/app", "/files/a*.txt" "/files/b.txt".
                    end = Math.max(0, text.lastIndexOf('/', k - 1));
                    break;
                }
                if (!plain(c)) {
                    // Text a raw path would carry percent-encoded: the full matching decides.
                    return null;
                }
            }
            literal[i++] = text.substring(0, end);
        }
        return literal;
    }

    private static boolean plain(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '/' || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static boolean startsWithAny(String path, String[] literal) {
        for (String prefix : literal) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
