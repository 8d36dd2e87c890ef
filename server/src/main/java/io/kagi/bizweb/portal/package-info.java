/**
 * What every page of the portal shares: the signed-in user ({@link io.kagi.bizweb.portal.PortalAccount}), the password and OTP factors and their security chain, the user's token at the authority ({@link io.kagi.bizweb.portal.PortalTokens}), the company's users as stored now ({@link io.kagi.bizweb.portal.Colleagues}), the field rules ({@link io.kagi.bizweb.portal.Fields}), the refusal pages and the confirm → execute step of every change ({@link io.kagi.bizweb.portal.ConfirmedWork}).
 */
package io.kagi.bizweb.portal;
