package io.kagi.platform;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class KeyConfiguration {

    @Bean
    KeyRing keyRing(KeyProperties properties) {
        return KeyRing.load(properties);
    }
}
