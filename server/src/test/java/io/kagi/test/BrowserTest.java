package io.kagi.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test class that drives Debian's Chromium through {@link Browser}. Tagged {@code browser}: the
 * build runs these once, in its PostgreSQL pass (where a {@link KagiIntegrationTest} runs on the
 * production engine), and leaves them out of the first pass on H2. {@link Browser} refuses a class
 * without this annotation, so that no browser test runs twice.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag(Browser.TAG)
public @interface BrowserTest {
}
