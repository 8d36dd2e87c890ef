/**
 * ログイン中の端末 (BSES001): the user's own sessions, when and where each began, in which browser,
 * each with a button to end it.
 */
package io.kagi.bizweb.sessions;
