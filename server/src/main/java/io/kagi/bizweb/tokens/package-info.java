/**
 * トークン発行 (ELG016) and OTP認証確認 (ELG017): issuing a token to a user without a usable one, and confirming it with its first code.
 */
package io.kagi.bizweb.tokens;
