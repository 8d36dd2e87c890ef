package io.kagi.bizweb;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The portal's own registration at the token authority (a settings record; the module's only public type).
 *
 * @param serviceId the portal's サービスID (8 digits)
 * @param serviceName the name customers see in the token app
 */
@ConfigurationProperties("kagi.bizweb")
public record BizwebProperties(String serviceId, String serviceName) {
}
