package io.kagi.bizweb;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The portal's own registration at the token authority (a settings record; the module's only public type).
 *
 * @param serviceId the portal's サービスID (8 digits)
 * @param serviceName the name customers see in the token app
 * @param transactionSigning the portal's 取引認証 policy set at each start when given
 *                           ({@code TOTP_ONLY}, {@code TRANSFERS}, {@code TRANSFERS_AND_PAYEES};
 *                           unset: left as the authority holds it, TOTP only at first)
 */
@ConfigurationProperties("kagi.bizweb")
public record BizwebProperties(String serviceId, String serviceName, String transactionSigning) {
}
