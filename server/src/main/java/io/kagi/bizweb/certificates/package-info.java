/**
 * 電子証明書 in the portal: issuance from BLGI001 (login ID, password, and the OTP when the user has a token),
 * renewal and the user's own certificates, the master user's revocation (a lost PC) and choice of ways in,
 * and the page that says why a certificate was refused. The CA and the records are io.kagi.certificates.
 */
package io.kagi.bizweb.certificates;
