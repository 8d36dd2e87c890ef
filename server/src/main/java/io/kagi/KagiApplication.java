package io.kagi;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Kagi: the token authority, the business web portal, mail and the bank operator console in one
 * application. Each top-level package below this one is a module (see {@code ModularityTests}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class KagiApplication {

    public static void main(String[] args) {
        SpringApplication.run(KagiApplication.class, args);
    }
}
