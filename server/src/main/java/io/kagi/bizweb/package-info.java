/**
 * The Business Web portal (ビジネスWeb): the bank's site for its corporate customers. Login
 * (BLGI001), first use, token issuance (ELG016), OTP confirmation and the top page.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Business Web portal")
package io.kagi.bizweb;
