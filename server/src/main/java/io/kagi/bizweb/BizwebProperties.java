package io.kagi.bizweb;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The portal's own registration at the token authority.
 *
 * @param serviceId the portal's サービスID (8 digits)
 * @param serviceName the name customers see in the token app
 */
@ConfigurationProperties("kagi.bizweb")
record BizwebProperties(String serviceId, String serviceName) {
}
