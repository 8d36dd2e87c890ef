/**
 * ログイン (BLGI001), the OTP at login (BLGI010), first use (ログインID取得, BFST001–003) and the forced change of an initial password (BPWD001).
 */
package io.kagi.bizweb.login;
