package io.kagi.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.server.PathContainer;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.util.pattern.PathPatternParser;

class LiteralPrefixHandlerMappingTests {

    private static RequestMappingInfo mapping(String pattern) {
        RequestMappingInfo.BuilderConfiguration options = new RequestMappingInfo.BuilderConfiguration();
        options.setPatternParser(PathPatternParser.defaultInstance);
        return RequestMappingInfo.paths(pattern).options(options).build();
    }

    private static boolean springMatches(String pattern, String path) {
        return PathPatternParser.defaultInstance.parse(pattern).matches(PathContainer.parsePath(path));
    }

    private static boolean passesPrefixes(String pattern, String path) {
        String[] prefixes = LiteralPrefixHandlerMapping.literalPrefixes(mapping(pattern));
        return prefixes == null || Arrays.stream(prefixes).anyMatch(path::startsWith);
    }

    @ParameterizedTest(name = "{0} against {1}")
    @CsvSource({
            "/api/v1/services/{serviceId}/accounts/{account}/token/verify, /api/v1/services/12345678/accounts/u1/token/verify, true",
            "/api/v1/services/{serviceId}/accounts/{account}/token/verify, /api/v1/services/12345678/accounts/u1/token/status, false",
            "/api/v1/services/{serviceId}/accounts/{account}/token/verify, /bizweb/otp, false",
            "/app/**, /app, true",
            "/app/**, /app/, true",
            "/app/**, /app/sw.js, true",
            "/app/**, /apple, false",
            "/files/a*.txt, /files/b.txt, false",
            "/files/*.txt, /files/b.txt, true",
            "/{id}, /anything, true",
            "/bizweb/otp, /bizweb/otp, true",
            "/bizweb/otp, /bizweb/otp/locked, false",
            "/console/users/{id}/unlock, /console/users/42/unlock, true",
            "/console/users/{id:[0-9]+}, /console/users/42, true",
    })
    void neverPassesOverAMappingWhosePatternMatches(String pattern, String path, boolean matches) {
        assertThat(springMatches(pattern, path)).isEqualTo(matches);
        if (matches) {
            assertThat(passesPrefixes(pattern, path)).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "/api/v1/services/{serviceId}/accounts/{account}/token/verify, /api/v1/services",
            "/app/**, /app",
            "/bizweb/otp, /bizweb/otp",
            "/{id}, ''",
    })
    void aPatternsPrefixIsItsTextBeforeTheSegmentOfItsFirstVariable(String pattern, String prefix) {
        assertThat(LiteralPrefixHandlerMapping.literalPrefixes(mapping(pattern))).containsExactly(prefix);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/ファイル/{id}", "/a b/{id}"})
    void aPatternWithTextARawPathWouldEncodeIsMatchedTheFullWay(String pattern) {
        assertThat(LiteralPrefixHandlerMapping.literalPrefixes(mapping(pattern))).isNull();
    }
}
